/* SPDX-License-Identifier: MIT */
/*
 * tokenize.c - token boundaries by Unicode category.
 *
 * A word is a run of letters, marks and digits, with apostrophes, soft
 * hyphens and zero-width joiners allowed between two word characters.  Han,
 * Hiragana and Katakana characters are tokens of their own, so names written
 * without spaces are matched character by character.  Invalid bytes, control
 * and format characters and paragraph breaks become GZ_GAP_BREAK: no name is
 * matched across them.  ASCII is classified by a table, without library calls,
 * and an ASCII word followed by an ASCII separator (almost every token of
 * English text) is scanned, case-flagged and lower-cased in one pass.
 */
#include "tokenize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { A_WORD = 1, A_UPPER = 2, A_LOWER = 4, A_DIGIT = 8 };
static unsigned char ascii_cls[128];
static unsigned char ascii_attr[128];
/* Worker threads may tokenise their first text at the same time: a plain
 * "ready" flag was a data race (ThreadSanitizer), and without a barrier a
 * thread could see the flag before the tables. */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
    for (int c = 0; c < 128; c++) {
        ascii_cls[c] = (unsigned char)gz_char_class(c);
        unsigned char a = 0;
        if (ascii_cls[c] == GZ_CC_WORD)
            a |= A_WORD;
        if (c >= 'A' && c <= 'Z')
            a |= A_UPPER;
        if (c >= 'a' && c <= 'z')
            a |= A_LOWER;
        if (c >= '0' && c <= '9')
            a |= A_DIGIT;
        ascii_attr[c] = a;
    }
}

static inline size_t decode(const unsigned char *s, size_t len, size_t i, int32_t *cp)
{
    if (s[i] < 0x80) {
        *cp = s[i];
        return 1;
    }
    return gz_utf8_decode(s + i, len - i, cp);
}

static inline int classify(int32_t cp)
{
    if (cp >= 0 && cp < 0x80)
        return ascii_cls[cp];
    return gz_char_class(cp);
}

static int is_mark(int32_t cp)
{
    if (cp < 0x300)
        return 0;
    return (cp >= 0x300 && cp <= 0x36F) || cp == 0x3099 || cp == 0x309A ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* End of the word starting at i. */
static size_t scan_word(const unsigned char *s, size_t len, size_t i)
{
    int32_t cp;
    i += decode(s, len, i, &cp);
    while (i < len) {
        if (s[i] < 0x80 && (ascii_attr[s[i]] & A_WORD)) {
            i++;
            continue;
        }
        size_t n = decode(s, len, i, &cp);
        int c = classify(cp);
        if (c == GZ_CC_WORD) {
            i += n;
            continue;
        }
        if (c == GZ_CC_APOS || c == GZ_CC_JOIN) {
            /* joins only when a word character follows */
            if (i + n < len) {
                int32_t next;
                decode(s, len, i + n, &next);
                if (classify(next) == GZ_CC_WORD) {
                    i += n;
                    continue;
                }
            }
        }
        break;
    }
    return i;
}

/* Case flags over s[a, b). */
static unsigned case_flags(const unsigned char *s, size_t a, size_t b)
{
    unsigned f = GZ_TF_ASCII;
    int seen_cased = 0, title = 1;
    for (size_t i = a; i < b;) {
        int32_t cp;
        int cs;
        if (s[i] < 0x80) {
            unsigned char at = ascii_attr[s[i]];
            cs = (at & A_UPPER) ? GZ_CASE_UPPER : (at & A_LOWER) ? GZ_CASE_LOWER : GZ_CASE_NONE;
            if (at & A_DIGIT)
                f |= GZ_TF_DIGIT;
            i++;
        } else {
            f &= ~(unsigned)GZ_TF_ASCII;
            i += gz_utf8_decode(s + i, b - i, &cp);
            if (cp == 0x2019 || cp == 0x02BC)
                f |= GZ_TF_QUOTE;
            else if (is_mark(cp) && i > a + 1)
                f |= GZ_TF_DECOMPOSED;  /* a combining mark after a letter */
            cs = cp < 0 ? GZ_CASE_NONE : gz_char_case(cp);
        }
        if (cs == GZ_CASE_UPPER) {
            f |= GZ_TF_UPPER;
            if (seen_cased)
                title = 0;
            seen_cased = 1;
        } else if (cs == GZ_CASE_LOWER) {
            f |= GZ_TF_LOWER;
            if (!seen_cased)
                title = 0;
            seen_cased = 1;
        }
    }
    if (seen_cased && title)
        f |= GZ_TF_TITLE;
    return f;
}

/* Length of a possessive suffix ('s, ’s, ʼs) ending word s[a, b), or 0. */
static unsigned possessive(const unsigned char *s, size_t a, size_t b)
{
    if (b - a < 3 || (s[b - 1] != 's' && s[b - 1] != 'S'))
        return 0;
    if (s[b - 2] == '\'')
        return 2;
    if (b - a >= 5 && s[b - 4] == 0xE2 && s[b - 3] == 0x80 && s[b - 2] == 0x99)
        return 4;  /* U+2019 */
    if (b - a >= 4 && s[b - 3] == 0xCA && s[b - 2] == 0xBC)
        return 3;  /* U+02BC */
    return 0;
}

static inline gz_token *new_token(gz_tokens *out)
{
    if (out->n == out->cap)
        GZ_GROW(out->tok, out->cap, out->n + 1);
    return &out->tok[out->n++];
}

/* Bytes of the separator at s[e] that joins the digits before it to those
 * after it into one number: a comma before exactly three digits, a full
 * stop, a hyphen or an en dash before a digit ("2–1"); else 0.  s[e - 1]
 * is a digit. */
static size_t number_joint(const unsigned char *s, size_t len, size_t e)
{
    if (e + 3 < len && s[e] == 0xE2 && s[e + 1] == 0x80 && s[e + 2] == 0x93 &&
        s[e + 3] < 0x80 && (ascii_attr[s[e + 3]] & A_DIGIT))
        return 3;
    if (e + 1 >= len || s[e + 1] >= 0x80 || !(ascii_attr[s[e + 1]] & A_DIGIT))
        return 0;
    if (s[e] == '.' || s[e] == '-')
        return 1;
    if (s[e] != ',')
        return 0;
    size_t d = e + 1;
    while (d < len && d < e + 5 && s[d] < 0x80 && (ascii_attr[s[d]] & A_DIGIT))
        d++;
    if (d - e - 1 != 3 || (d < len && s[d] < 0x80 && (ascii_attr[s[d]] & A_WORD)))
        return 0;
    return 1;
}

/* Scan an ASCII word (letters and digits) at s[a], writing its lower-case
 * key after the keys buffer's end without taking it yet.  Returns the end
 * of the word, or 0 when the word goes on past ASCII letters and digits (an
 * apostrophe or a non-ASCII character follows): the general path decides
 * then.  Otherwise the token is the one add_token makes, in one pass. */
static size_t ascii_word(gz_tokens *out, const unsigned char *s, size_t len, size_t a, int gap)
{
    if (out->keys.cap - out->keys.len < len - a + 1)
        gz_buf_reserve(&out->keys, len - a);
    char *o = out->keys.data + out->keys.len;
    unsigned all = 0, nup = 0;
    int dash = 0;   /* an en dash joined the number */
    size_t e = a;
    while (e < len) {
        unsigned char c = s[e];
        if (c >= 0x80)
            break;
        unsigned at = ascii_attr[c];
        if (!(at & A_WORD))
            break;
        o[e - a] = (char)(c | (at & A_UPPER ? 0x20 : 0));
        all |= at;
        nup += (at & A_UPPER) != 0;
        e++;
    }
    /* a number goes on over a thousands separator, a decimal point or a
     * hyphen between digits ("3,000", "3.40", "2-1") */
    while (!(all & (A_UPPER | A_LOWER)) && e < len) {
        size_t k = number_joint(s, len, e);
        if (!k)
            break;
        for (size_t x = e; x < e + k; x++)
            o[x - a] = (char)s[x];
        dash |= k > 1;
        e += k;
        while (e < len && s[e] < 0x80 && (ascii_attr[s[e]] & A_WORD)) {
            unsigned char c = s[e];
            unsigned at = ascii_attr[c];
            o[e - a] = (char)(c | (at & A_UPPER ? 0x20 : 0));
            all |= at;
            nup += (at & A_UPPER) != 0;
            e++;
        }
    }
    if (e < len && (s[e] == '\'' || s[e] >= 0x80))
        return 0;
    size_t n = e - a;
    o[n] = '\0';
    gz_token *t = new_token(out);
    memset(t, 0, sizeof *t);
    t->start = (uint32_t)a;
    t->end = (uint32_t)e;
    t->kind = GZ_TOK_WORD;
    t->gap = (uint8_t)gap;
    t->key = t->skey = (uint32_t)out->keys.len;
    t->keylen = t->skeylen = (uint32_t)n;
    out->keys.len += n;
    unsigned f = dash ? 0 : GZ_TF_ASCII;
    if (all & A_UPPER)
        f |= GZ_TF_UPPER;
    if (all & A_LOWER)
        f |= GZ_TF_LOWER;
    if (all & A_DIGIT)
        f |= GZ_TF_DIGIT;
    if (nup == 1) {  /* one capital: title case if no letter precedes it */
        size_t k = a;
        while (!(ascii_attr[s[k]] & (A_UPPER | A_LOWER)))
            k++;
        if (ascii_attr[s[k]] & A_UPPER)
            f |= GZ_TF_TITLE;
    }
    t->flags = (uint16_t)f;
    return e;
}

static void add_token(gz_tokens *out, const unsigned char *s, size_t a, size_t b,
                      int kind, int gap, int strip)
{
    gz_token *t = new_token(out);
    memset(t, 0, sizeof *t);
    t->start = (uint32_t)a;
    t->end = (uint32_t)b;
    t->kind = (uint8_t)kind;
    t->gap = (uint8_t)gap;
    unsigned poss = kind == GZ_TOK_WORD ? possessive(s, a, b) : 0;
    unsigned f = case_flags(s, a, b - poss);
    if (poss == 4 || poss == 3)
        f |= GZ_TF_QUOTE;
    t->key = (uint32_t)out->keys.len;
    if (f & GZ_TF_ASCII && !poss) {
        /* fast path: lower-case copy */
        gz_buf_reserve(&out->keys, b - a);
        char *o = out->keys.data + out->keys.len;
        for (size_t i = a; i < b; i++)
            o[i - a] = (char)((ascii_attr[s[i]] & A_UPPER) ? s[i] + 32 : s[i]);
        out->keys.len += b - a;
        out->keys.data[out->keys.len] = '\0';
    } else {
        gz_normalize(&out->norm, (const char *)s + a, b - a, GZ_NORM_FOLD_CASE, &out->keys);
    }
    t->keylen = (uint32_t)(out->keys.len - t->key);
    /* The stripped possessive key drops "'s" from the key. */
    if (poss) {
        const char *k = out->keys.data + t->key;
        if (t->keylen >= 3 && k[t->keylen - 2] == '\'' && k[t->keylen - 1] == 's')
            t->poss = (uint8_t)poss;
    }
    t->skey = t->key;
    t->skeylen = t->keylen;
    if (!(f & GZ_TF_ASCII)) {
        size_t before = out->keys.len;
        if (strip)
            gz_normalize(&out->norm, (const char *)s + a, b - a,
                         GZ_NORM_FOLD_CASE | GZ_NORM_STRIP_MARKS, &out->keys);
        size_t sl = out->keys.len - before;
        if (strip && (sl != t->keylen ||
                      memcmp(out->keys.data + before, out->keys.data + t->key, sl) != 0)) {
            t->skey = (uint32_t)before;
            t->skeylen = (uint32_t)sl;
        } else {
            out->keys.len = before;
        }
    }
    t->flags = (uint16_t)f;
}

/* The separator made of what was seen since the last token. */
static inline int gap_of(int spaces, int other_ws, int newlines, int dash, int hard)
{
    if (hard || newlines >= 2)
        return GZ_GAP_BREAK;
    if (dash)
        return GZ_GAP_HYPHEN;
    if (newlines || other_ws || spaces > 1)
        return GZ_GAP_WS;
    if (spaces == 1)
        return GZ_GAP_SPACE;
    return GZ_GAP_NONE;
}

void gz_tokenize(gz_tokens *out, const char *text, size_t len, int strip)
{
    pthread_once(&tables_once, init_tables);
    const unsigned char *s = (const unsigned char *)text;
    out->n = 0;
    out->keys.len = 0;
    gz_buf_reserve(&out->keys, len / 2 + 16);
    int spaces = 0, other_ws = 0, newlines = 0, dash = 0, hard = 1;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            if (s[i] == ' ') {
                spaces++;
                i++;
                continue;
            }
            if (ascii_attr[s[i]] & A_WORD) {
                size_t e = ascii_word(out, s, len, i,
                                      gap_of(spaces, other_ws, newlines, dash, hard));
                if (e) {
                    spaces = other_ws = newlines = dash = hard = 0;
                    i = e;
                    continue;
                }
            }
        }
        int32_t cp;
        size_t n = decode(s, len, i, &cp);
        int c = classify(cp);
        int kind = -1;
        size_t end = i + n;
        switch (c) {
        case GZ_CC_SPACE:
            if (cp == ' ')
                spaces++;
            else
                other_ws++;
            break;
        case GZ_CC_NEWLINE:
            /* CR LF counts as one line break */
            if (!(cp == '\r' && i + 1 < len && s[i + 1] == '\n'))
                newlines++;
            break;
        case GZ_CC_DASH:
            dash = 1;
            break;
        case GZ_CC_HARD:
            hard = 1;
            break;
        case GZ_CC_JOIN:
            break;
        case GZ_CC_WORD:
            kind = GZ_TOK_WORD;
            end = scan_word(s, len, i);
            break;
        case GZ_CC_CJK:
            kind = GZ_TOK_CJK;
            while (end < len) {
                int32_t m;
                size_t k = decode(s, len, end, &m);
                if (!is_mark(m))
                    break;
                end += k;
            }
            break;
        default: /* PUNCT, and an apostrophe outside a word */
            kind = GZ_TOK_PUNCT;
            break;
        }
        if (kind >= 0) {
            add_token(out, s, i, end, kind, gap_of(spaces, other_ws, newlines, dash, hard),
                      strip);
            spaces = other_ws = newlines = dash = hard = 0;
        }
        i = end;
    }
}

void gz_tokens_free(gz_tokens *t)
{
    free(t->tok);
    gz_buf_free(&t->keys);
    gz_norm_free(&t->norm);
    memset(t, 0, sizeof *t);
}

/* ---- where tokens stand: sentence starts and headlines ---- */

/* The code point a punctuation token t starts with (-1 if ill-formed). */
static int32_t punct_cp(const gz_token *t, const char *text)
{
    int32_t cp;
    decode((const unsigned char *)text, t->end, t->start, &cp);
    return cp;
}

/* Is the punctuation token t a quotation mark or an opening bracket, which
 * a sentence start is looked through ("(The")?  ASCII quotes serve both
 * ways; elsewhere only Unicode's quotation marks (Pi, Pf) and opening
 * punctuation (Ps) count: not dashes, bullets or box drawing. */
static int opens(const gz_token *t, const char *text)
{
    int32_t cp = punct_cp(t, text);
    if (cp < 0x80)
        return cp == '"' || cp == '\'' || cp == '(' || cp == '[';
    utf8proc_category_t k = utf8proc_category(cp);
    return k == UTF8PROC_CATEGORY_PS || k == UTF8PROC_CATEGORY_PI || k == UTF8PROC_CATEGORY_PF;
}

/* Does the punctuation token t close a quotation or a bracket? */
static int closes(const gz_token *t, const char *text)
{
    int32_t cp = punct_cp(t, text);
    if (cp < 0x80)
        return cp == '"' || cp == '\'' || cp == ')' || cp == ']';
    utf8proc_category_t k = utf8proc_category(cp);
    return k == UTF8PROC_CATEGORY_PE || k == UTF8PROC_CATEGORY_PI || k == UTF8PROC_CATEGORY_PF;
}

/* Does token i start a sentence?  It does exactly when token i - 1 is a
 * final mark or an opening mark that itself starts one; prev is that answer
 * for token i - 1, which keeps the text one forward pass. */
static int sentence_start(const gz_tokens *tk, const char *text, size_t i, int prev)
{
    if (i == 0 || tk->tok[i].gap == GZ_GAP_BREAK)
        return 1;
    const gz_token *p = &tk->tok[i - 1];
    if (p->kind != GZ_TOK_PUNCT)
        return 0;
    char c = text[p->start];
    if (c == '.' || c == '!' || c == '?' || c == ':')
        return 1;
    return opens(p, text) && prev;
}

/* Does a line break separate token i from the one before? */
static int line_starts(const gz_tokens *tk, const char *text, size_t i)
{
    if (i == 0 || tk->tok[i].gap == GZ_GAP_BREAK)
        return 1;
    if (tk->tok[i].gap != GZ_GAP_WS && tk->tok[i].gap != GZ_GAP_HYPHEN)
        return 0;
    for (size_t k = tk->tok[i - 1].end; k < tk->tok[i].start; k++)
        if (text[k] == '\n' || text[k] == '\r')
            return 1;
    return 0;
}

/* Is the line of tokens [a, b) in capitals (see gz_token_marks)? */
static int headline_caps(const gz_tokens *tk, size_t a, size_t b)
{
    int caps2 = 0;
    for (size_t i = a; i < b; i++) {
        const gz_token *t = &tk->tok[i];
        if (t->flags & GZ_TF_LOWER)
            return 0;
        caps2 += t->kind == GZ_TOK_WORD && (t->flags & GZ_TF_UPPER) &&
                 t->end - t->start - t->poss >= 2;
    }
    return caps2 >= 2;
}

/* Is the line of tokens [a, b) a headline (see gz_token_marks)? */
static int headline(const gz_tokens *tk, const char *text, size_t a, size_t b)
{
    int caps2 = 0, caps = 0, capitalised = 0, lower = 0, longlower = 0, nums = 0;
    int commas = 0, brackets = 0, anylower = 0;
    for (size_t i = a; i < b; i++) {
        const gz_token *t = &tk->tok[i];
        if (t->kind == GZ_TOK_PUNCT) {
            int32_t cp = punct_cp(t, text);
            commas += cp == ',' ? 1 : cp == ';' ? 2 : 0;
            brackets += cp == '(' || cp == ')' || cp == '[' || cp == ']';
            continue;
        }
        if (t->kind != GZ_TOK_WORD)
            return 0;
        unsigned f = t->flags & (GZ_TF_UPPER | GZ_TF_LOWER);
        if (!f) {
            nums++;
            continue;
        }
        if (f & GZ_TF_LOWER)
            anylower = 1;
        if (f == GZ_TF_UPPER) {
            caps++;
            caps2 += t->end - t->start - t->poss >= 2;
        } else if (f == GZ_TF_LOWER) {
            lower++;
            longlower += t->keylen > 4;
        } else {
            capitalised++;
        }
    }
    if (!anylower && caps2 >= 2)
        return 1;
    if (b - a > 20 || capitalised + caps < 3 || longlower || lower >= capitalised + caps ||
        nums > 1 || brackets || commas > 1)
        return 0;
    /* the last token, looking back through closing quotes and brackets */
    size_t l = b;
    while (l > a && tk->tok[l - 1].kind == GZ_TOK_PUNCT && closes(&tk->tok[l - 1], text))
        l--;
    if (l > a && tk->tok[l - 1].kind == GZ_TOK_PUNCT) {
        int32_t cp = punct_cp(&tk->tok[l - 1], text);
        if (cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' || cp == ',' ||
            cp == 0x2026)
            return 0;
    }
    return 1;
}

void gz_token_marks(const gz_tokens *tk, const char *text, uint8_t *marks)
{
    pthread_once(&tables_once, init_tables);
    int start = 1;
    size_t line = 0;
    for (size_t i = 0; i < tk->n; i++) {
        start = sentence_start(tk, text, i, start);
        marks[i] = start ? GZ_MK_START : 0;
        if (i > 0 && line_starts(tk, text, i)) {
            if (headline(tk, text, line, i)) {
                for (size_t k = line; k < i; k++)
                    marks[k] |= GZ_MK_HEAD;
                /* a headline ends a sentence without a full stop */
                start = 1;
                marks[i] |= GZ_MK_START;
            }
            line = i;
        }
    }
    /* a title-case line heads other lines: the last line is one only in
     * capitals */
    if (tk->n && headline_caps(tk, line, tk->n))
        for (size_t k = line; k < tk->n; k++)
            marks[k] |= GZ_MK_HEAD;
}

int gz_token_in(const gz_tokens *tk, size_t i, const char *list)
{
    const gz_token *x = &tk->tok[i];
    if (x->kind != GZ_TOK_WORD)
        return 0;
    const char *k = tk->keys.data + x->key;
    for (const char *w = list; *w; w += strlen(w) + 1)
        if (strlen(w) == x->keylen && memcmp(w, k, x->keylen) == 0)
            return 1;
    return 0;
}
