/* SPDX-License-Identifier: MIT */
/*
 * convert.c - spaCy, CoreNLP RegexNER and GATE dictionaries into gaztag
 * dictionaries and rule files.
 *
 * Entries are collected in input order, each with a name, a type (as the
 * other tool wrote it: the type map is applied when writing), an id, a case
 * policy, an optional priority and attributes.  Attribute keys are kept in
 * the order they are first met, and every key becomes one column of the
 * written dictionary, so the output has one header whatever mix of features
 * the inputs had.  Strings live in one arena freed with the converter.
 *
 * Invariants of what is written: every name, type and id is valid UTF-8
 * without NUL bytes (anything else is reported and left out), every field
 * is escaped as a TSV field, and a name starting with '#' is written as
 * \x23 so the row is not read as a comment; so every row loads with
 * `gaztag tag -d`.
 */
#include "convert.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "output.h"
#include "tsv.h"

#define uthash_fatal(msg) gz_oom()
#include <uthash.h>

typedef struct row {
    const char *name, *type, *id;
    const char *casepol;        /* "exact" or "fold" */
    int has_prio;
    int32_t prio;
    size_t attr0, nattr;        /* its attributes in c->attrs */
} row;

typedef struct attr {
    size_t key;                 /* index in c->keys */
    const char *value;
} attr;

typedef struct rule {
    const char *name, *type, *pattern;
    int has_prio;
    int32_t prio;
} rule;

typedef struct map_ent {
    char *from, *to;
    UT_hash_handle hh;
} map_ent;

struct gz_convert {
    gz_convert_opts o;
    gz_convert_fn fn;
    void *ctx;
    gz_arena *a;
    row *rows;
    size_t nrows, caprows;
    attr *attrs;
    size_t nattrs, capattrs;
    const char **keys;
    size_t nkeys, capkeys;
    rule *rules;
    size_t nrules, caprules;
    map_ent *map;
    const char **stems;         /* the stems of the RegexNER inputs so far */
    size_t nstems, capstems;
    int any_prio;
    size_t problems;            /* reported so far */
};

/* Columns with a meaning to the dictionary loader: never attribute keys. */
static const char *const reserved[] = {"name", "type", "id", "aliases", "case", "diacritics",
                                       "priority"};

int gz_convert_from_parse(const char *s)
{
    if (strcmp(s, "spacy") == 0)
        return GZ_FROM_SPACY;
    if (strcmp(s, "regexner") == 0)
        return GZ_FROM_REGEXNER;
    if (strcmp(s, "gate") == 0)
        return GZ_FROM_GATE;
    return -1;
}

gz_convert *gz_convert_new(const gz_convert_opts *opts, gz_convert_fn fn, void *ctx)
{
    gz_convert *c = gz_xcalloc(1, sizeof *c);
    c->o = *opts;
    c->fn = fn;
    c->ctx = ctx;
    c->a = gz_arena_new();
    return c;
}

void gz_convert_free(gz_convert *c)
{
    if (!c)
        return;
    map_ent *m, *tmp;
    HASH_ITER(hh, c->map, m, tmp) {
        HASH_DEL(c->map, m);
        free(m->from);
        free(m->to);
        free(m);
    }
    free(c->rows);
    free(c->attrs);
    free(c->keys);
    free(c->rules);
    free(c->stems);
    gz_arena_free(c->a);
    free(c);
}

static void problem(gz_convert *c, const char *file, long line, long col, const char *fmt, ...)
    GZ_PRINTF(5, 6);
static void problem(gz_convert *c, const char *file, long line, long col, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->fn)
        c->fn(c->ctx, file, line, col, msg);
}

/* ---- text checks ---- */

/* Is s[0, n) valid UTF-8 without NUL bytes? */
static int clean_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b == 0)
            return 0;
        if (b < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t k = gz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp < 0)
            return 0;
        i += k;
    }
    return 1;
}

/* Does s[0, n) read the same in lower and upper case (no cased letter)? */
static int caseless(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = gz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp >= 0 && (utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp))
            return 0;
        i += k;
    }
    return 1;
}

/* Shorten s for a message: at most 60 bytes, never cutting a character. */
static int clip(const char *s, size_t n)
{
    if (n <= 60)
        return (int)n;
    size_t k = 60;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return (int)k;
}

static const char *trim(const char *s, size_t *n)
{
    while (*n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        (*n)--;
    }
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
        (*n)--;
    return s;
}

/* ---- collecting ---- */

static const char *keep(gz_convert *c, const char *s, size_t n)
{
    return gz_arena_strndup(c->a, s, n);
}

static row *add_row(gz_convert *c, const char *name, size_t nn, const char *type, size_t tn,
                    const char *id, const char *casepol)
{
    GZ_GROW(c->rows, c->caprows, c->nrows + 1);
    row *r = &c->rows[c->nrows++];
    memset(r, 0, sizeof *r);
    r->name = keep(c, name, nn);
    r->type = keep(c, type, tn);
    r->id = id ? keep(c, id, strlen(id)) : "";
    r->casepol = casepol;
    r->attr0 = c->nattrs;
    return r;
}

static void set_prio(gz_convert *c, row *r, int32_t p)
{
    r->has_prio = 1;
    r->prio = p;
    c->any_prio = 1;
}

/* Give the last row the attribute key = value; a key met again in the same
 * row replaces the earlier value.  The caller has checked the key. */
static void add_attr(gz_convert *c, const char *key, size_t kn, const char *val, size_t vn)
{
    size_t k;
    for (k = 0; k < c->nkeys; k++)
        if (strlen(c->keys[k]) == kn && memcmp(c->keys[k], key, kn) == 0)
            break;
    if (k == c->nkeys) {
        GZ_GROW(c->keys, c->capkeys, c->nkeys + 1);
        c->keys[c->nkeys++] = keep(c, key, kn);
    }
    row *r = &c->rows[c->nrows - 1];
    for (size_t i = r->attr0; i < r->attr0 + r->nattr; i++) {
        if (c->attrs[i].key == k) {
            c->attrs[i].value = keep(c, val, vn);
            return;
        }
    }
    GZ_GROW(c->attrs, c->capattrs, c->nattrs + 1);
    c->attrs[c->nattrs].key = k;
    c->attrs[c->nattrs].value = keep(c, val, vn);
    c->nattrs++;
    r->nattr++;
}

/* Can s[0, n) be a column name?  Non-empty UTF-8 without control
 * characters, and not one of the dictionary's own columns. */
static int good_key(const char *s, size_t n)
{
    if (n == 0 || !clean_text(s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 0;
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0)
            return 0;
    return 1;
}

/* Join tokens into a name the way they are written in running text: a
 * space between two tokens, except before a token that starts with closing
 * punctuation, an apostrophe or a hyphen, and after a hyphen or an opening
 * bracket ("Apple 's" is "Apple's", "cyber - attack" is "cyber-attack"). */
static void join_token(gz_buf *b, const char *t, size_t n)
{
    if (b->len && n) {
        char last = b->data[b->len - 1];
        int glue = strchr(".,;:!?)]}%'-", t[0]) != NULL ||
                   (n >= 3 && memcmp(t, "\xE2\x80\x99", 3) == 0) ||   /* ’ */
                   strchr("-([{", last) != NULL;
        if (!glue)
            gz_buf_addc(b, ' ');
    }
    gz_buf_add(b, t, n);
}

/* ---- type map ---- */

int gz_convert_type_map(gz_convert *c, const char *name, const char *data, size_t len,
                        gz_error *err)
{
    gz_tsv r;
    gz_tsv_init(&r, name, data, len, GZ_TSV_COMMENTS);
    int rc, ret = 0;
    while ((rc = gz_tsv_next(&r, err)) != 0) {
        if (rc < 0) {
            ret = -1;
            break;
        }
        if (r.nf != 2) {
            gz_error_set(err, name, r.line, 0,
                         "expected 2 tab-separated fields (their type, gaztag type), found %zu",
                         r.nf);
            ret = -1;
            break;
        }
        if (gz_tsv_check_text(&r, 0, "their type", err) < 0 ||
            gz_tsv_check_text(&r, 1, "gaztag type", err) < 0) {
            ret = -1;
            break;
        }
        if (r.f[0].n == 0 || r.f[1].n == 0) {
            gz_error_set(err, name, r.line, r.f[r.f[0].n ? 1 : 0].col, "empty type");
            ret = -1;
            break;
        }
        char *from = gz_xstrndup(r.f[0].s, r.f[0].n);
        map_ent *m;
        HASH_FIND_STR(c->map, from, m);
        if (m) {
            free(from);
            free(m->to);
        } else {
            m = gz_xcalloc(1, sizeof *m);
            m->from = from;
            HASH_ADD_KEYPTR(hh, c->map, m->from, strlen(m->from), m);
        }
        m->to = gz_xstrndup(r.f[1].s, r.f[1].n);
    }
    gz_tsv_free(&r);
    return ret;
}

static const char *mapped(const gz_convert *c, const char *type)
{
    map_ent *m;
    HASH_FIND_STR(c->map, type, m);
    return m ? m->to : type;
}

/* ---- spaCy ---- */

/* One token pattern: append its text to name and say which attribute it
 * matched (0 ORTH/TEXT, 1 LOWER).  Returns -1 after reporting. */
static int spacy_token(gz_convert *c, const char *file, long line, size_t i, json_t *tok,
                       gz_buf *name, int *lower, int *neutral)
{
    if (!json_is_object(tok)) {
        problem(c, file, line, 0, "token %zu of the pattern is not an object; pattern skipped",
                i + 1);
        return -1;
    }
    const char *key;
    json_t *v;
    const char *which = NULL;
    json_object_foreach(tok, key, v) {
        if (strcmp(key, "ORTH") != 0 && strcmp(key, "TEXT") != 0 && strcmp(key, "LOWER") != 0) {
            problem(c, file, line, 0,
                    "token %zu uses '%s', which a dictionary cannot express; pattern skipped",
                    i + 1, key);
            return -1;
        }
        if (which) {
            problem(c, file, line, 0,
                    "token %zu has both '%s' and '%s'; pattern skipped", i + 1, which, key);
            return -1;
        }
        which = key;
        if (!json_is_string(v)) {
            problem(c, file, line, 0,
                    "token %zu: the value of '%s' is not a string (operators such as IN "
                    "or REGEX cannot be expressed); pattern skipped", i + 1, key);
            return -1;
        }
    }
    if (!which) {
        problem(c, file, line, 0,
                "token %zu is empty (it matches any token); pattern skipped", i + 1);
        return -1;
    }
    v = json_object_get(tok, which);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0 || memchr(s, '\0', n)) {
        problem(c, file, line, 0, "token %zu: empty or NUL in '%s'; pattern skipped", i + 1,
                which);
        return -1;
    }
    if (strcmp(which, "LOWER") == 0)
        *lower = 1;
    else if (!caseless(s, n))
        *neutral = 0;
    join_token(name, s, n);
    return 0;
}

static void spacy_line(gz_convert *c, const char *file, long line, const char *s, size_t n,
                       gz_buf *name)
{
    json_error_t je;
    json_t *o = json_loadb(s, n, 0, &je);
    if (!o) {
        problem(c, file, line, je.column > 0 ? je.column : 0, "invalid JSON: %s; line skipped",
                je.text);
        return;
    }
    json_t *label = json_object_get(o, "label");
    json_t *pat = json_object_get(o, "pattern");
    json_t *jid = json_object_get(o, "id");
    char idbuf[32];
    const char *id = NULL;
    name->len = 0;
    if (!json_is_object(o)) {
        problem(c, file, line, 0, "not a JSON object; line skipped");
        goto done;
    }
    if (!json_is_string(label) || json_string_length(label) == 0 ||
        memchr(json_string_value(label), '\0', json_string_length(label))) {
        problem(c, file, line, 0, "no \"label\" string; pattern skipped");
        goto done;
    }
    if (json_is_string(jid)) {
        id = json_string_value(jid);
        if (memchr(id, '\0', json_string_length(jid))) {
            problem(c, file, line, 0, "NUL byte in \"id\"; pattern skipped");
            goto done;
        }
    } else if (json_is_integer(jid)) {
        snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
        id = idbuf;
    } else if (jid && !json_is_null(jid)) {
        problem(c, file, line, 0, "\"id\" is neither a string nor an integer; pattern skipped");
        goto done;
    }
    const char *casepol = "exact";
    if (json_is_string(pat)) {
        const char *p = json_string_value(pat);
        size_t pn = json_string_length(pat);
        if (memchr(p, '\0', pn)) {
            problem(c, file, line, 0, "NUL byte in the pattern; pattern skipped");
            goto done;
        }
        gz_buf_add(name, p, pn);
    } else if (json_is_array(pat)) {
        int lower = 0, neutral = 1;
        size_t i;
        json_t *tok;
        json_array_foreach(pat, i, tok) {
            if (spacy_token(c, file, line, i, tok, name, &lower, &neutral) < 0)
                goto done;
        }
        if (lower && !neutral) {
            problem(c, file, line, 0,
                    "LOWER and ORTH/TEXT tokens with letters in one pattern cannot share a "
                    "case policy; pattern skipped");
            goto done;
        }
        if (lower)
            casepol = "fold";
    } else {
        problem(c, file, line, 0, "no \"pattern\" string or token list; line skipped");
        goto done;
    }
    size_t nn = name->len;
    const char *nm = trim(name->data ? name->data : "", &nn);
    if (nn == 0) {
        problem(c, file, line, 0, "empty pattern; pattern skipped");
        goto done;
    }
    add_row(c, nm, nn, json_string_value(label), json_string_length(label), id, casepol);
done:
    json_decref(o);
}

static void add_spacy(gz_convert *c, const char *file, const char *data, size_t len)
{
    gz_buf name = {0};
    long line = 0;
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        const char *s = p;
        p = nl ? nl + 1 : end;
        if (n && s[n - 1] == '\r')
            n--;
        size_t k = n;
        trim(s, &k);
        if (k == 0)
            continue;
        spacy_line(c, file, line, s, n, &name);
    }
    gz_buf_free(&name);
}

/* ---- CoreNLP RegexNER ---- */

static int is_meta(char ch)
{
    return ch && strchr("\\.[]{}()*+?^$|", ch) != NULL;
}

static int is_ascii_punct(unsigned char ch)
{
    return ch > 0x20 && ch < 0x7F && !(ch >= '0' && ch <= '9') && !(ch >= 'A' && ch <= 'Z') &&
           !(ch >= 'a' && ch <= 'z');
}

/* If the token t[0, n) is a literal (no metacharacter, or only
 * backslash-escaped punctuation), append its text to out and return 1. */
static int literal_token(const char *t, size_t n, gz_buf *out)
{
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\\' && i + 1 < n && is_ascii_punct((unsigned char)t[i + 1])) {
            gz_buf_addc(out, t[++i]);
        } else if (is_meta(t[i])) {
            out->len = start;
            return 0;
        } else {
            gz_buf_addc(out, t[i]);
        }
    }
    return 1;
}

/* Is t[0, n) a Unicode general category that Java and PCRE2 both name so
 * (L, Lu, N, Nd, P, ...)? */
static int category(const char *t, size_t n)
{
    static const char *const cats[] = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me",
                                       "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe", "Pi",
                                       "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "C", "Cc", "Cf",
                                       "Co", "Cn"};
    for (size_t i = 0; i < sizeof cats / sizeof *cats; i++)
        if (strlen(cats[i]) == n && memcmp(cats[i], t, n) == 0)
            return 1;
    return 0;
}

#define FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); return -1; } while (0)

/* \p{X} or \pX at t[i] (after the backslash and the p): the category's
 * length and where it starts, or 0. */
static size_t prop_at(const char *t, size_t n, size_t i, size_t *cs, size_t *cn)
{
    if (i < n && t[i] == '{') {
        const char *close = memchr(t + i, '}', n - i);
        if (!close)
            return 0;
        *cs = i + 1;
        *cn = (size_t)(close - t) - i - 1;
        return (size_t)(close - t) - i + 1;
    }
    if (i < n) {
        *cs = i;
        *cn = 1;
        return 1;
    }
    return 0;
}

/* A character class at t[*i] == '['; Java's nested classes and
 * intersections are refused, and a negated class never matches white
 * space, which cannot be inside a token. */
static int translate_class(const char *t, size_t n, size_t *i, gz_buf *out, char *why,
                           size_t whylen)
{
    size_t j = *i + 1;
    int neg = j < n && t[j] == '^';
    if (neg)
        j++;
    gz_buf_adds(out, neg ? "[^\\s" : "[");
    if (j < n && t[j] == ']')
        FAIL("']' at the start of a class is not translated");
    for (; j < n && t[j] != ']'; j++) {
        if (t[j] == '[')
            FAIL("nested classes are not translated");
        if (t[j] == '&' && j + 1 < n && t[j + 1] == '&')
            FAIL("class intersections (&&) are not translated");
        if (t[j] != '\\') {
            gz_buf_addc(out, t[j]);
            continue;
        }
        if (j + 1 >= n)
            FAIL("a backslash ends the token");
        char e = t[++j];
        if (is_ascii_punct((unsigned char)e)) {
            gz_buf_addc(out, '\\');
            gz_buf_addc(out, e);
        } else if (e == 'd') {
            gz_buf_adds(out, "0-9");
        } else if (e == 'w') {
            gz_buf_adds(out, "A-Za-z0-9_");
        } else if (e == 'p') {
            size_t cs, cn, k = prop_at(t, n, j + 1, &cs, &cn);
            if (!k || !category(t + cs, cn))
                FAIL("'\\p' with a property other than a general category");
            gz_buf_printf(out, "\\p{%.*s}", (int)cn, t + cs);
            j += k;
        } else {
            FAIL("'\\%c' in a class is not translated", e);
        }
    }
    if (j >= n)
        FAIL("unterminated class");
    gz_buf_addc(out, ']');
    *i = j;
    return 0;
}

/* One Java regex token matched against a whole token, as a PCRE2 piece
 * that matches the same token inside running text: '.' and negated classes
 * no longer match white space, and \d and \w stay ASCII as in Java. */
static int translate_token(const char *t, size_t n, gz_buf *out, char *why, size_t whylen)
{
    int depth = 0;
    size_t i = 0;
    if (n && t[0] == '^')
        i = 1;
    if (n > i && t[n - 1] == '$' && !(n >= 2 && t[n - 2] == '\\'))
        n--;
    gz_buf_adds(out, "(?:");
    for (; i < n; i++) {
        char ch = t[i];
        switch (ch) {
        case '.':
            gz_buf_adds(out, "\\S");
            break;
        case '^':
        case '$':
            FAIL("'%c' inside a token is not translated", ch);
        case '[':
            if (translate_class(t, n, &i, out, why, whylen) < 0)
                return -1;
            break;
        case '(':
            if (i + 1 < n && t[i + 1] == '?') {
                if (i + 2 < n && t[i + 2] == ':') {
                    i += 2;
                } else if (i + 3 < n && t[i + 2] == 'i' && t[i + 3] == ')') {
                    gz_buf_adds(out, "(?i)");
                    i += 3;
                    break;
                } else {
                    FAIL("'(?' constructs other than (?: and (?i) are not translated");
                }
            }
            gz_buf_adds(out, "(?:");   /* groups are not numbered: no group column */
            depth++;
            break;
        case ')':
            if (--depth < 0)
                FAIL("unbalanced ')'");
            gz_buf_addc(out, ')');
            break;
        case '\\': {
            if (i + 1 >= n)
                FAIL("a backslash ends the token");
            char e = t[++i];
            if (is_ascii_punct((unsigned char)e)) {
                gz_buf_addc(out, '\\');
                gz_buf_addc(out, e);
            } else if (e == 'd') {
                gz_buf_adds(out, "[0-9]");
            } else if (e == 'D') {
                gz_buf_adds(out, "[^0-9\\s]");
            } else if (e == 'w') {
                gz_buf_adds(out, "[A-Za-z0-9_]");
            } else if (e == 'W') {
                gz_buf_adds(out, "[^A-Za-z0-9_\\s]");
            } else if (e == 'S') {
                gz_buf_adds(out, "\\S");
            } else if (e == 'p' || e == 'P') {
                size_t cs, cn, k = prop_at(t, n, i + 1, &cs, &cn);
                if (!k || !category(t + cs, cn))
                    FAIL("'\\%c' with a property other than a general category", e);
                if (e == 'p')
                    gz_buf_printf(out, "\\p{%.*s}", (int)cn, t + cs);
                else
                    gz_buf_printf(out, "[^\\s\\p{%.*s}]", (int)cn, t + cs);
                i += k;
            } else if (e == 's') {
                FAIL("'\\s' cannot match inside a token");
            } else {
                FAIL("'\\%c' is not translated", e);
            }
            break;
        }
        default:
            gz_buf_addc(out, ch);
        }
    }
    if (depth != 0)
        FAIL("unbalanced '('");
    gz_buf_addc(out, ')');
    return 0;
}

/* The next white-space-separated token of s[*i, n), or 0 at the end. */
static size_t next_token(const char *s, size_t n, size_t *i, const char **tok)
{
    while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
        (*i)++;
    size_t start = *i;
    while (*i < n && s[*i] != ' ' && s[*i] != '\t')
        (*i)++;
    *tok = s + start;
    return *i - start;
}

int gz_convert_regexner_pattern(const char *pat, size_t len, gz_buf *out, char *why,
                                size_t whylen)
{
    size_t start = out->len, i = 0, n;
    const char *t;
    int first = 1;
    gz_buf_adds(out, "(?<!\\w)");
    while ((n = next_token(pat, len, &i, &t)) != 0) {
        if (!first)
            gz_buf_adds(out, "\\s+");
        first = 0;
        char tw[200];
        if (translate_token(t, n, out, tw, sizeof tw) < 0) {
            snprintf(why, whylen, "token '%.*s': %s", clip(t, n), t, tw);
            out->len = start;
            return -1;
        }
    }
    if (first) {
        snprintf(why, whylen, "empty pattern");
        out->len = start;
        return -1;
    }
    gz_buf_adds(out, "(?!\\w)");
    /* Compiled as the rule loader will compile it, so that a written rule
     * file always loads (Java would refuse "a{2,1}" too). */
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)(out->data + start), out->len - start,
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &code, &off,
                                   NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(why, whylen, "the translated pattern does not compile: %s", (char *)msg);
        out->len = start;
        return -1;
    }
    pcre2_code_free(re);
    return 0;
}

/* Is the pattern written in TokensRegex syntax ("( /a/ [ {ner:X} ] )")? */
static int tokensregex_syntax(const char *s, size_t n)
{
    size_t i = 0, k;
    const char *t;
    while ((k = next_token(s, n, &i, &t)) != 0) {
        if ((k == 1 && strchr("()[]", t[0])) || (k >= 2 && t[0] == '[' && t[1] == '{') ||
            (k >= 2 && t[0] == '/' && t[k - 1] == '/'))
            return 1;
    }
    return 0;
}

/* A priority written as a real number, scaled to an integer:
 * round(p * 1000), clamped to the range of int32. */
static int scale_priority(const char *s, size_t n, int32_t *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    double p = strtod(tmp, &end);
    if (*end || end == tmp || p != p || tmp[0] == ' ')
        return -1;
    double v = p * 1000.0;
    if (v >= (double)INT32_MAX)
        *out = INT32_MAX;
    else if (v <= (double)INT32_MIN)
        *out = INT32_MIN;
    else    /* round half away from zero */
        *out = (int32_t)(long long)(v < 0 ? v - 0.5 : v + 0.5);
    return 0;
}

static const char *stem_of(gz_arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *s = gz_arena_strndup(a, base, n);
    for (char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            *p = '_';
    return *s ? s : "regexner";
}

static void regexner_row(gz_convert *c, const char *file, const char *stem, const gz_tsv *r,
                         gz_buf *tmp)
{
    const gz_tsv_field *f = r->f;
    long line = r->line;
    if (r->nf < 2 || r->nf > 5) {
        problem(c, file, line, 0,
                "expected 2 to 5 tab-separated fields (pattern, type, overwritable types, "
                "priority, group), found %zu; line skipped", r->nf);
        return;
    }
    for (size_t k = 0; k < r->nf; k++) {
        if (!clean_text(f[k].s, f[k].n)) {
            problem(c, file, line, f[k].col, "invalid UTF-8 or NUL byte; line skipped");
            return;
        }
    }
    size_t pn = f[0].n, tn = f[1].n;
    const char *pat = trim(f[0].s, &pn);
    const char *type = trim(f[1].s, &tn);
    if (pn == 0 || tn == 0) {
        problem(c, file, line, pn == 0 ? f[0].col : f[1].col, "empty %s; line skipped",
                pn == 0 ? "pattern" : "type");
        return;
    }
    int32_t prio = 0;
    int has_prio = 0;
    if (r->nf >= 4 && f[3].n) {
        if (scale_priority(f[3].s, f[3].n, &prio) < 0) {
            problem(c, file, line, f[3].col, "priority '%.*s' is not a number; line skipped",
                    clip(f[3].s, f[3].n), f[3].s);
            return;
        }
        has_prio = 1;
    }
    if (r->nf >= 5 && f[4].n && !(f[4].n == 1 && f[4].s[0] == '0')) {
        problem(c, file, line, f[4].col,
                "group '%.*s': only the whole match (group 0) can be expressed; line skipped",
                clip(f[4].s, f[4].n), f[4].s);
        return;
    }
    if (tokensregex_syntax(pat, pn)) {
        problem(c, file, line, f[0].col,
                "pattern '%.*s' is in TokensRegex syntax, which is not translated; line skipped",
                clip(pat, pn), pat);
        return;
    }
    /* All tokens literal: a dictionary entry. */
    tmp->len = 0;
    gz_buf lit = {0};
    size_t i = 0, n;
    const char *t;
    int literal = 1;
    while ((n = next_token(pat, pn, &i, &t)) != 0) {
        lit.len = 0;
        if (!literal_token(t, n, &lit)) {
            literal = 0;
            break;
        }
        join_token(tmp, lit.data, lit.len);
    }
    gz_buf_free(&lit);
    if (literal) {
        row *rw = add_row(c, tmp->data, tmp->len, type, tn, NULL, "exact");
        if (has_prio)
            set_prio(c, rw, prio);
        if (r->nf >= 3 && f[2].n) {
            size_t on = f[2].n;
            const char *ov = trim(f[2].s, &on);
            if (on)
                add_attr(c, "overwrite", 9, ov, on);
        }
        return;
    }
    if (!c->o.rules) {
        problem(c, file, line, f[0].col,
                "pattern '%.*s' has regex tokens, which become rules only with --rules-out; "
                "line skipped", clip(pat, pn), pat);
        return;
    }
    tmp->len = 0;
    char why[300];
    if (gz_convert_regexner_pattern(pat, pn, tmp, why, sizeof why) < 0) {
        problem(c, file, line, f[0].col, "%s; line skipped", why);
        return;
    }
    GZ_GROW(c->rules, c->caprules, c->nrules + 1);
    rule *ru = &c->rules[c->nrules++];
    char name[300];
    snprintf(name, sizeof name, "%s-%ld", stem, line);
    ru->name = keep(c, name, strlen(name));
    ru->type = keep(c, type, tn);
    ru->pattern = keep(c, tmp->data, tmp->len);
    ru->has_prio = has_prio;
    ru->prio = prio;
}

static void add_regexner(gz_convert *c, const char *file, const char *data, size_t len)
{
    gz_tsv r;
    gz_error err;
    gz_buf tmp = {0};
    gz_tsv_init(&r, file, data, len, 0);
    /* Rules are named STEM-LINE, unique across rule files: a stem met in
     * an earlier input gets ".N" (the stem itself never holds a '.'). */
    const char *stem = stem_of(c->a, file);
    size_t seen = 0;
    for (size_t i = 0; i < c->nstems; i++)
        seen += strcmp(c->stems[i], stem) == 0;
    GZ_GROW(c->stems, c->capstems, c->nstems + 1);
    c->stems[c->nstems++] = stem;
    if (seen) {
        char buf[300];
        snprintf(buf, sizeof buf, "%s.%zu", stem, seen + 1);
        stem = keep(c, buf, strlen(buf));
    }
    int rc;
    while ((rc = gz_tsv_next(&r, &err)) != 0) {
        if (rc < 0) {
            problem(c, file, err.line, err.column, "%s; line skipped", err.message);
            continue;
        }
        regexner_row(c, file, stem, &r, &tmp);
    }
    gz_buf_free(&tmp);
    gz_tsv_free(&r);
}

/* ---- GATE ---- */

/* Do the features s[0, n) parse as key=value pieces separated by sep? */
static int features_ok(const char *s, size_t n, char sep)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i <= n;) {
        const char *e = memchr(s + i, sep, n - i);
        size_t k = e ? (size_t)(e - s) : n;
        const char *eq = memchr(s + i, '=', k - i);
        if (!eq || eq == s + i)
            return 0;
        i = k + 1;
        if (!e)
            break;
    }
    return 1;
}

/* Where the features of a .lst line begin (the separator's offset), or n
 * when the line is all name.  With no separator set, the first ':', '&' or
 * tab after which the rest of the line reads as key=value features. */
static size_t features_at(const char *s, size_t n, char want, char *sep)
{
    for (size_t i = 1; i < n; i++) {
        char ch = s[i];
        if (want ? ch != want : !(ch == ':' || ch == '&' || ch == '\t'))
            continue;
        if (want || features_ok(s + i + 1, n - i - 1, ch)) {
            *sep = ch;
            return i;
        }
    }
    return n;
}

static void lst_line(gz_convert *c, const char *lst, long line, const char *s, size_t n,
                     const char *const *def)
{
    if (!clean_text(s, n)) {
        problem(c, lst, line, 0, "invalid UTF-8 or NUL byte; line skipped");
        return;
    }
    char sep = 0;
    size_t at = features_at(s, n, c->o.separator, &sep);
    size_t nn = at;
    const char *name = trim(s, &nn);
    if (nn == 0) {
        problem(c, lst, line, 0, "empty name; line skipped");
        return;
    }
    if (at < n && !features_ok(s + at + 1, n - at - 1, sep)) {
        problem(c, lst, line, (long)at + 2, "features must be key=value; line skipped");
        return;
    }
    add_row(c, name, nn, def[1], strlen(def[1]), NULL, "exact");
    static const char *const defkeys[] = {NULL, NULL, "minorType", "language", "annotationType"};
    for (size_t k = 2; k < 5; k++)
        if (def[k] && *def[k])
            add_attr(c, defkeys[k], strlen(defkeys[k]), def[k], strlen(def[k]));
    for (size_t i = at + 1; i < n;) {
        const char *e = memchr(s + i, sep, n - i);
        size_t k = e ? (size_t)(e - s) : n;
        const char *eq = memchr(s + i, '=', k - i);
        const char *key = s + i;
        size_t kn = (size_t)(eq - key);
        const char *val = eq + 1;
        size_t vn = (size_t)(s + k - val);
        char pref[300];
        if (!good_key(key, kn)) {
            int ctl = 0;
            for (size_t j = 0; j < kn; j++)
                ctl |= (unsigned char)key[j] < 0x20 || key[j] == 0x7F;
            if (ctl || kn + 6 > sizeof pref) {
                problem(c, lst, line, (long)i + 1, "feature name cannot be a column; feature "
                        "skipped");
                i = k + 1;
                continue;
            }
            /* A feature named like a dictionary column ("type") gets a prefix. */
            snprintf(pref, sizeof pref, "gate.%.*s", (int)kn, key);
            key = pref;
            kn = strlen(pref);
        }
        add_attr(c, key, kn, val, vn);
        i = k + 1;
    }
}

static void gate_list(gz_convert *c, const char *defpath, long defline, const char *dir,
                      const char *const *def)
{
    char *path;
    size_t fl = strlen(def[0]);
    if (def[0][0] == '/' || !dir) {
        path = gz_xstrdup(def[0]);
    } else {
        path = gz_xmalloc(strlen(dir) + fl + 2);
        sprintf(path, "%s/%s", dir, def[0]);
    }
    gz_buf data = {0};
    gz_error err = {0};
    if (gz_read_file(path, &data, &err) < 0) {
        problem(c, defpath, defline, 0, "%s; list skipped", err.message);
    } else {
        gz_tsv r;
        gz_tsv_init(&r, path, data.data, data.len, 0);
        int rc;
        while ((rc = gz_tsv_next(&r, &err)) != 0) {
            if (rc < 0) {
                problem(c, path, err.line, err.column, "%s; line skipped", err.message);
                continue;
            }
            /* The whole line: fields are split at tabs, which may separate features. */
            const char *s = r.f[0].s;
            size_t n = (size_t)(r.f[r.nf - 1].s + r.f[r.nf - 1].n - s);
            lst_line(c, path, r.line, s, n, def);
        }
        gz_tsv_free(&r);
    }
    gz_buf_free(&data);
    free(path);
}

static void add_gate(gz_convert *c, const char *path, const char *data, size_t len)
{
    char *dir = NULL;
    const char *slash = strrchr(path, '/');
    if (slash)
        dir = gz_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
    gz_tsv r;
    gz_error err;
    gz_tsv_init(&r, path, data, len, 0);
    int rc;
    while ((rc = gz_tsv_next(&r, &err)) != 0) {
        if (rc < 0) {
            problem(c, path, err.line, err.column, "%s; line skipped", err.message);
            continue;
        }
        const char *s = r.f[0].s;
        size_t n = (size_t)(r.f[r.nf - 1].s + r.f[r.nf - 1].n - s);
        s = trim(s, &n);
        if (n == 0)
            continue;
        if (!clean_text(s, n)) {
            problem(c, path, r.line, 0, "invalid UTF-8 or NUL byte; line skipped");
            continue;
        }
        char *copy = gz_xstrndup(s, n);
        const char *def[5] = {0};
        size_t nd = 0;
        char *p = copy;
        int toomany = 0;
        for (;;) {
            char *colon = strchr(p, ':');
            if (nd == 5) {
                toomany = 1;
                break;
            }
            def[nd++] = p;
            if (!colon)
                break;
            *colon = '\0';
            p = colon + 1;
        }
        if (toomany || nd < 2 || !*def[0] || !*def[1]) {
            problem(c, path, r.line, 0,
                    "expected FILE.lst:majorType[:minorType[:language[:annotationType]]]; "
                    "line skipped");
        } else {
            gate_list(c, path, r.line, dir, def);
        }
        free(copy);
    }
    gz_tsv_free(&r);
    free(dir);
}

/* ---- inputs ---- */

size_t gz_convert_add(gz_convert *c, const char *name, const char *data, size_t len)
{
    size_t before = c->problems;
    if (c->o.from == GZ_FROM_SPACY)
        add_spacy(c, name, data, len);
    else if (c->o.from == GZ_FROM_REGEXNER)
        add_regexner(c, name, data, len);
    else
        add_gate(c, name, data, len);
    return c->problems - before;
}

size_t gz_convert_add_file(gz_convert *c, const char *path)
{
    gz_buf data = {0};
    gz_error err = {0};
    size_t n;
    if (gz_read_file(path, &data, &err) < 0) {
        problem(c, path, 0, 0, "%s", err.message);
        n = 1;
    } else {
        n = gz_convert_add(c, path, data.data, data.len);
    }
    gz_buf_free(&data);
    return n;
}

/* ---- output ---- */

/* A first field: a leading '#' is escaped so the row is not a comment. */
static void first_field(gz_buf *out, const char *s)
{
    if (s[0] == '#') {
        gz_buf_adds(out, "\\x23");
        s++;
    }
    gz_tsv_escape(out, s, strlen(s));
}

size_t gz_convert_write_dict(const gz_convert *c, gz_buf *out)
{
    gz_buf_adds(out, "name\ttype\tid\tcase");
    if (c->any_prio)
        gz_buf_adds(out, "\tpriority");
    for (size_t k = 0; k < c->nkeys; k++) {
        gz_buf_addc(out, '\t');
        gz_buf_adds(out, c->keys[k]);
    }
    gz_buf_addc(out, '\n');
    const char **vals = gz_xcalloc(c->nkeys + 1, sizeof *vals);
    for (size_t i = 0; i < c->nrows; i++) {
        const row *r = &c->rows[i];
        const char *type = mapped(c, r->type);
        first_field(out, r->name);
        gz_buf_addc(out, '\t');
        gz_tsv_escape(out, type, strlen(type));
        gz_buf_addc(out, '\t');
        gz_tsv_escape(out, r->id, strlen(r->id));
        gz_buf_addc(out, '\t');
        gz_buf_adds(out, r->casepol);
        if (c->any_prio) {
            gz_buf_addc(out, '\t');
            if (r->has_prio)
                gz_buf_printf(out, "%ld", (long)r->prio);
        }
        for (size_t k = 0; k < c->nkeys; k++)
            vals[k] = "";
        for (size_t a = r->attr0; a < r->attr0 + r->nattr; a++)
            vals[c->attrs[a].key] = c->attrs[a].value;
        for (size_t k = 0; k < c->nkeys; k++) {
            gz_buf_addc(out, '\t');
            gz_tsv_escape(out, vals[k], strlen(vals[k]));
        }
        gz_buf_addc(out, '\n');
    }
    free(vals);
    return c->nrows;
}

size_t gz_convert_write_rules(const gz_convert *c, gz_buf *out)
{
    gz_buf_adds(out, "name\ttype\tpattern\tpriority\n");
    for (size_t i = 0; i < c->nrules; i++) {
        const rule *r = &c->rules[i];
        const char *type = mapped(c, r->type);
        gz_buf_adds(out, r->name);     /* letters, digits, '-' and '_' only */
        gz_buf_addc(out, '\t');
        gz_tsv_escape(out, type, strlen(type));
        gz_buf_addc(out, '\t');
        gz_buf_adds(out, r->pattern);  /* taken raw by the rule loader; no tab inside */
        gz_buf_addc(out, '\t');
        if (r->has_prio)
            gz_buf_printf(out, "%ld", (long)r->prio);
        gz_buf_addc(out, '\n');
    }
    return c->nrules;
}
