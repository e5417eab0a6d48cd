/* SPDX-License-Identifier: MIT */
/*
 * conll.c - the CoNLL format: one token per line with its IOB2 tag,
 * sentences separated by blank lines, documents by -DOCSTART- lines; the
 * file `gaztag eval` reads as predictions.
 *
 * Tokens: white space (and control characters) separates tokens and is not
 * printed.  Outside mentions, a token is a run of letters, marks and digits
 * (joined by single inner apostrophes, hyphens and zero-width joiners: "Kato's"
 * and "Japan-based" are one token; a full stop or a comma between digits, as
 * the tagger's tokenizer has it: "3.40", "3,000"), an apostrophe with the letters after it
 * ("'s"), or any other single character (punctuation, each Han or kana
 * character).  Inside a mention a token is a run of characters up to white
 * space, except that Han and kana characters are one token each.  A mention
 * always starts and ends on a token boundary, so its tokens are exactly
 * B-TYPE, I-TYPE...; ill-formed bytes print as U+FFFD.
 *
 * Sentences: a sentence ends at a blank line, and after one of . ! ? ...
 * (outside a mention, with any closing quotes or brackets right after it)
 * when white space and a token that does not start with a lower-case letter
 * follow; after 。！？ it ends at the next token whatever follows.
 */
#include "format.h"

#include <stdlib.h>
#include <string.h>

#include "normalize.h"


static int is_cjk_final(int cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

static int is_final(int cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || is_cjk_final(cp);
}

static int is_closing(int cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x2019 ||
           cp == 0x201D || cp == 0x300D || cp == 0x300F || cp == 0xFF09 || cp == 0xBB;
}

typedef struct cursor {
    const unsigned char *u;
    size_t len;   /* text bytes */
} cursor;

/* Unit at i: its length, code point (-1 ill-formed) and class. */
static size_t unit_at(const cursor *c, size_t i, int *cp, int *cls)
{
    size_t l = 1;
    if (c->u[i] < 0x80)
        *cp = c->u[i];
    else
        l = gz_utf8_unit(c->u + i, c->len - i, cp);
    *cls = *cp < 0 ? GZ_CC_PUNCT : gz_char_class(*cp);
    return l;
}

static int is_sep(int cp, int cls)
{
    return cp >= 0 && (cls == GZ_CC_SPACE || cls == GZ_CC_NEWLINE || cls == GZ_CC_HARD);
}

/* Does the full stop or comma at j join two numbers, as the tagger's
 * tokenizer joins them ("3.40", "3,000": a comma only before exactly three
 * digits)? */
static int number_joint(const cursor *c, size_t j, size_t limit)
{
    size_t d = j + 1;
    while (d < limit && d < j + 5 && c->u[d] >= '0' && c->u[d] <= '9')
        d++;
    if (d == j + 1)
        return 0;
    if (c->u[j] == '.')
        return 1;
    if (d - j - 1 != 3)
        return 0;
    int cp, cls;
    return d >= limit || (unit_at(c, d, &cp, &cls), cls != GZ_CC_WORD);
}

/* The end of the token that starts at i (before limit), outside or inside
 * a mention. */
static size_t token_end(const cursor *c, size_t i, size_t limit, int in_mention)
{
    int cp, cls;
    size_t l = unit_at(c, i, &cp, &cls);
    if (cls == GZ_CC_CJK)
        return i + l;
    if (in_mention) {
        size_t j = i + l;
        while (j < limit) {
            size_t l2 = unit_at(c, j, &cp, &cls);
            if (is_sep(cp, cls) || cls == GZ_CC_CJK)
                break;
            j += l2;
        }
        return j;
    }
    if (cls == GZ_CC_APOS && i + l < limit) {
        int cp2, cls2;
        unit_at(c, i + l, &cp2, &cls2);
        if (cls2 != GZ_CC_WORD)
            return i + l;
    } else if (cls != GZ_CC_WORD) {
        return i + l;
    }
    size_t j = i + l;
    int digits = cp >= '0' && cp <= '9';   /* the token so far is a number */
    while (j < limit) {
        size_t l2 = unit_at(c, j, &cp, &cls);
        if (cls == GZ_CC_WORD) {
            digits &= cp >= '0' && cp <= '9';
            j += l2;
            continue;
        }
        if (digits && (cp == '.' || cp == ',') && number_joint(c, j, limit)) {
            j++;
            continue;
        }
        if (cls != GZ_CC_APOS && cls != GZ_CC_DASH && cls != GZ_CC_JOIN)
            break;
        if (j + l2 >= limit)
            break;
        int cp2, cls2;
        unit_at(c, j + l2, &cp2, &cls2);
        if (cls2 != GZ_CC_WORD)
            break;
        j += l2;
    }
    return j;
}

typedef struct conll_state {
    size_t m_end;           /* end of the mention being tokenised */
    char *m_type;           /* its type, or NULL outside mentions */
    int m_first;            /* the next token begins the mention */
    int sent_tokens;        /* tokens in the open sentence */
    int sent_final;         /* the last token may end the sentence */
    int newlines;           /* line breaks since the last token */
    int gap;                /* white space since the last token */
} conll_state;

static void end_sentence(conll_state *r, gz_buf *out)
{
    if (r->sent_tokens)
        gz_buf_addc(out, '\n');
    r->sent_tokens = 0;
    r->sent_final = 0;
}

static void token(conll_state *r, gz_buf *out, const cursor *c, size_t i, size_t j)
{
    int cp, cls;
    unit_at(c, i, &cp, &cls);
    int closing = !r->gap && !r->m_type && is_closing(cp);
    int lower = cp >= 0 && gz_char_case(cp) == GZ_CASE_LOWER;
    if (r->newlines >= 2 || (r->sent_final == 2 && !closing) ||
        (r->sent_final == 1 && r->gap && !lower))
        end_sentence(r, out);
    else if (!closing)
        r->sent_final = 0;
    gz_utf8_sanitize(out, (const char *)c->u + i, j - i, 1);
    if (r->m_type) {
        gz_buf_adds(out, r->m_first ? " B-" : " I-");
        for (const unsigned char *t = (const unsigned char *)r->m_type; *t; t++) {
            if (*t <= ' ')
                gz_buf_addc(out, '_');
            else if (*t == 0x7F || (t[0] == 0xC2 && t[1] >= 0x80 && t[1] <= 0x9F))
                gz_buf_printf(out, "\\x%02X", *t);    /* DEL and C1 controls */
            else if (*t >= 0x80 && *t <= 0x9F && t > (const unsigned char *)r->m_type &&
                     t[-1] == 0xC2)
                gz_buf_printf(out, "\\x%02X", *t);
            else
                gz_buf_addc(out, (char)*t);
        }
        gz_buf_addc(out, '\n');
        r->m_first = 0;
    } else {
        gz_buf_adds(out, " O\n");
    }
    r->sent_tokens++;
    if (!r->m_type && cp >= 0 && is_final(cp) && unit_at(c, i, &cp, &cls) == j - i)
        r->sent_final = is_cjk_final(cp) ? 2 : 1;
    r->newlines = 0;
    r->gap = 0;
}

static void piece(gz_render *rd, gz_buf *out, const gz_piece *p)
{
    conll_state *r = rd->st;
    const gz_span *spans = p->spans;
    size_t n = p->n, len = p->len, base = p->base;
    cursor c = {(const unsigned char *)p->text, len};
    size_t end = base + gz_fmt_own_end(p);
    size_t si = 0;
    size_t tpos = rd->tpos < base ? base : rd->tpos;
    while (tpos < end) {
        size_t i = tpos - base;
        if (r->m_type && tpos >= r->m_end) {
            free(r->m_type);
            r->m_type = NULL;
        }
        while (si < n && spans[si].end <= tpos)
            si++;
        int cp, cls;
        size_t l = unit_at(&c, i, &cp, &cls);
        if (is_sep(cp, cls)) {
            r->gap = 1;
            if (cls == GZ_CC_NEWLINE && cp == '\n')
                r->newlines++;
            tpos += l;
            continue;
        }
        if (!r->m_type && si < n && spans[si].start <= tpos) {
            r->m_type = gz_xstrdup(spans[si].type);
            r->m_end = spans[si].end;
            r->m_first = 1;
            si++;
        }
        size_t limit = len;
        if (r->m_type)
            limit = r->m_end - base < len ? r->m_end - base : len;
        else if (si < n && spans[si].start - base < len)
            limit = spans[si].start - base;
        size_t j = token_end(&c, i, limit, r->m_type != NULL);
        token(r, out, &c, i, j);
        tpos = base + j;
    }
    rd->tpos = tpos;
}

static void doc_begin(gz_render *r, gz_buf *out)
{
    gz_buf_adds(out, "-DOCSTART- O\n\n");
}

static void state_clear(void *st)
{
    conll_state *r = st;
    free(r->m_type);
    r->m_type = NULL;
}

static void doc_end(gz_render *rd, gz_buf *out)
{
    end_sentence(rd->st, out);
    state_clear(rd->st);
}

const gz_format gz_format_conll = {
    .name = "conll",
    .ext = ".conll",
    .state_size = sizeof(conll_state),
    .doc_begin = doc_begin,
    .piece = piece,
    .doc_end = doc_end,
    .state_clear = state_clear,
};
