/* SPDX-License-Identifier: MIT */
/*
 * output.c - the table of output formats, the rendering protocol that
 * drives them, the escapes and cursors they share, and buffered output.
 *
 * Each format is a file in src/format/ (format.h says what it implements);
 * the table below lists them, the first being the default.  All formats
 * are views of the same span list: each walks the sorted spans of a piece
 * once.  Formats that print the text (inline, html, conll) keep a cursor
 * (tpos) into the document and print each byte once: the bytes [tpos,
 * base + keep) of a piece, plus the rest of a mention that starts before
 * keep.  Character offsets are a second cursor (cpos, ccount) that counts
 * code points as Python's bytes.decode("utf-8", "replace") does.
 *
 * Escaping, by format: TSV fields as gz_tsv_escape (always valid UTF-8,
 * and exact); CSV fields as
 * gz_csv_field; JSON strings with every
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

#include "format/format.h"
#include "normalize.h"

/* ---- the table of formats ---- */

static const gz_format *const formats[] = {
    &gz_format_tsv, &gz_format_csv, &gz_format_jsonl, &gz_format_inline,
    &gz_format_html, &gz_format_brat, &gz_format_conll,
};
#define N_FORMATS (sizeof formats / sizeof *formats)

const gz_format *gz_format_find(const char *s)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (strcmp(s, formats[i]->name) == 0)
            return formats[i];
    return NULL;
}

const gz_format *gz_format_at(size_t i)
{
    return i < N_FORMATS ? formats[i] : NULL;
}

const char *gz_format_name(const gz_format *f) { return f->name; }
const char *gz_format_ext(const gz_format *f) { return f->ext; }
unsigned gz_format_caps(const gz_format *f) { return f->caps; }

void gz_format_list(gz_buf *out, unsigned caps, const char *conj, int mark_default)
{
    size_t n = 0, total = 0;
    for (size_t i = 0; i < N_FORMATS; i++)
        total += (formats[i]->caps & caps) == caps;
    for (size_t i = 0; i < N_FORMATS; i++) {
        if ((formats[i]->caps & caps) != caps)
            continue;
        if (n)
            gz_buf_printf(out, n + 1 == total ? " %s " : ", ", conj);
        gz_buf_adds(out, formats[i]->name);
        if (mark_default && i == 0)
            gz_buf_adds(out, " (default)");
        n++;
    }
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
    const unsigned char *u = (const unsigned char *)s;
    gz_buf_reserve(out, n);
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c >= 0x20 && c != 0x7F && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        size_t l = 1;
        int cp = (int)c;
        if (c >= 0x80) {
            l = gz_utf8_unit(u + i, n - i, &cp);
            if (cp >= 0xA0) {
                i += l;
                continue;
            }
        }
        gz_buf_add(out, s + run, i - run);
        switch (cp) {
        case '\t': gz_buf_add(out, "\\t", 2); break;
        case '\n': gz_buf_add(out, "\\n", 2); break;
        case '\r': gz_buf_add(out, "\\r", 2); break;
        case '\\': gz_buf_add(out, "\\\\", 2); break;
        default:
            /* other C0 controls, DEL, C1 controls (each of their two bytes)
             * and each byte of an ill-formed unit */
            for (size_t k = 0; k < l; k++)
                gz_buf_printf(out, "\\x%02X", u[i + k]);
            break;
        }
        i += l;
        run = i;
    }
    gz_buf_add(out, s + run, n - run);
}

void gz_csv_field(gz_buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = u[i] == ',' || u[i] == '"' || u[i] == '\n' || u[i] == '\r';
    gz_buf_reserve(out, n + 2);
    if (quote)
        gz_buf_addc(out, '"');
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned c = u[i];
        if ((c >= 0x20 && c < 0x7F && c != '"') || c == '\t' || c == '\n' || c == '\r') {
            i++;
            continue;
        }
        gz_buf_add(out, s + run, i - run);
        size_t l = 1;
        if (c == '"') {
            gz_buf_add(out, "\"\"", 2);
        } else if (c < 0x80) {
            gz_buf_add(out, replacement, 3);  /* C0 control or DEL */
        } else {
            int cp;
            l = gz_utf8_unit(u + i, n - i, &cp);
            if (cp < 0xA0)  /* ill-formed, or a C1 control */
                gz_buf_add(out, replacement, 3);
            else
                gz_buf_add(out, s + i, l);
        }
        i += l;
        run = i;
    }
    gz_buf_add(out, s + run, n - run);
    if (quote)
        gz_buf_addc(out, '"');
}

void gz_fmt_field(gz_buf *out, const char *s)
{
    gz_tsv_escape(out, s, strlen(s));
}

void gz_fmt_json_str(gz_buf *out, const char *s, size_t n, int *lossy)
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

void gz_fmt_json_key(gz_buf *out, const char *k, const char *s, int *lossy)
{
    gz_buf_printf(out, ",\"%s\":", k);
    gz_fmt_json_str(out, s, strlen(s), lossy);
}

/* Text for people: HTML-escaped, control characters shown as the symbols
 * of the Control Pictures block, ill-formed bytes as U+FFFD. */
void gz_fmt_html_text(gz_buf *out, const char *s, size_t n)
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

void gz_fmt_html_str(gz_buf *out, const char *s)
{
    gz_fmt_html_text(out, s, strlen(s));
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

/* Text for a terminal: gz_term_escape, keeping its line breaks and tabs. */
void gz_fmt_term_text(gz_buf *out, const char *s, size_t n)
{
    gz_term_escape(out, s, n, 1);
}

/* ---- colours by type ---- */

unsigned gz_fmt_type_color(const char *type)
{
    static const char *const known[] = {"PERSON", "ORG", "PLACE", "NORP", "MISC", "KEYWORD"};
    for (unsigned i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(type, known[i]) == 0)
            return i;
    uint64_t h = gz_fnv1a(GZ_FNV_OFFSET, type, strlen(type));
    return 6 + (unsigned)(h % (GZ_FMT_COLORS - 6));
}

const char *const gz_fmt_ansi_colors[GZ_FMT_COLORS] = {"1;35", "1;34", "1;32", "33", "36", "2",
                                                  "31", "1;36"};
const char *const gz_fmt_html_colors[GZ_FMT_COLORS] = {"#f9c6d3", "#bcd7f5", "#c4ecc4", "#fbe3a8",
                                                  "#c9efef", "#e3e3e3", "#f5c9a8", "#dcc9f5"};

/* ---- aggregates ---- */

void gz_fmt_agg_add(gz_agg **table, const char *type, const char *id, const char *name,
                    size_t mentions, size_t documents)
{
    size_t lt = strlen(type), li = strlen(id), ln = strlen(name);
    size_t kl = lt + li + ln + 2;
    char *k = gz_xmalloc(kl + 1);
    memcpy(k, type, lt + 1);
    memcpy(k + lt + 1, id, li + 1);
    memcpy(k + lt + li + 2, name, ln + 1);
    gz_agg *a;
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

void gz_fmt_agg_clear(gz_agg **table)
{
    gz_agg *a, *tmp;
    HASH_ITER(hh, *table, a, tmp) {
        HASH_DEL(*table, a);
        free(a->key);
        free(a);
    }
}

static int cmp_agg(const void *pa, const void *pb)
{
    const gz_agg *a = *(gz_agg *const *)pa, *b = *(gz_agg *const *)pb;
    if (a->mentions != b->mentions)
        return a->mentions > b->mentions ? -1 : 1;
    int c = strcmp(a->type, b->type);
    if (!c)
        c = strcmp(a->name, b->name);
    if (!c)
        c = strcmp(a->id, b->id);
    return c;
}

gz_agg **gz_fmt_agg_sorted(gz_agg *table, size_t *n)
{
    size_t k = HASH_COUNT(table), i = 0;
    gz_agg **v = gz_xcalloc(k ? k : 1, sizeof *v);
    for (gz_agg *a = table; a; a = a->hh.next)
        v[i++] = a;
    gz_sort(v, k, sizeof *v, cmp_agg);
    *n = k;
    return v;
}

/* ---- cursors shared by the formats ---- */

static int needs_chars(const gz_render *r)
{
    return r->o.chars || (r->o.format->caps & GZ_FMT_CHARS);
}

static int needs_aggs(const gz_render *r)
{
    return r->o.count || (r->o.format->caps & GZ_FMT_AGGS);
}

size_t gz_fmt_char_off(gz_render *r, const gz_piece *p, size_t b)
{
    if (b < r->cpos) {
        r->cpos = r->ck_pos;
        r->ccount = r->ck_count;
        if (b < r->cpos)
            return r->ccount;
    }
    const unsigned char *u = (const unsigned char *)p->text;
    while (r->cpos < b && r->cpos < p->base + p->len) {
        size_t i = r->cpos - p->base;
        size_t l = 1;
        if (u[i] >= 0x80) {
            int cp;
            l = gz_utf8_unit(u + i, p->len - i, &cp);
        }
        if (r->cpos + l > b)
            return r->ccount + 1;  /* b cuts a unit: its prefix is one unit */
        r->cpos += l;
        r->ccount++;
    }
    return r->ccount;
}

/* Move the character cursor to the end of the piece's own bytes. */
static void char_finish(gz_render *r, const gz_piece *p)
{
    const unsigned char *u = (const unsigned char *)p->text;
    size_t end = p->base + p->keep;
    while (r->cpos < end && r->cpos < p->base + p->len) {
        size_t i = r->cpos - p->base;
        int cp;
        r->cpos += u[i] < 0x80 ? 1 : gz_utf8_unit(u + i, p->len - i, &cp);
        r->ccount++;
    }
}

/* n in decimal: the writers print two offsets a mention, and printf
 * cost more than the rest of a TSV row. */
static void add_size(gz_buf *out, size_t n)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    gz_buf_add(out, d + i, sizeof d - i);
}

void gz_fmt_offsets(gz_render *r, gz_buf *out, const gz_piece *p, const gz_span *s,
                    const char *sep)
{
    size_t a = s->start, b = s->end;
    if (r->o.chars) {
        a = gz_fmt_char_off(r, p, a);
        b = gz_fmt_char_off(r, p, b);
    }
    add_size(out, a);
    gz_buf_adds(out, sep);
    add_size(out, b);
}

/* --explain: which name, alias or rule made the match, and the
 * normalisations that were needed. */
void gz_fmt_explain(gz_buf *tmp, const gz_span *s)
{
    static const struct { unsigned bit; const char *word; } hows[] = {
        {GZ_HOW_CASE, "case"}, {GZ_HOW_POSSESSIVE, "possessive"},
        {GZ_HOW_SPACE, "white space"}, {GZ_HOW_HYPHEN, "hyphen"},
        {GZ_HOW_PLURAL, "plural"}, {GZ_HOW_DIACRITICS, "diacritics"},
        {GZ_HOW_QUOTE, "quotes"}, {GZ_HOW_NFC, "unicode normalisation"}};
    tmp->len = 0;
    if (s->why && strcmp(s->source, "context") == 0 && !s->matched) {
        /* a reading the context made up: its rule is the whole story */
        gz_buf_adds(tmp, s->why);
        gz_buf_addc(tmp, '\0');
        return;
    }
    if (s->origin == GZ_ORIGIN_REGEX_RULE || s->origin == GZ_ORIGIN_TOKEN_RULE) {
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
    if (s->why) {
        gz_buf_adds(tmp, "; ");
        gz_buf_adds(tmp, s->why);
    }
    gz_buf_addc(tmp, '\0');
}

size_t gz_fmt_own_end(const gz_piece *p)
{
    size_t keep = p->keep;
    while (keep < p->len && ((unsigned char)p->text[keep] & 0xC0) == 0x80)
        keep++;
    return keep;
}

void gz_fmt_marked_text(gz_render *r, gz_buf *out, const gz_piece *p, gz_fmt_plain_fn plain,
                        gz_fmt_mark_fn mark)
{
    size_t base = p->base;
    if (r->tpos < base)
        r->tpos = base;
    for (size_t i = 0; i < p->n; i++) {
        const gz_span *s = &p->spans[i];
        if (s->start < r->tpos || s->end > base + p->len)
            continue;  /* overlaps what is printed: cannot be shown */
        plain(out, p->text + (r->tpos - base), s->start - r->tpos);
        mark(r, out, s, p->text + (s->start - base), s->end - s->start);
        r->tpos = s->end;
    }
    size_t end = base + gz_fmt_own_end(p);
    if (r->tpos < end) {
        plain(out, p->text + (r->tpos - base), end - r->tpos);
        r->tpos = end;
    }
}

/* ---- protocol ---- */

gz_render *gz_render_new(const gz_fmt_opts *o)
{
    gz_render *r = gz_xcalloc(1, sizeof *r);
    r->o = *o;
    if (!r->o.format)
        r->o.format = formats[0];
    if (r->o.format->state_size)
        r->st = gz_xcalloc(1, r->o.format->state_size);
    return r;
}

static void clear_state(gz_render *r)
{
    if (!r->st)
        return;
    if (r->o.format->state_clear)
        r->o.format->state_clear(r->st);
    memset(r->st, 0, r->o.format->state_size);
}

void gz_render_free(gz_render *r)
{
    if (!r)
        return;
    gz_fmt_agg_clear(&r->aggs);
    clear_state(r);
    free(r->st);
    free(r->doc);
    free(r);
}

void gz_render_run_begin(gz_render *run, gz_buf *out)
{
    if (!run->o.count && run->o.format->run_begin)
        run->o.format->run_begin(run, out);
}

void gz_render_doc_begin(gz_render *r, gz_buf *out, const char *doc)
{
    free(r->doc);
    r->doc = gz_xstrdup(doc);
    r->begun = 1;
    r->cpos = r->ccount = r->ck_pos = r->ck_count = 0;
    r->tpos = 0;
    clear_state(r);
    gz_fmt_agg_clear(&r->aggs);
    if (!r->o.count && r->o.format->doc_begin)
        r->o.format->doc_begin(r, out);
}

void gz_render_piece(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                     size_t keep, const gz_span *spans, size_t n)
{
    gz_piece p = {text, len, base, keep, spans, n};
    r->ck_pos = r->cpos;
    r->ck_count = r->ccount;
    if (needs_aggs(r))   /* counts are of resolved mentions, never of covered ones */
        for (size_t i = 0; i < n; i++)
            if (!spans[i].covered)
                gz_fmt_agg_add(&r->aggs, spans[i].type, spans[i].id, spans[i].name, 1, 0);
    if (r->o.count)
        return;
    r->o.format->piece(r, out, &p);
    if (needs_chars(r))
        char_finish(r, &p);
}

void gz_render_doc_end(gz_render *r, gz_buf *out)
{
    if (!r->o.count && r->o.format->doc_end)
        r->o.format->doc_end(r, out);
}

void gz_render_merge(gz_render *run, gz_render *r)
{
    for (gz_agg *a = r->aggs; a; a = a->hh.next)
        gz_fmt_agg_add(&run->aggs, a->type, a->id, a->name, a->mentions, 1);
    gz_fmt_agg_clear(&r->aggs);
    run->ndocs += r->begun;
    r->begun = 0;
}

void gz_render_run_end(gz_render *run, gz_buf *out)
{
    if (run->o.count) {
        if (run->o.format->count_table) {
            size_t n;
            gz_agg **v = gz_fmt_agg_sorted(run->aggs, &n);
            run->o.format->count_table(run, out, v, n);
            free(v);
        }
    } else if (run->o.format->run_end) {
        run->o.format->run_end(run, out);
    }
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
