/* SPDX-License-Identifier: MIT */
/*
 * output.c - every output format, their escaping, and buffered output.
 *
 * All formats are views of the same span list: each renderer walks the
 * sorted spans of a piece once.  Formats that print the text (inline, html,
 * conll) keep a cursor (tpos) into the document and print each byte once:
 * the bytes [tpos, base + keep) of a piece, plus the rest of a mention that
 * starts before keep.  Character offsets are a second cursor (cpos, ccount)
 * that counts code points as Python's bytes.decode("utf-8", "replace") does.
 *
 * Escaping, by format: TSV fields as gz_tsv_escape; JSON strings with every
 * control character escaped and ill-formed UTF-8 replaced by U+FFFD; HTML
 * with & < > " ' as references and control characters as visible symbols;
 * inline text with control characters (C0 but tab, line feed and the
 * carriage return of a CR LF pair; DEL; C1) and ill-formed bytes as \xHH and
 * bidirectional controls as \uHHHH, so that nothing from the input can drive
 * or disguise a terminal.
 *
 * Per-run aggregates (--count, html's legend and frequency table) are keyed
 * by type, id and name, own copies of their strings, and are folded into the
 * run's renderer by gz_render_merge.
 */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "normalize.h"

#define uthash_fatal(msg) gz_oom()
#include <uthash.h>

/* ---- formats ---- */

static const char *const format_names[] = {"tsv", "jsonl", "inline", "html", "brat", "conll"};
static const char *const format_exts[] = {".tsv", ".jsonl", ".inline.txt", ".html", ".ann",
                                          ".conll"};

int gz_format_parse(const char *s)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(s, format_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *gz_format_ext(int f)
{
    if (f < 0 || (size_t)f >= sizeof format_exts / sizeof *format_exts)
        return ".txt";
    return format_exts[f];
}

/* ---- UTF-8 units ---- */

size_t gz_utf8_unit(const unsigned char *s, size_t n, int *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int)c;
        return 1;
    }
    /* the second byte's range depends on the lead (Unicode table 3-7);
     * every later byte is 80..BF */
    size_t need;
    unsigned lo = 0x80, hi = 0xBF, v;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *cp = -1;
        return 1;
    }
    size_t i = 1;
    for (; i <= need && i < n; i++) {
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            break;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = i == need + 1 ? (int)v : -1;
    return i;
}

static const char replacement[] = "\xEF\xBF\xBD";

size_t gz_utf8_sanitize(gz_buf *out, const char *s, size_t n, int final)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        int cp;
        size_t l = gz_utf8_unit(u + i, n - i, &cp);
        if (cp >= 0) {
            i += l;
            continue;
        }
        if (!final && i + l == n && l < 4 && (u[i] >= 0xC2 && u[i] <= 0xF4))
            break;  /* possibly the start of a character cut by the caller */
        gz_buf_add(out, s + run, i - run);
        gz_buf_add(out, replacement, 3);
        i += l;
        run = i;
    }
    gz_buf_add(out, s + run, i - run);
    return i;
}

/* ---- escaping ---- */

void gz_tsv_escape(gz_buf *out, const char *s, size_t n)
{
    gz_buf_reserve(out, n);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* a C1 control (U+0080..U+009F: C2 80..C2 9F), e.g. the CSI U+009B */
        int c1 = c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                 (unsigned char)s[i + 1] <= 0x9F;
        if (c >= 0x20 && c != 0x7F && c != '\\' && !c1)
            continue;
        if (i > run)
            gz_buf_add(out, s + run, i - run);
        if (c1) {
            gz_buf_printf(out, "\\x%02X\\x%02X", c, (unsigned char)s[i + 1]);
            run = ++i + 1;
            continue;
        }
        switch (c) {
        case '\t': gz_buf_add(out, "\\t", 2); break;
        case '\n': gz_buf_add(out, "\\n", 2); break;
        case '\r': gz_buf_add(out, "\\r", 2); break;
        case '\\': gz_buf_add(out, "\\\\", 2); break;
        default: gz_buf_printf(out, "\\x%02X", c); break;
        }
        run = i + 1;
    }
    if (n > run)
        gz_buf_add(out, s + run, n - run);
}

static void field(gz_buf *out, const char *s)
{
    gz_tsv_escape(out, s, strlen(s));
}

/* A JSON string (with quotes).  Sets *lossy when a byte was replaced. */
static void json_str(gz_buf *out, const char *s, size_t n, int *lossy)
{
    const unsigned char *u = (const unsigned char *)s;
    gz_buf_reserve(out, n + 2);
    gz_buf_addc(out, '"');
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            i++;
            continue;
        }
        gz_buf_add(out, s + run, i - run);
        size_t l = 1;
        if (c < 0x80) {
            switch (c) {
            case '"': gz_buf_add(out, "\\\"", 2); break;
            case '\\': gz_buf_add(out, "\\\\", 2); break;
            case '\n': gz_buf_add(out, "\\n", 2); break;
            case '\t': gz_buf_add(out, "\\t", 2); break;
            case '\r': gz_buf_add(out, "\\r", 2); break;
            default: gz_buf_printf(out, "\\u%04x", c); break;
            }
        } else {
            int cp;
            l = gz_utf8_unit(u + i, n - i, &cp);
            if (cp < 0) {
                gz_buf_add(out, replacement, 3);
                *lossy = 1;
            } else if (cp < 0xA0 || cp == 0x2028 || cp == 0x2029) {
                /* C1 controls and the JavaScript line separators */
                gz_buf_printf(out, "\\u%04x", (unsigned)cp);
            } else {
                gz_buf_add(out, s + i, l);
            }
        }
        i += l;
        run = i;
    }
    gz_buf_add(out, s + run, n - run);
    gz_buf_addc(out, '"');
}

static void json_key(gz_buf *out, const char *k, const char *s, int *lossy)
{
    gz_buf_printf(out, ",\"%s\":", k);
    json_str(out, s, strlen(s), lossy);
}

/* Text for people: HTML-escaped, control characters shown as the symbols
 * of the Control Pictures block, ill-formed bytes as U+FFFD. */
static void html_text(gz_buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') {
            i++;
            continue;
        }
        if (c == '\n' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        gz_buf_add(out, s + run, i - run);
        size_t l = 1;
        switch (c) {
        case '&': gz_buf_adds(out, "&amp;"); break;
        case '<': gz_buf_adds(out, "&lt;"); break;
        case '>': gz_buf_adds(out, "&gt;"); break;
        case '"': gz_buf_adds(out, "&quot;"); break;
        case '\'': gz_buf_adds(out, "&#39;"); break;
        default:
            if (c < 0x20) {
                gz_buf_printf(out, "&#x%X;", 0x2400 + c);
            } else if (c == 0x7F) {
                gz_buf_adds(out, "&#x2421;");
            } else {
                int cp;
                l = gz_utf8_unit(u + i, n - i, &cp);
                if (cp < 0 || cp < 0xA0)
                    gz_buf_add(out, replacement, 3);
                else
                    gz_buf_add(out, s + i, l);
            }
        }
        i += l;
        run = i;
    }
    gz_buf_add(out, s + run, n - run);
}

static void html_str(gz_buf *out, const char *s)
{
    html_text(out, s, strlen(s));
}

/* Characters that reorder what a terminal shows (bidirectional embeddings,
 * overrides and isolates): shown escaped, so text cannot disguise itself. */
static int bidi_control(int cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C;
}

void gz_term_escape(gz_buf *out, const char *s, size_t n, int lines)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned c = u[i];
        if ((c >= 0x20 && c < 0x7F) ||
            (lines && (c == '\n' || c == '\t' ||
                       (c == '\r' && i + 1 < n && u[i + 1] == '\n')))) {
            i++;
            continue;
        }
        int cp = (int)c;
        size_t l = 1;
        if (c >= 0x80)
            l = gz_utf8_unit(u + i, n - i, &cp);
        if (cp >= 0xA0 && bidi_control(cp)) {
            gz_buf_add(out, s + run, i - run);
            gz_buf_printf(out, "\\u%04X", (unsigned)cp);
            i += l;
            run = i;
            continue;
        }
        if (cp >= 0xA0) {
            i += l;
            continue;
        }
        gz_buf_add(out, s + run, i - run);
        for (size_t k = 0; k < l; k++)
            gz_buf_printf(out, "\\x%02X", u[i + k]);
        i += l;
        run = i;
    }
    gz_buf_add(out, s + run, n - run);
}

static void term_text(gz_buf *out, const char *s, size_t n)
{
    gz_term_escape(out, s, n, 1);
}

/* ---- colours by type ---- */

#define N_COLORS 8

static unsigned type_color(const char *type)
{
    static const char *const known[] = {"PERSON", "ORG", "PLACE", "NORP", "MISC", "KEYWORD"};
    for (unsigned i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(type, known[i]) == 0)
            return i;
    uint64_t h = gz_fnv1a(GZ_FNV_OFFSET, type, strlen(type));
    return 6 + (unsigned)(h % (N_COLORS - 6));
}

static const char *const ansi_colors[N_COLORS] = {"1;35", "1;34", "1;32", "33", "36", "2",
                                                  "31", "1;36"};
static const char *const html_colors[N_COLORS] = {"#f9c6d3", "#bcd7f5", "#c4ecc4", "#fbe3a8",
                                                  "#c9efef", "#e3e3e3", "#f5c9a8", "#dcc9f5"};

/* ---- aggregates ---- */

typedef struct agg {
    char *key;              /* type \0 id \0 name */
    size_t keylen;
    const char *type, *id, *name;  /* into key */
    size_t mentions, documents;
    UT_hash_handle hh;
} agg;

static void agg_add(agg **table, const char *type, const char *id, const char *name,
                    size_t mentions, size_t documents)
{
    size_t lt = strlen(type), li = strlen(id), ln = strlen(name);
    size_t kl = lt + li + ln + 2;
    char *k = gz_xmalloc(kl + 1);
    memcpy(k, type, lt + 1);
    memcpy(k + lt + 1, id, li + 1);
    memcpy(k + lt + li + 2, name, ln + 1);
    agg *a;
    HASH_FIND(hh, *table, k, kl, a);
    if (a) {
        free(k);
    } else {
        a = gz_xcalloc(1, sizeof *a);
        a->key = k;
        a->keylen = kl;
        a->type = k;
        a->id = k + lt + 1;
        a->name = k + lt + li + 2;
        HASH_ADD_KEYPTR(hh, *table, a->key, a->keylen, a);
    }
    a->mentions += mentions;
    a->documents += documents;
}

static void agg_clear(agg **table)
{
    agg *a, *tmp;
    HASH_ITER(hh, *table, a, tmp) {
        HASH_DEL(*table, a);
        free(a->key);
        free(a);
    }
}

static int cmp_agg(const void *pa, const void *pb)
{
    const agg *a = *(agg *const *)pa, *b = *(agg *const *)pb;
    if (a->mentions != b->mentions)
        return a->mentions > b->mentions ? -1 : 1;
    int c = strcmp(a->type, b->type);
    if (!c)
        c = strcmp(a->name, b->name);
    if (!c)
        c = strcmp(a->id, b->id);
    return c;
}

/* The aggregates as an array in table order; *n gets the count. */
static agg **agg_sorted(agg *table, size_t *n)
{
    size_t k = HASH_COUNT(table), i = 0;
    agg **v = gz_xcalloc(k ? k : 1, sizeof *v);
    for (agg *a = table; a; a = a->hh.next)
        v[i++] = a;
    if (k)
        qsort(v, k, sizeof *v, cmp_agg);
    *n = k;
    return v;
}

/* ---- the renderer ---- */

struct gz_render {
    gz_fmt_opts o;
    char *doc;
    size_t ndocs;           /* documents merged (run) */
    int begun;              /* a document was begun and not yet merged */
    /* character offsets: ccount code points in the document's [0, cpos) */
    size_t cpos, ccount;
    size_t ck_pos, ck_count;  /* the same at the start of the piece */
    /* text formats: bytes before tpos are printed */
    size_t tpos;
    /* brat: annotation numbers */
    size_t tnum, notenum;
    /* conll */
    size_t m_end;           /* end of the mention being tokenised */
    char *m_type;           /* its type, or NULL outside mentions */
    int m_first;            /* the next token begins the mention */
    int sent_tokens;        /* tokens in the open sentence */
    int sent_final;         /* the last token may end the sentence */
    int newlines;           /* line breaks since the last token */
    int gap;                /* white space since the last token */
    agg *aggs;
};

static int needs_chars(const gz_render *r)
{
    return r->o.chars || r->o.format == GZ_FMT_BRAT;
}

static int needs_aggs(const gz_render *r)
{
    return r->o.count || r->o.format == GZ_FMT_HTML;
}

/* The code-point offset of document byte b, which is in the current piece
 * text[0, len) at base, at or after the piece's start.  Calls are cheapest
 * in increasing order of b. */
static size_t char_off(gz_render *r, const char *text, size_t len, size_t base, size_t b)
{
    if (b < r->cpos) {
        r->cpos = r->ck_pos;
        r->ccount = r->ck_count;
        if (b < r->cpos)
            return r->ccount;
    }
    const unsigned char *u = (const unsigned char *)text;
    while (r->cpos < b && r->cpos < base + len) {
        size_t i = r->cpos - base;
        size_t l = 1;
        if (u[i] >= 0x80) {
            int cp;
            l = gz_utf8_unit(u + i, len - i, &cp);
        }
        if (r->cpos + l > b)
            return r->ccount + 1;  /* b cuts a unit: its prefix is one unit */
        r->cpos += l;
        r->ccount++;
    }
    return r->ccount;
}

/* Move the character cursor to the end of the piece's own bytes. */
static void char_finish(gz_render *r, const char *text, size_t len, size_t base, size_t end)
{
    const unsigned char *u = (const unsigned char *)text;
    while (r->cpos < end && r->cpos < base + len) {
        size_t i = r->cpos - base;
        int cp;
        r->cpos += u[i] < 0x80 ? 1 : gz_utf8_unit(u + i, len - i, &cp);
        r->ccount++;
    }
}

static void offsets(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                    const gz_span *s, const char *sep)
{
    size_t a = s->start, b = s->end;
    if (r->o.chars) {
        a = char_off(r, text, len, base, a);
        b = char_off(r, text, len, base, b);
    }
    gz_buf_printf(out, "%zu%s%zu", a, sep, b);
}

/* --explain: which name, alias or rule made the match, and the
 * normalisations that were needed. */
static void explain(gz_buf *tmp, const gz_span *s)
{
    static const struct { unsigned bit; const char *word; } hows[] = {
        {GZ_HOW_CASE, "case"}, {GZ_HOW_POSSESSIVE, "possessive"},
        {GZ_HOW_SPACE, "white space"}, {GZ_HOW_HYPHEN, "hyphen"},
        {GZ_HOW_PLURAL, "plural"}, {GZ_HOW_DIACRITICS, "diacritics"},
        {GZ_HOW_QUOTE, "quotes"}, {GZ_HOW_NFC, "unicode normalisation"}};
    tmp->len = 0;
    if (strncmp(s->source, "rule:", 5) == 0) {
        gz_buf_printf(tmp, "rule %s", s->source + 5);
    } else if (s->matched) {
        gz_buf_adds(tmp, strcmp(s->matched, s->name) == 0 ? "name \"" : "alias \"");
        gz_buf_adds(tmp, s->matched);
        gz_buf_addc(tmp, '"');
    } else {
        gz_buf_adds(tmp, s->source);
    }
    const char *sep = ": ";
    for (size_t i = 0; i < sizeof hows / sizeof *hows; i++) {
        if (s->how & hows[i].bit) {
            gz_buf_adds(tmp, sep);
            gz_buf_adds(tmp, hows[i].word);
            sep = ", ";
        }
    }
    gz_buf_addc(tmp, '\0');
}

/* ---- tsv ---- */

static void tsv_tail(gz_render *r, gz_buf *out, const gz_span *s)
{
    if (!r->o.explain)
        return;
    gz_buf tmp = {0};
    explain(&tmp, s);
    gz_buf_addc(out, '\t');
    field(out, tmp.data);
    gz_buf_free(&tmp);
}

/* One row: fields of entity e for the mention s; the alternatives are the
 * other candidates: alts except skip, after first (if not NULL). */
static void tsv_row(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                    const gz_span *s, const gz_span *e, const gz_span *first,
                    const gz_span *skip)
{
    field(out, r->doc);
    gz_buf_addc(out, '\t');
    offsets(r, out, text, len, base, s, "\t");
    gz_buf_addc(out, '\t');
    gz_tsv_escape(out, text + (s->start - base), s->end - s->start);
    gz_buf_addc(out, '\t');
    field(out, e->type);
    gz_buf_addc(out, '\t');
    field(out, e->id);
    gz_buf_addc(out, '\t');
    field(out, e->name);
    gz_buf_addc(out, '\t');
    field(out, e->source);
    gz_buf_addc(out, '\t');
    int firstalt = 1;
    if (first) {
        field(out, first->id);
        firstalt = 0;
    }
    for (size_t k = 0; k < s->n_alts; k++) {
        if (&s->alts[k] == skip)
            continue;
        if (!firstalt)
            gz_buf_addc(out, '|');
        field(out, s->alts[k].id);
        firstalt = 0;
    }
    tsv_tail(r, out, e);
    gz_buf_addc(out, '\n');
}

static void tsv_spans(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                      const gz_span *spans, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = &spans[i];
        tsv_row(r, out, text, len, base, s, s, NULL, NULL);
        if (!r->o.all_candidates)
            continue;
        /* one row per other candidate; its alternatives are the winner and
         * the rest */
        for (size_t k = 0; k < s->n_alts; k++)
            tsv_row(r, out, text, len, base, s, &s->alts[k], s, &s->alts[k]);
    }
}

/* ---- jsonl ---- */

static void json_entity(gz_buf *out, const gz_span *e, int *lossy)
{
    gz_buf_adds(out, "\"type\":");
    json_str(out, e->type, strlen(e->type), lossy);
    json_key(out, "id", e->id, lossy);
    json_key(out, "name", e->name, lossy);
    json_key(out, "source", e->source, lossy);
}

static void jsonl_spans(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                        const gz_span *spans, size_t n)
{
    gz_buf tmp = {0};
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = &spans[i];
        int lossy = 0;
        gz_buf_adds(out, "{\"doc\":");
        json_str(out, r->doc, strlen(r->doc), &lossy);
        gz_buf_adds(out, r->o.chars ? ",\"char_start\":" : ",\"start\":");
        size_t a = s->start, b = s->end;
        if (r->o.chars) {
            a = char_off(r, text, len, base, a);
            b = char_off(r, text, len, base, b);
        }
        gz_buf_printf(out, "%zu%s%zu", a, r->o.chars ? ",\"char_end\":" : ",\"end\":", b);
        gz_buf_adds(out, ",\"text\":");
        json_str(out, text + (s->start - base), s->end - s->start, &lossy);
        gz_buf_addc(out, ',');
        json_entity(out, s, &lossy);
        gz_buf_adds(out, ",\"attrs\":{");
        for (size_t k = 0; k < s->n_attrs; k++) {
            if (k)
                gz_buf_addc(out, ',');
            json_str(out, s->attrs[k].key, strlen(s->attrs[k].key), &lossy);
            gz_buf_addc(out, ':');
            json_str(out, s->attrs[k].value, strlen(s->attrs[k].value), &lossy);
        }
        gz_buf_adds(out, "},\"alternatives\":[");
        for (size_t k = 0; k < s->n_alts; k++) {
            gz_buf_adds(out, k ? ",{" : "{");
            json_entity(out, &s->alts[k], &lossy);
            gz_buf_addc(out, '}');
        }
        gz_buf_addc(out, ']');
        if (r->o.explain) {
            explain(&tmp, s);
            json_key(out, "explain", tmp.data, &lossy);
        }
        if (lossy)
            gz_buf_adds(out, ",\"lossy\":true");
        gz_buf_adds(out, "}\n");
    }
    gz_buf_free(&tmp);
}

/* ---- text formats: inline, html ---- */

/* The end of the piece's own bytes, moved past continuation bytes so that
 * no character is split between two pieces. */
static size_t own_end(const char *text, size_t len, size_t keep)
{
    while (keep < len && ((unsigned char)text[keep] & 0xC0) == 0x80)
        keep++;
    return keep;
}

static void inline_mark(gz_render *r, gz_buf *out, const gz_span *s, const char *t, size_t n)
{
    if (r->o.color)
        gz_buf_printf(out, "\033[%sm", ansi_colors[type_color(s->type)]);
    gz_buf_addc(out, '[');
    term_text(out, t, n);
    gz_buf_adds(out, "](");
    term_text(out, s->type, strlen(s->type));
    gz_buf_addc(out, ')');
    if (r->o.color)
        gz_buf_adds(out, "\033[0m");
}

static void html_mark(gz_buf *out, const gz_span *s, const char *t, size_t n)
{
    gz_buf_printf(out, "<mark class=\"c%u\" title=\"", type_color(s->type));
    html_str(out, s->type);
    gz_buf_adds(out, " \xC2\xB7 ");
    html_str(out, s->name);
    if (*s->id) {
        gz_buf_adds(out, " \xC2\xB7 ");
        html_str(out, s->id);
    }
    gz_buf_adds(out, "\">");
    html_text(out, t, n);
    gz_buf_adds(out, "</mark>");
}

static void text_spans(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                       size_t keep, const gz_span *spans, size_t n)
{
    int html = r->o.format == GZ_FMT_HTML;
    void (*plain)(gz_buf *, const char *, size_t) = html ? html_text : term_text;
    if (r->tpos < base)
        r->tpos = base;
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = &spans[i];
        if (s->start < r->tpos || s->end > base + len)
            continue;  /* overlaps what is printed: cannot be shown */
        plain(out, text + (r->tpos - base), s->start - r->tpos);
        const char *t = text + (s->start - base);
        if (html)
            html_mark(out, s, t, s->end - s->start);
        else
            inline_mark(r, out, s, t, s->end - s->start);
        r->tpos = s->end;
    }
    size_t end = base + own_end(text, len, keep);
    if (r->tpos < end) {
        plain(out, text + (r->tpos - base), end - r->tpos);
        r->tpos = end;
    }
}

/* ---- brat ---- */

static void brat_label(gz_buf *out, const char *s)
{
    /* brat labels: letters, digits, '-' and '_' */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c >= 0x80;
        gz_buf_addc(out, ok ? (char)c : '_');
    }
}

/* Note text and the annotation text: one line, tabs and controls as spaces,
 * ill-formed bytes as U+FFFD (the .txt copy is written the same way). */
static void brat_text(gz_buf *out, const char *s, size_t n)
{
    size_t from = out->len;
    gz_utf8_sanitize(out, s, n, 1);
    for (size_t i = from; i < out->len; i++)
        if ((unsigned char)out->data[i] < 0x20 || out->data[i] == 0x7F)
            out->data[i] = ' ';
}

static void brat_spans(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                       const gz_span *spans, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = &spans[i];
        size_t t = ++r->tnum;
        gz_buf_printf(out, "T%zu\t", t);
        brat_label(out, s->type);
        /* a mention across a line break becomes fragments, as brat has
         * them: "start end;start end", the text joined by spaces */
        const char *p = text + (s->start - base);
        size_t m = s->end - s->start;
        for (int pass = 0; pass < 2; pass++) {
            size_t a = 0;
            int nfrag = 0;
            gz_buf_addc(out, pass ? '\t' : ' ');
            while (a < m) {
                size_t b = a;
                while (b < m && p[b] != '\n' && p[b] != '\r')
                    b++;
                if (b > a && pass == 0) {
                    size_t ca = char_off(r, text, len, base, s->start + a);
                    size_t cb = char_off(r, text, len, base, s->start + b);
                    gz_buf_printf(out, "%s%zu %zu", nfrag ? ";" : "", ca, cb);
                } else if (b > a) {
                    if (nfrag)
                        gz_buf_addc(out, ' ');
                    brat_text(out, p + a, b - a);
                }
                nfrag += b > a;
                a = b;
                while (a < m && (p[a] == '\n' || p[a] == '\r'))
                    a++;
            }
        }
        gz_buf_addc(out, '\n');
        if (*s->id || *s->name) {
            gz_buf_printf(out, "#%zu\tAnnotatorNotes T%zu\t", ++r->notenum, t);
            if (*s->id) {
                brat_text(out, s->id, strlen(s->id));
                gz_buf_addc(out, ' ');
            }
            brat_text(out, s->name, strlen(s->name));
            gz_buf_addc(out, '\n');
        }
    }
}

/* ---- conll ----
 *
 * Tokens: white space (and control characters) separates tokens and is not
 * printed.  Outside mentions, a token is a run of letters, marks and digits
 * (joined by single inner apostrophes, hyphens and zero-width joiners: "Kato's"
 * and "Japan-based" are one token), an apostrophe with the letters after it
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
    while (j < limit) {
        size_t l2 = unit_at(c, j, &cp, &cls);
        if (cls == GZ_CC_WORD) {
            j += l2;
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

static void conll_end_sentence(gz_render *r, gz_buf *out)
{
    if (r->sent_tokens)
        gz_buf_addc(out, '\n');
    r->sent_tokens = 0;
    r->sent_final = 0;
}

static void conll_token(gz_render *r, gz_buf *out, const cursor *c, size_t i, size_t j)
{
    int cp, cls;
    unit_at(c, i, &cp, &cls);
    int closing = !r->gap && !r->m_type && is_closing(cp);
    int lower = cp >= 0 && gz_char_case(cp) == GZ_CASE_LOWER;
    if (r->newlines >= 2 || (r->sent_final == 2 && !closing) ||
        (r->sent_final == 1 && r->gap && !lower))
        conll_end_sentence(r, out);
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

static void conll_spans(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                        size_t keep, const gz_span *spans, size_t n)
{
    cursor c = {(const unsigned char *)text, len};
    size_t end = base + own_end(text, len, keep);
    size_t si = 0;
    if (r->tpos < base)
        r->tpos = base;
    while (r->tpos < end) {
        size_t i = r->tpos - base;
        if (r->m_type && r->tpos >= r->m_end) {
            free(r->m_type);
            r->m_type = NULL;
        }
        while (si < n && spans[si].end <= r->tpos)
            si++;
        int cp, cls;
        size_t l = unit_at(&c, i, &cp, &cls);
        if (is_sep(cp, cls)) {
            r->gap = 1;
            if (cls == GZ_CC_NEWLINE && cp == '\n')
                r->newlines++;
            r->tpos += l;
            continue;
        }
        if (!r->m_type && si < n && spans[si].start <= r->tpos) {
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
        conll_token(r, out, &c, i, j);
        r->tpos = base + j;
    }
}

/* ---- protocol ---- */

gz_render *gz_render_new(const gz_fmt_opts *o)
{
    gz_render *r = gz_xcalloc(1, sizeof *r);
    r->o = *o;
    return r;
}

void gz_render_free(gz_render *r)
{
    if (!r)
        return;
    agg_clear(&r->aggs);
    free(r->m_type);
    free(r->doc);
    free(r);
}

static const char html_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>gaztag</title>\n"
    "<style>\n"
    "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fafaf7;"
    "display:grid;grid-template-columns:minmax(0,3fr) minmax(22em,1fr)}\n"
    "main{padding:1em 2em;min-width:0}\n"
    "aside{padding:1em 2em;position:sticky;top:0;align-self:start;max-height:100vh;"
    "overflow:auto;box-sizing:border-box}\n"
    "@media (max-width:50em){body{display:block}aside{position:static;max-height:none}}\n"
    "h1{font-size:1.3em}h2{font-size:1.1em;border-bottom:1px solid #ccc}\n"
    "section.doc .text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;"
    "border:1px solid #ddd;padding:1em;font-family:Georgia,serif}\n"
    "mark{border-radius:3px;padding:0 2px;color:inherit}\n"
    "mark:hover{outline:2px solid #444}\n"
    "table{border-collapse:collapse;font-size:.85em;width:100%}td,th{padding:2px 4px;text-align:left;"
    "border-bottom:1px solid #e4e4e4}td.n{text-align:right}\n"
    "ul.legend{list-style:none;padding:0}ul.legend li{margin:2px 0}\n";

void gz_render_run_begin(gz_render *run, gz_buf *out)
{
    if (run->o.count)
        return;
    switch (run->o.format) {
    case GZ_FMT_TSV:
        if (!run->o.header)
            break;
        gz_buf_adds(out, run->o.chars ? "doc\tchar_start\tchar_end" : "doc\tstart\tend");
        gz_buf_adds(out, "\ttext\ttype\tid\tname\tsource\talternatives");
        gz_buf_adds(out, run->o.explain ? "\texplain\n" : "\n");
        break;
    case GZ_FMT_HTML:
        gz_buf_adds(out, html_head);
        for (unsigned i = 0; i < N_COLORS; i++)
            gz_buf_printf(out, ".c%u{background:%s}\n", i, html_colors[i]);
        gz_buf_adds(out, "</style>\n</head>\n<body>\n<main>\n<h1>gaztag</h1>\n");
        break;
    default:
        break;
    }
}

void gz_render_doc_begin(gz_render *r, gz_buf *out, const char *doc)
{
    free(r->doc);
    r->doc = gz_xstrdup(doc);
    r->begun = 1;
    r->cpos = r->ccount = r->ck_pos = r->ck_count = 0;
    r->tpos = 0;
    r->tnum = r->notenum = 0;
    free(r->m_type);
    r->m_type = NULL;
    r->m_end = 0;
    r->sent_tokens = r->sent_final = r->newlines = r->gap = 0;
    agg_clear(&r->aggs);
    if (r->o.count)
        return;
    if (r->o.format == GZ_FMT_HTML) {
        gz_buf_adds(out, "<section class=\"doc\">\n<h2>");
        html_str(out, strcmp(doc, "-") == 0 ? "(stdin)" : doc);
        gz_buf_adds(out, "</h2>\n<div class=\"text\">");
    } else if (r->o.format == GZ_FMT_CONLL) {
        gz_buf_adds(out, "-DOCSTART- O\n\n");
    }
}

void gz_render_piece(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                     size_t keep, const gz_span *spans, size_t n)
{
    r->ck_pos = r->cpos;
    r->ck_count = r->ccount;
    if (needs_aggs(r))
        for (size_t i = 0; i < n; i++)
            agg_add(&r->aggs, spans[i].type, spans[i].id, spans[i].name, 1, 0);
    if (r->o.count)
        return;
    switch (r->o.format) {
    case GZ_FMT_TSV: tsv_spans(r, out, text, len, base, spans, n); break;
    case GZ_FMT_JSONL: jsonl_spans(r, out, text, len, base, spans, n); break;
    case GZ_FMT_INLINE:
    case GZ_FMT_HTML: text_spans(r, out, text, len, base, keep, spans, n); break;
    case GZ_FMT_BRAT: brat_spans(r, out, text, len, base, spans, n); break;
    case GZ_FMT_CONLL: conll_spans(r, out, text, len, base, keep, spans, n); break;
    default: break;
    }
    if (needs_chars(r))
        char_finish(r, text, len, base, base + keep);
}

void gz_render_doc_end(gz_render *r, gz_buf *out)
{
    if (r->o.count)
        return;
    if (r->o.format == GZ_FMT_HTML) {
        gz_buf_adds(out, "</div>\n</section>\n");
    } else if (r->o.format == GZ_FMT_CONLL) {
        conll_end_sentence(r, out);
        free(r->m_type);
        r->m_type = NULL;
    }
}

void gz_render_merge(gz_render *run, gz_render *r)
{
    for (agg *a = r->aggs; a; a = a->hh.next)
        agg_add(&run->aggs, a->type, a->id, a->name, a->mentions, 1);
    agg_clear(&r->aggs);
    run->ndocs += r->begun;
    r->begun = 0;
}

static void count_table(gz_render *run, gz_buf *out)
{
    size_t n;
    agg **v = agg_sorted(run->aggs, &n);
    int json = run->o.format == GZ_FMT_JSONL;
    if (!json && run->o.header)
        gz_buf_adds(out, "type\tid\tname\tmentions\tdocuments\n");
    for (size_t i = 0; i < n; i++) {
        const agg *a = v[i];
        if (json) {
            int lossy = 0;
            gz_buf_adds(out, "{");
            gz_buf_adds(out, "\"type\":");
            json_str(out, a->type, strlen(a->type), &lossy);
            json_key(out, "id", a->id, &lossy);
            json_key(out, "name", a->name, &lossy);
            gz_buf_printf(out, ",\"mentions\":%zu,\"documents\":%zu", a->mentions, a->documents);
            gz_buf_adds(out, lossy ? ",\"lossy\":true}\n" : "}\n");
        } else {
            field(out, a->type);
            gz_buf_addc(out, '\t');
            field(out, a->id);
            gz_buf_addc(out, '\t');
            field(out, a->name);
            gz_buf_printf(out, "\t%zu\t%zu\n", a->mentions, a->documents);
        }
    }
    free(v);
}

#define HTML_TOP 25

static void html_end(gz_render *run, gz_buf *out)
{
    size_t n;
    agg **v = agg_sorted(run->aggs, &n);
    gz_buf_adds(out, "</main>\n<aside>\n<h2>Legend</h2>\n<ul class=\"legend\">\n");
    /* one entry per type, by mentions */
    agg *types = NULL;
    for (size_t i = 0; i < n; i++)
        agg_add(&types, v[i]->type, "", "", v[i]->mentions, 0);
    size_t nt;
    agg **tv = agg_sorted(types, &nt);
    for (size_t i = 0; i < nt; i++) {
        gz_buf_printf(out, "<li><mark class=\"c%u\">", type_color(tv[i]->type));
        html_str(out, tv[i]->type);
        gz_buf_printf(out, "</mark> %zu</li>\n", tv[i]->mentions);
    }
    if (!nt)
        gz_buf_adds(out, "<li>no mentions</li>\n");
    gz_buf_adds(out, "</ul>\n");
    free(tv);
    agg_clear(&types);
    gz_buf_printf(out, "<h2>Most frequent entities</h2>\n<p>%zu document%s, %zu entit%s</p>\n",
                  run->ndocs, run->ndocs == 1 ? "" : "s", n, n == 1 ? "y" : "ies");
    gz_buf_adds(out, "<table class=\"frequent\">\n<thead><tr><th>Entity</th><th>Type</th>"
                     "<th title=\"mentions\">Ment.</th><th title=\"documents\">Docs</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n && i < HTML_TOP; i++) {
        gz_buf_adds(out, "<tr><td title=\"");
        html_str(out, v[i]->id);
        gz_buf_adds(out, "\">");
        html_str(out, v[i]->name);
        gz_buf_printf(out, "</td><td><mark class=\"c%u\">", type_color(v[i]->type));
        html_str(out, v[i]->type);
        gz_buf_printf(out, "</mark></td><td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n",
                      v[i]->mentions, v[i]->documents);
    }
    gz_buf_adds(out, "</tbody>\n</table>\n</aside>\n</body>\n</html>\n");
    free(v);
}

void gz_render_run_end(gz_render *run, gz_buf *out)
{
    if (run->o.count && (run->o.format == GZ_FMT_TSV || run->o.format == GZ_FMT_JSONL))
        count_table(run, out);
    else if (run->o.format == GZ_FMT_HTML)
        html_end(run, out);
}

/* ---- buffered output ---- */

#define OUT_BUF (1u << 20)

struct gz_out {
    int fd;
    int err;
    size_t len;
    char *buf;
};

gz_out *gz_out_new(int fd)
{
    gz_out *o = gz_xcalloc(1, sizeof *o);
    o->fd = fd;
    o->buf = gz_xmalloc(OUT_BUF);
    return o;
}

static int write_all(gz_out *o, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(o->fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            o->err = errno;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int gz_out_flush(gz_out *o)
{
    if (o->err)
        return -1;
    if (o->len && write_all(o, o->buf, o->len) < 0)
        return -1;
    o->len = 0;
    return 0;
}

int gz_out_write(gz_out *o, const void *s, size_t n)
{
    if (o->err)
        return -1;
    if (o->len + n > OUT_BUF) {
        if (gz_out_flush(o) < 0)
            return -1;
        if (n >= OUT_BUF)
            return write_all(o, s, n);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return 0;
}

int gz_out_errno(const gz_out *o)
{
    return o->err;
}

int gz_out_free(gz_out *o)
{
    if (!o)
        return 0;
    int rc = gz_out_flush(o);
    free(o->buf);
    free(o);
    return rc;
}
