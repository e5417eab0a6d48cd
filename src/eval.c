/* SPDX-License-Identifier: MIT */
/*
 * eval.c - gold annotations, predictions, conlleval-style scoring, and the
 * CoNLL-to-dictionary conversion.
 *
 * Every mention, gold or predicted, is stored the same way: a document index
 * and a byte range [start, end) into that document's text, plus a type in
 * the gold's type space.  CoNLL tokens are turned into byte ranges of the
 * rebuilt text (tokens joined by single spaces, each sentence on its own
 * line), so predictions that come as byte offsets (gaztag TSV, or the tagger
 * run here) and predictions that come as tags (CoNLL) meet on the same
 * ground.  A predicted span over CoNLL gold is widened to the tokens it
 * overlaps, and a span overlapping tokens an earlier span already took is
 * left out, as it would be in a one-tag-per-token file.  Scoring sorts both
 * lists and walks them together; nothing depends on hash order.
 */
#include "eval.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "normalize.h"
#include "output.h"
#include "tsv.h"

/* ---- type map ---- */

typedef struct map_pair {
    char *from, *to;
} map_pair;

struct gz_typemap {
    map_pair *p;
    size_t n, cap;
};

gz_typemap *gz_typemap_parse(const char *spec, gz_error *err)
{
    if (!spec)
        spec = GZ_EVAL_DEFAULT_MAP;
    gz_typemap *m = gz_xcalloc(1, sizeof *m);
    const char *s = spec;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        const char *eq = memchr(s, '=', n);
        if (!eq || eq == s || eq == s + n - 1) {
            gz_error_set(err, NULL, 0, 0, "map entry '%.*s' is not of the form TYPE=GOLDTYPE",
                         (int)n, s);
            gz_typemap_free(m);
            return NULL;
        }
        GZ_GROW(m->p, m->cap, m->n + 1);
        m->p[m->n].from = gz_xstrndup(s, (size_t)(eq - s));
        m->p[m->n].to = gz_xstrndup(eq + 1, (size_t)(s + n - eq - 1));
        m->n++;
        if (!comma)
            break;
        s = comma + 1;
    }
    return m;
}

void gz_typemap_free(gz_typemap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->p[i].from);
        free(m->p[i].to);
    }
    free(m->p);
    free(m);
}

const char *gz_typemap_apply(const gz_typemap *m, const char *t)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->p[i].from, t) == 0)
            return m->p[i].to;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->p[i].to, t) == 0)
            return m->p[i].to;
    return NULL;
}

/* ---- CoNLL reading ---- */

enum { CT_SENT = 1, CT_DOC = 2 };

typedef struct conll_tok {
    const char *text, *tag;
    size_t tlen, taglen;
    long line;
    unsigned flags;     /* CT_SENT first of a sentence, CT_DOC first of a document */
} conll_tok;

typedef struct conll {
    conll_tok *t;
    size_t n, cap;
} conll;

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static int valid_tag(const char *s, size_t n)
{
    if (n == 1 && s[0] == 'O')
        return 1;
    return n >= 3 && strchr("BIES", s[0]) && s[1] == '-';
}

/* Read CoNLL lines: the token is the first field, the tag the last.  Tokens
 * point into data.  Without -DOCSTART- lines each sentence is a document. */
static int conll_read(const char *name, const char *data, size_t len, conll *c, gz_error *err)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    long lineno = 0;
    unsigned pending = CT_SENT | CT_DOC;
    size_t docstarts = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line = p;
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        p = nl ? nl + 1 : end;
        lineno++;
        if (n && line[n - 1] == '\r')
            n--;
        size_t a = 0;
        while (a < n && is_ws(line[a]))
            a++;
        if (a == n) {
            pending |= CT_SENT;
            continue;
        }
        size_t b = a;
        while (b < n && !is_ws(line[b]))
            b++;
        if (b - a == 10 && memcmp(line + a, "-DOCSTART-", 10) == 0) {
            pending |= CT_SENT | CT_DOC;
            docstarts++;
            continue;
        }
        size_t e = n;
        while (e > b && is_ws(line[e - 1]))
            e--;
        size_t ts = e;
        while (ts > b && !is_ws(line[ts - 1]))
            ts--;
        if (ts == b) {
            gz_error_set(err, name, lineno, (long)(b + 1), "expected a token and a tag");
            return -1;
        }
        if (!valid_tag(line + ts, e - ts)) {
            gz_error_set(err, name, lineno, (long)(ts + 1),
                         "tag '%.*s' is neither O nor B-, I-, E- or S- and a type",
                         (int)(e - ts > 60 ? 60 : e - ts), line + ts);
            return -1;
        }
        GZ_GROW(c->t, c->cap, c->n + 1);
        conll_tok *t = &c->t[c->n++];
        t->text = line + a;
        t->tlen = b - a;
        t->tag = line + ts;
        t->taglen = e - ts;
        t->line = lineno;
        t->flags = pending;
        pending = 0;
    }
    if (docstarts == 0)
        for (size_t i = 0; i < c->n; i++)
            if (c->t[i].flags & CT_SENT)
                c->t[i].flags |= CT_DOC;
    return 0;
}

typedef void (*chunk_fn)(void *ctx, size_t first, size_t end, const char *type, size_t tl);

static int same_type(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

/* Call fn for each chunk of tokens [first, end) by conlleval's rules for
 * where chunks start and end (IOB1, IOB2 and IOBES alike); a sentence break
 * ends every chunk. */
static void conll_chunks(const conll *c, chunk_fn fn, void *ctx)
{
    size_t open = SIZE_MAX;
    char ptag = 'O';
    const char *ptype = "";
    size_t ptl = 0;
    for (size_t i = 0; i <= c->n; i++) {
        if (i == c->n || (c->t[i].flags & CT_SENT)) {
            if (open != SIZE_MAX)
                fn(ctx, open, i, ptype, ptl);
            open = SIZE_MAX;
            ptag = 'O';
            ptype = "";
            ptl = 0;
            if (i == c->n)
                break;
        }
        const conll_tok *t = &c->t[i];
        char tg = t->tag[0];
        const char *type = tg == 'O' ? "" : t->tag + 2;
        size_t tl = tg == 'O' ? 0 : t->taglen - 2;
        int same = same_type(ptype, ptl, type, tl);
        int end = ptag != 'O' &&
                  (tg == 'O' || tg == 'B' || tg == 'S' || ptag == 'E' || ptag == 'S' || !same);
        int start = tg != 'O' &&
                    (tg == 'B' || tg == 'S' || ptag == 'O' || ptag == 'E' || ptag == 'S' || !same);
        if (end && open != SIZE_MAX) {
            fn(ctx, open, i, ptype, ptl);
            open = SIZE_MAX;
        }
        if (start)
            open = i;
        ptag = tg;
        ptype = type;
        ptl = tl;
    }
}

/* ---- gold ---- */

typedef struct mention {
    size_t doc, start, end;
    const char *type;       /* in the gold's type space */
    const char *orig;       /* the predicted type before mapping */
    const char *text;       /* surface when the document has no text */
    long line;              /* gold file line (CoNLL), else 0 */
    int matched;
} mention;

typedef struct gdoc {
    char *name;
    gz_buf text;
    int has_text;
    size_t tok0, ntok;      /* CoNLL: the document's tokens in gold->tok */
} gdoc;

typedef struct gtok {
    size_t start, end;      /* bytes in the document text */
    long line;
} gtok;

struct gz_gold {
    int format;
    char *name;
    gz_arena *arena;
    gdoc *docs;
    size_t ndocs, capdocs;
    gtok *tok;              /* CoNLL tokens in order */
    size_t *tokdoc;         /* document of each token */
    size_t ntok;
    mention *m;
    size_t nm, capm;
};

static const char *arena_str(gz_arena *a, const char *s, size_t n)
{
    return gz_arena_strndup(a, s, n);
}

static size_t add_doc(gz_gold *g, const char *name)
{
    GZ_GROW(g->docs, g->capdocs, g->ndocs + 1);
    gdoc *d = &g->docs[g->ndocs];
    memset(d, 0, sizeof *d);
    d->name = gz_xstrdup(name);
    return g->ndocs++;
}

static mention *add_mention(mention **arr, size_t *n, size_t *cap)
{
    GZ_GROW(*arr, *cap, *n + 1);
    mention *m = &(*arr)[(*n)++];
    memset(m, 0, sizeof *m);
    return m;
}

typedef struct gold_chunk_ctx {
    gz_gold *g;
} gold_chunk_ctx;

static void gold_chunk(void *ctx, size_t first, size_t end, const char *type, size_t tl)
{
    gz_gold *g = ((gold_chunk_ctx *)ctx)->g;
    mention *m = add_mention(&g->m, &g->nm, &g->capm);
    m->doc = g->tokdoc[first];
    m->start = g->tok[first].start;
    m->end = g->tok[end - 1].end;
    m->type = arena_str(g->arena, type, tl);
    m->line = g->tok[first].line;
}

static gz_gold *gold_new(const char *name, int format)
{
    gz_gold *g = gz_xcalloc(1, sizeof *g);
    g->format = format;
    g->name = gz_xstrdup(name);
    g->arena = gz_arena_new();
    return g;
}

/* Rebuild the documents' text from the tokens and record their offsets. */
static void conll_rebuild(gz_gold *g, const conll *c)
{
    g->ntok = c->n;
    g->tok = gz_xcalloc(c->n, sizeof *g->tok);
    g->tokdoc = gz_xcalloc(c->n, sizeof *g->tokdoc);
    gdoc *d = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const conll_tok *t = &c->t[i];
        if (t->flags & CT_DOC) {
            if (d)
                gz_buf_addc(&d->text, '\n');
            char nm[64];
            snprintf(nm, sizeof nm, "%zu", g->ndocs + 1);
            size_t di = add_doc(g, nm);
            d = &g->docs[di];
            d->has_text = 1;
            d->tok0 = i;
        } else if (t->flags & CT_SENT) {
            gz_buf_addc(&d->text, '\n');
        } else {
            gz_buf_addc(&d->text, ' ');
        }
        g->tok[i].start = d->text.len;
        gz_buf_add(&d->text, t->text, t->tlen);
        g->tok[i].end = d->text.len;
        g->tok[i].line = t->line;
        g->tokdoc[i] = g->ndocs - 1;
        d->ntok++;
    }
    if (d)
        gz_buf_addc(&d->text, '\n');
}

static int parse_size(const char *s, size_t n, size_t *out)
{
    if (n == 0 || n > 19)
        return -1;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

/* One row of gaztag TSV: doc, start, end, text, type, ... */
typedef struct tsv_row {
    const char *doc, *text, *type;
    size_t textlen;
    size_t start, end;
} tsv_row;

static int field_is(const gz_tsv_field *f, const char *lit)
{
    return f->n == strlen(lit) && memcmp(f->s, lit, f->n) == 0;
}

static int is_header(const gz_tsv *t)
{
    return t->nf >= 3 && field_is(&t->f[0], "doc") && field_is(&t->f[1], "start") &&
           field_is(&t->f[2], "end");
}

/* The mention's text may hold any byte, a NUL included. */
static const char *unescape_text(gz_arena *a, const gz_tsv_field *f, size_t *len)
{
    gz_buf b = {0};
    *len = gz_tsv_unescape(&b, f->s, f->n);
    char *o = gz_arena_alloc(a, *len + 1);
    if (*len)
        memcpy(o, b.data, *len);
    o[*len] = '\0';
    gz_buf_free(&b);
    return o;
}

/* Parse the current row of t; returns 1 for a header row, 0 for a mention,
 * -1 with err filled. */
static int tsv_parse_row(gz_arena *a, const gz_tsv *t, tsv_row *r, gz_error *err)
{
    if (is_header(t))
        return 1;
    const gz_tsv_field *f = t->f;
    if (t->nf < 5) {
        gz_error_set(err, t->path, t->line, 0,
                     "expected at least 5 tab-separated fields (doc, start, end, text, type), "
                     "found %zu", t->nf);
        return -1;
    }
    if (parse_size(f[1].s, f[1].n, &r->start) < 0 || parse_size(f[2].s, f[2].n, &r->end) < 0) {
        gz_error_set(err, t->path, t->line, f[1].col, "start and end must be byte offsets");
        return -1;
    }
    if (r->end <= r->start) {
        gz_error_set(err, t->path, t->line, f[2].col, "end %zu is not after start %zu",
                     r->end, r->start);
        return -1;
    }
    if (f[4].n == 0) {
        gz_error_set(err, t->path, t->line, f[4].col, "empty type");
        return -1;
    }
    r->doc = gz_tsv_unescape_arena(a, f[0].s, f[0].n, NULL);
    r->text = unescape_text(a, &f[3], &r->textlen);
    r->type = gz_tsv_unescape_arena(a, f[4].s, f[4].n, NULL);
    return 0;
}

static size_t find_doc(const gz_gold *g, const char *name)
{
    for (size_t i = 0; i < g->ndocs; i++)
        if (strcmp(g->docs[i].name, name) == 0)
            return i;
    return SIZE_MAX;
}

static int gold_parse_tsv(gz_gold *g, const char *data, size_t len, gz_error *err)
{
    gz_tsv t;
    gz_tsv_init(&t, g->name, data, len, 0);
    int rc;
    while ((rc = gz_tsv_next(&t, err)) != 0) {
        tsv_row r;
        if (rc > 0)
            rc = tsv_parse_row(g->arena, &t, &r, err);
        if (rc < 0)
            break;
        if (rc > 0)
            continue;
        size_t d = find_doc(g, r.doc);
        if (d == SIZE_MAX)
            d = add_doc(g, r.doc);
        mention *m = add_mention(&g->m, &g->nm, &g->capm);
        m->doc = d;
        m->start = r.start;
        m->end = r.end;
        m->type = r.type;
        m->text = r.text;
        m->line = t.line;
    }
    gz_tsv_free(&t);
    return rc;
}

/* Byte offset of each character of text (and of its end), for brat's
 * character offsets. */
static size_t *char_offsets(const char *s, size_t n, size_t *nchars)
{
    size_t *off = gz_xmalloc((n + 1) * sizeof *off);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        off[k++] = i;
        int32_t cp;
        size_t step = gz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += step ? step : 1;
    }
    off[k] = n;
    *nchars = k;
    return off;
}

static int gold_parse_brat(gz_gold *g, const char *data, size_t len, gz_error *err)
{
    size_t nl = strlen(g->name);
    gz_buf path = {0};
    if (nl > 4 && strcmp(g->name + nl - 4, ".ann") == 0)
        gz_buf_add(&path, g->name, nl - 4);
    else
        gz_buf_adds(&path, g->name);
    gz_buf_adds(&path, ".txt");
    gz_buf_addc(&path, '\0');
    size_t d = add_doc(g, path.data);
    gdoc *doc = &g->docs[d];
    doc->has_text = 1;
    int rc = gz_read_file(path.data, &doc->text, err);
    gz_buf_free(&path);
    if (rc < 0)
        return -1;
    size_t nchars;
    size_t *off = char_offsets(doc->text.data, doc->text.len, &nchars);
    gz_tsv t;
    gz_tsv_init(&t, g->name, data, len, 0);
    while ((rc = gz_tsv_next(&t, err)) > 0) {
        rc = 0;
        if (t.f[0].n == 0 || t.f[0].s[0] != 'T')
            continue;   /* relations, events, notes, attributes: not mentions */
        if (t.nf < 2) {
            gz_error_set(err, g->name, t.line, 0, "expected ID, TYPE START END and text");
            rc = -1;
            break;
        }
        /* "TYPE START END[;START END...]": the mention spans the fragments */
        const char *s = t.f[1].s, *e = t.f[1].s + t.f[1].n;
        const char *sp = memchr(s, ' ', t.f[1].n);
        size_t lo = SIZE_MAX, hi = 0;
        const char *q = sp ? sp + 1 : e;
        int bad = !sp || sp == s;
        while (!bad && q < e) {
            const char *semi = memchr(q, ';', (size_t)(e - q));
            const char *fe = semi ? semi : e;
            const char *mid = memchr(q, ' ', (size_t)(fe - q));
            size_t a, b;
            if (!mid || parse_size(q, (size_t)(mid - q), &a) < 0 ||
                parse_size(mid + 1, (size_t)(fe - mid - 1), &b) < 0 || b < a) {
                bad = 1;
                break;
            }
            if (a < lo)
                lo = a;
            if (b > hi)
                hi = b;
            q = semi ? semi + 1 : e;
        }
        if (bad || lo == SIZE_MAX || hi == lo) {
            gz_error_set(err, g->name, t.line, t.f[1].col,
                         "expected TYPE START END with character offsets");
            rc = -1;
            break;
        }
        if (hi > nchars) {
            gz_error_set(err, g->name, t.line, t.f[1].col,
                         "offset %zu is past the end of '%s' (%zu characters)", hi,
                         doc->name, nchars);
            rc = -1;
            break;
        }
        mention *m = add_mention(&g->m, &g->nm, &g->capm);
        m->doc = d;
        m->start = off[lo];
        m->end = off[hi];
        m->type = arena_str(g->arena, s, (size_t)(sp - s));
    }
    gz_tsv_free(&t);
    free(off);
    return rc;
}

gz_gold *gz_gold_parse(const char *name, const char *data, size_t len, int format,
                       gz_error *err)
{
    gz_gold *g = gold_new(name, format);
    int rc = 0;
    if (format == GZ_GOLD_CONLL) {
        conll c = {0};
        rc = conll_read(name, data, len, &c, err);
        if (rc == 0) {
            conll_rebuild(g, &c);
            gold_chunk_ctx cx = {g};
            conll_chunks(&c, gold_chunk, &cx);
        }
        free(c.t);
    } else if (format == GZ_GOLD_BRAT) {
        rc = gold_parse_brat(g, data, len, err);
    } else {
        rc = gold_parse_tsv(g, data, len, err);
    }
    if (rc < 0) {
        gz_gold_free(g);
        return NULL;
    }
    return g;
}

void gz_gold_free(gz_gold *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->ndocs; i++) {
        free(g->docs[i].name);
        gz_buf_free(&g->docs[i].text);
    }
    free(g->docs);
    free(g->tok);
    free(g->tokdoc);
    free(g->m);
    free(g->name);
    gz_arena_free(g->arena);
    free(g);
}

size_t gz_gold_doc_count(const gz_gold *g) { return g->ndocs; }
size_t gz_gold_mention_count(const gz_gold *g) { return g->nm; }

const char *gz_gold_doc_text(const gz_gold *g, size_t i, size_t *len)
{
    if (i >= g->ndocs || !g->docs[i].has_text)
        return NULL;
    *len = g->docs[i].text.len;
    return g->docs[i].text.data ? g->docs[i].text.data : "";
}

/* ---- predictions ---- */

struct gz_eval {
    const gz_gold *g;
    const gz_typemap *map;
    gz_arena *arena;
    mention *p;
    size_t np, capp;
    uint8_t *claimed;       /* CoNLL gold tokens taken by a prediction */
    size_t ndocs_extra;     /* TSV gold: documents only predictions name */
    char **extra;
    size_t capextra;
    int scored;
};

gz_eval *gz_eval_new(const gz_gold *g, const gz_typemap *m)
{
    gz_eval *ev = gz_xcalloc(1, sizeof *ev);
    ev->g = g;
    ev->map = m;
    ev->arena = gz_arena_new();
    ev->claimed = gz_xcalloc(g->ntok ? g->ntok : 1, 1);
    return ev;
}

void gz_eval_free(gz_eval *ev)
{
    if (!ev)
        return;
    free(ev->p);
    free(ev->claimed);
    for (size_t i = 0; i < ev->ndocs_extra; i++)
        free(ev->extra[i]);
    free(ev->extra);
    gz_arena_free(ev->arena);
    free(ev);
}

/* Add a predicted span [start, end) of document d with predicted type t
 * (not yet mapped).  Over CoNLL gold it is widened to whole tokens. */
static void add_pred_span(gz_eval *ev, size_t d, size_t start, size_t end, const char *t,
                          const char *text, long line)
{
    const char *gt = gz_typemap_apply(ev->map, t);
    if (!gt)
        return;
    const gz_gold *g = ev->g;
    if (g->format == GZ_GOLD_CONLL && d < g->ndocs) {
        const gdoc *doc = &g->docs[d];
        /* first token ending after start, last token starting before end */
        size_t lo = doc->tok0, hi = doc->tok0 + doc->ntok;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (g->tok[mid].end <= start)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t first = lo, last = first;
        size_t stop = doc->tok0 + doc->ntok;
        if (first >= stop || g->tok[first].start >= end)
            return;     /* only white space: no token could carry it */
        while (last + 1 < stop && g->tok[last + 1].start < end)
            last++;
        for (size_t k = first; k <= last; k++)
            if (ev->claimed[k])
                return;
        for (size_t k = first; k <= last; k++)
            ev->claimed[k] = 1;
        start = g->tok[first].start;
        end = g->tok[last].end;
        line = g->tok[first].line;
        text = NULL;
    }
    mention *m = add_mention(&ev->p, &ev->np, &ev->capp);
    m->doc = d;
    m->start = start;
    m->end = end;
    m->type = gt;
    m->orig = arena_str(ev->arena, t, strlen(t));
    m->text = text;
    m->line = line;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The gold document a TSV prediction names, or SIZE_MAX with err filled. */
static size_t pred_doc(gz_eval *ev, const char *name, long lineno, const char *doc,
                       gz_error *err)
{
    const gz_gold *g = ev->g;
    if (g->format == GZ_GOLD_CONLL) {
        const char *b = base_name(doc);
        const char *dot = strchr(b, '.');
        size_t n = dot ? (size_t)(dot - b) : strlen(b), k;
        if (parse_size(b, n, &k) == 0 && k >= 1 && k <= g->ndocs)
            return k - 1;
        gz_error_set(err, name, lineno, 1,
                     "document '%s' is not one of the gold's %zu documents (name them by "
                     "number: 1.txt, 0002.txt, ...)", doc, g->ndocs);
        return SIZE_MAX;
    }
    size_t d = find_doc(g, doc);
    if (d != SIZE_MAX)
        return d;
    for (size_t i = 0; i < g->ndocs; i++)
        if (strcmp(base_name(g->docs[i].name), base_name(doc)) == 0)
            return i;
    if (g->format == GZ_GOLD_TSV) {
        /* a document without gold mentions: its predictions are all wrong */
        for (size_t i = 0; i < ev->ndocs_extra; i++)
            if (strcmp(ev->extra[i], doc) == 0)
                return g->ndocs + i;
        GZ_GROW(ev->extra, ev->capextra, ev->ndocs_extra + 1);
        ev->extra[ev->ndocs_extra++] = gz_xstrdup(doc);
        return g->ndocs + ev->ndocs_extra - 1;
    }
    gz_error_set(err, name, lineno, 1, "document '%s' is not in the gold data", doc);
    return SIZE_MAX;
}

static int add_pred_tsv(gz_eval *ev, const char *name, const char *data, size_t len,
                        gz_error *err)
{
    gz_tsv t;
    gz_tsv_init(&t, name, data, len, 0);
    size_t lastdoc = SIZE_MAX, laststart = 0, lastend = 0;
    int rc;
    while ((rc = gz_tsv_next(&t, err)) != 0) {
        tsv_row r;
        if (rc > 0)
            rc = tsv_parse_row(ev->arena, &t, &r, err);
        if (rc < 0)
            break;
        if (rc > 0)
            continue;
        rc = -1;
        size_t d = pred_doc(ev, name, t.line, r.doc, err);
        if (d == SIZE_MAX)
            break;
        size_t tl;
        const char *text = d < ev->g->ndocs ? gz_gold_doc_text(ev->g, d, &tl) : NULL;
        if (text && r.end > tl) {
            gz_error_set(err, name, t.line, 0,
                         "span %zu-%zu is past the end of document '%s' (%zu bytes)",
                         r.start, r.end, r.doc, tl);
            break;
        }
        if (text && (r.textlen != r.end - r.start || memcmp(text + r.start, r.text, r.textlen))) {
            gz_error_set(err, name, t.line, 0,
                         "the text of the span differs from bytes %zu-%zu of the gold "
                         "document %s (was it written as the gold's tokens joined by "
                         "single spaces, one sentence per line?)",
                         r.start, r.end, ev->g->docs[d].name);
            break;
        }
        rc = 0;
        /* --all-candidates repeats a span: its first row is the winner */
        if (d == lastdoc && r.start == laststart && r.end == lastend)
            continue;
        lastdoc = d;
        laststart = r.start;
        lastend = r.end;
        add_pred_span(ev, d, r.start, r.end, r.type, r.text, t.line);
    }
    gz_tsv_free(&t);
    return rc;
}

typedef struct pred_chunk_ctx {
    gz_eval *ev;
    const conll *c;
} pred_chunk_ctx;

static void pred_chunk(void *ctx, size_t first, size_t end, const char *type, size_t tl)
{
    pred_chunk_ctx *pc = ctx;
    gz_eval *ev = pc->ev;
    const gz_gold *g = ev->g;
    size_t d = g->tokdoc[first];
    while (end - 1 > first && g->tokdoc[end - 1] != d)
        end--;
    char *t = gz_xstrndup(type, tl);
    add_pred_span(ev, d, g->tok[first].start, g->tok[end - 1].end, t, NULL,
                  pc->c->t[first].line);
    free(t);
}

static int add_pred_conll(gz_eval *ev, const char *name, const char *data, size_t len,
                          gz_error *err)
{
    const gz_gold *g = ev->g;
    if (g->format != GZ_GOLD_CONLL) {
        gz_error_set(err, name, 0, 0, "CoNLL predictions need CoNLL gold");
        return -1;
    }
    conll c = {0};
    if (conll_read(name, data, len, &c, err) < 0) {
        free(c.t);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < c.n && rc == 0; i++) {
        if (i >= g->ntok) {
            gz_error_set(err, name, c.t[i].line, 1,
                         "more tokens than the gold's %zu", g->ntok);
            rc = -1;
            break;
        }
        const gtok *gt = &g->tok[i];
        const char *gs = g->docs[g->tokdoc[i]].text.data + gt->start;
        if (!same_type(c.t[i].text, c.t[i].tlen, gs, gt->end - gt->start)) {
            gz_error_set(err, name, c.t[i].line, 1,
                         "token '%.*s' does not match the gold token '%.*s' at %s:%ld",
                         (int)(c.t[i].tlen > 60 ? 60 : c.t[i].tlen), c.t[i].text,
                         (int)(gt->end - gt->start > 60 ? 60 : gt->end - gt->start), gs, g->name,
                         gt->line);
            rc = -1;
        }
    }
    if (rc == 0 && c.n < g->ntok) {
        gz_error_set(err, name, 0, 0, "%zu tokens, the gold has %zu", c.n, g->ntok);
        rc = -1;
    }
    if (rc == 0) {
        pred_chunk_ctx pc = {ev, &c};
        conll_chunks(&c, pred_chunk, &pc);
    }
    free(c.t);
    return rc;
}

/* TSV when the first non-blank line is gaztag's header or has numeric
 * second and third fields; CoNLL otherwise. */
static int looks_like_tsv(const char *data, size_t len)
{
    gz_tsv t;
    gz_tsv_init(&t, "", data, len, 0);
    gz_error e;
    int rc = gz_tsv_next(&t, &e);
    size_t v;
    /* empty (no predictions) and unreadable data go to the TSV reader,
     * which says what is wrong */
    int tsv = rc <= 0 || is_header(&t) ||
              (t.nf >= 5 && parse_size(t.f[1].s, t.f[1].n, &v) == 0 &&
               parse_size(t.f[2].s, t.f[2].n, &v) == 0);
    gz_tsv_free(&t);
    return tsv;
}

int gz_eval_add_pred(gz_eval *ev, const char *name, const char *data, size_t len,
                     gz_error *err)
{
    ev->scored = 0;
    if (looks_like_tsv(data, len))
        return add_pred_tsv(ev, name, data, len, err);
    return add_pred_conll(ev, name, data, len, err);
}

int gz_eval_tag(gz_eval *ev, const gz_engine *e, gz_error *err)
{
    const gz_gold *g = ev->g;
    if (g->format == GZ_GOLD_TSV) {
        gz_error_set(err, g->name, 0, 0,
                     "TSV gold has no text to tag: give the predictions as a file");
        return -1;
    }
    ev->scored = 0;
    gz_tagger *t = gz_tagger_new(e);
    int rc = 0;
    for (size_t d = 0; d < g->ndocs; d++) {
        size_t len = 0;
        const char *text = gz_gold_doc_text(g, d, &len);
        const gz_span *sp;
        size_t n;
        gz_error e2 = {0};
        int r = gz_tag(t, text, len, &sp, &n, &e2);
        if (r != 0 && rc == 0) {
            *err = e2;
            if (!err->file[0])
                snprintf(err->file, sizeof err->file, "%s", g->name);
            rc = 1;
        }
        if (r < 0)
            continue;
        for (size_t i = 0; i < n; i++)
            add_pred_span(ev, d, sp[i].start, sp[i].end, sp[i].type, NULL, 0);
    }
    gz_tagger_free(t);
    return rc;
}

/* ---- scoring ---- */

static int cmp_mention(const void *a, const void *b)
{
    const mention *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(x->type, y->type);
}

static void score(gz_eval *ev, mention *gm, size_t ng)
{
    gz_sort(gm, ng, sizeof *gm, cmp_mention);
    gz_sort(ev->p, ev->np, sizeof *ev->p, cmp_mention);
    for (size_t i = 0; i < ng; i++)
        gm[i].matched = 0;
    for (size_t i = 0; i < ev->np; i++)
        ev->p[i].matched = 0;
    size_t i = 0, j = 0;
    while (i < ng && j < ev->np) {
        int c = cmp_mention(&gm[i], &ev->p[j]);
        if (c == 0) {
            gm[i++].matched = 1;
            ev->p[j++].matched = 1;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
}

/* The gold mentions are sorted in place once (the gold is not shared while
 * an evaluation scores it). */
static mention *gold_mentions(gz_eval *ev, size_t *n)
{
    gz_gold *g = (gz_gold *)ev->g;
    if (!ev->scored) {
        score(ev, g->m, g->nm);
        ev->scored = 1;
    }
    *n = g->nm;
    return g->m;
}

static void fill_counts(gz_eval_counts *c)
{
    c->precision = c->pred ? 100.0 * (double)c->correct / (double)c->pred : 0;
    c->recall = c->gold ? 100.0 * (double)c->correct / (double)c->gold : 0;
    c->f1 = c->precision + c->recall > 0
                ? 2 * c->precision * c->recall / (c->precision + c->recall)
                : 0;
}

void gz_eval_counts_for(gz_eval *ev, const char *type, gz_eval_counts *c)
{
    size_t ng;
    mention *gm = gold_mentions(ev, &ng);
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < ng; i++) {
        if (type && strcmp(gm[i].type, type) != 0)
            continue;
        c->gold++;
        c->correct += gm[i].matched;
    }
    for (size_t i = 0; i < ev->np; i++)
        if (!type || strcmp(ev->p[i].type, type) == 0)
            c->pred++;
    fill_counts(c);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *doc_name(const gz_eval *ev, size_t d)
{
    return d < ev->g->ndocs ? ev->g->docs[d].name : ev->extra[d - ev->g->ndocs];
}

/* Append s[0, n) with white space and control characters as spaces. */
static void add_flat(gz_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        gz_buf_addc(out, c < 0x20 || c == 0x7F ? ' ' : (char)c);
    }
}

#define CONTEXT 50

/* Step back from i to a UTF-8 character start. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static void error_line(gz_eval *ev, gz_buf *out, const mention *m, int fn)
{
    const gz_gold *g = ev->g;
    size_t tl = 0;
    const char *text = m->doc < g->ndocs ? gz_gold_doc_text(g, m->doc, &tl) : NULL;
    if (g->format == GZ_GOLD_CONLL) {
        gz_buf_printf(out, "%s:%ld: ", g->name, m->line);
    } else if (text) {
        long line = 1, col = 1;
        for (size_t i = 0; i < m->start && i < tl; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        gz_buf_printf(out, "%s:%ld:%ld: ", doc_name(ev, m->doc), line, col);
    } else {
        gz_buf_printf(out, "%s:%zu-%zu: ", doc_name(ev, m->doc), m->start, m->end);
    }
    gz_buf_adds(out, fn ? "false negative " : "false positive ");
    gz_buf_adds(out, m->type);
    if (!fn && m->orig && strcmp(m->orig, m->type) != 0)
        gz_buf_printf(out, " (%s)", m->orig);
    gz_buf_adds(out, " '");
    if (text) {
        add_flat(out, text + m->start, m->end - m->start);
        /* the context: the rest of the line, at most CONTEXT bytes each side */
        size_t a = m->start, b = m->end;
        while (a > 0 && text[a - 1] != '\n' && m->start - a < CONTEXT)
            a--;
        a = char_start(text, a);
        while (b < tl && text[b] != '\n' && b - m->end < CONTEXT)
            b++;
        b = char_start(text, b);
        if (b < m->end)
            b = m->end;
        gz_buf_adds(out, "': ");
        add_flat(out, text + a, m->start - a);
        gz_buf_addc(out, '[');
        add_flat(out, text + m->start, m->end - m->start);
        gz_buf_addc(out, ']');
        add_flat(out, text + m->end, b - m->end);
    } else {
        add_flat(out, m->text ? m->text : "", m->text ? strlen(m->text) : 0);
        gz_buf_addc(out, '\'');
    }
    gz_buf_addc(out, '\n');
}

static void list_errors(gz_eval *ev, gz_buf *out, const mention *gm, size_t ng)
{
    size_t i = 0, j = 0;
    while (i < ng || j < ev->np) {
        int take_gold;
        if (i == ng)
            take_gold = 0;
        else if (j == ev->np)
            take_gold = 1;
        else
            take_gold = cmp_mention(&gm[i], &ev->p[j]) <= 0;
        if (take_gold) {
            if (!gm[i].matched)
                error_line(ev, out, &gm[i], 1);
            i++;
        } else {
            if (!ev->p[j].matched)
                error_line(ev, out, &ev->p[j], 0);
            j++;
        }
    }
}

static void table_row(gz_buf *out, int w, const char *name, const gz_eval_counts *c)
{
    gz_buf_printf(out, "%-*s %7zu %7zu %7zu %9.2f %6.2f %6.2f\n", w, name, c->gold, c->pred,
                  c->correct, c->precision, c->recall, c->f1);
}

void gz_eval_report(gz_eval *ev, int errors, gz_buf *out)
{
    size_t ng;
    mention *gm = gold_mentions(ev, &ng);
    if (errors)
        list_errors(ev, out, gm, ng);
    const char **types = gz_xmalloc((ng + ev->np + 1) * sizeof *types);
    size_t nt = 0;
    for (size_t i = 0; i < ng; i++)
        types[nt++] = gm[i].type;
    for (size_t i = 0; i < ev->np; i++)
        types[nt++] = ev->p[i].type;
    if (nt)
        gz_sort(types, nt, sizeof *types, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < nt; i++)
        if (u == 0 || strcmp(types[u - 1], types[i]) != 0)
            types[u++] = types[i];
    int w = 7;
    for (size_t i = 0; i < u; i++)
        if ((int)strlen(types[i]) > w)
            w = (int)strlen(types[i]);
    gz_buf_printf(out, "%-*s %7s %7s %7s %9s %6s %6s\n", w, "type", "gold", "pred", "correct",
                  "precision", "recall", "F1");
    gz_eval_counts c;
    for (size_t i = 0; i < u; i++) {
        gz_eval_counts_for(ev, types[i], &c);
        table_row(out, w, types[i], &c);
    }
    gz_eval_counts_for(ev, NULL, &c);
    table_row(out, w, "overall", &c);
    free(types);
}

/* ---- dict-from-conll ---- */

typedef struct name_type {
    char *name;
    const char *type;
} name_type;

typedef struct dict_ctx {
    const conll *c;
    gz_arena *arena;
    name_type *v;
    size_t n, cap;
} dict_ctx;

static void dict_chunk(void *ctx, size_t first, size_t end, const char *type, size_t tl)
{
    dict_ctx *dc = ctx;
    gz_buf b = {0};
    for (size_t i = first; i < end; i++) {
        if (i > first)
            gz_buf_addc(&b, ' ');
        gz_buf_add(&b, dc->c->t[i].text, dc->c->t[i].tlen);
    }
    const char *t;
    if (same_type(type, tl, "PER", 3))
        t = "PERSON";
    else if (same_type(type, tl, "LOC", 3))
        t = "PLACE";
    else
        t = arena_str(dc->arena, type, tl);
    GZ_GROW(dc->v, dc->cap, dc->n + 1);
    dc->v[dc->n].name = gz_arena_strndup(dc->arena, b.data ? b.data : "", b.len);
    dc->v[dc->n].type = t;
    dc->n++;
    gz_buf_free(&b);
}

static int cmp_name_type(const void *a, const void *b)
{
    const name_type *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->type, y->type);
}

/* A TSV field; a leading '#' is escaped so the row is not a comment. */
static void dict_field(gz_buf *out, const char *s, int first)
{
    if (first && s[0] == '#') {
        gz_buf_adds(out, "\\x23");
        s++;
    }
    gz_tsv_escape(out, s, strlen(s));
}

long gz_dict_from_conll(const char *name, const char *data, size_t len, gz_buf *out,
                        gz_error *err)
{
    conll c = {0};
    if (conll_read(name, data, len, &c, err) < 0) {
        free(c.t);
        return -1;
    }
    dict_ctx dc = {&c, gz_arena_new(), NULL, 0, 0};
    conll_chunks(&c, dict_chunk, &dc);
    if (dc.n)
        gz_sort(dc.v, dc.n, sizeof *dc.v, cmp_name_type);
    gz_buf_adds(out, "name\ttype\tid\n");
    gz_norm norm = {0};
    gz_buf key = {0};
    long rows = 0;
    for (size_t i = 0; i < dc.n;) {
        size_t j = i;
        const char *best = NULL;
        size_t bestn = 0;
        while (j < dc.n && strcmp(dc.v[j].name, dc.v[i].name) == 0) {
            size_t k = j;
            while (k < dc.n && strcmp(dc.v[k].name, dc.v[i].name) == 0 &&
                   strcmp(dc.v[k].type, dc.v[j].type) == 0)
                k++;
            if (k - j > bestn) {    /* strictly more: ties keep the earlier type */
                bestn = k - j;
                best = dc.v[j].type;
            }
            j = k;
        }
        key.len = 0;
        gz_normalize(&norm, dc.v[i].name, strlen(dc.v[i].name), GZ_NORM_FOLD_CASE, &key);
        dict_field(out, dc.v[i].name, 1);
        gz_buf_addc(out, '\t');
        dict_field(out, best, 0);
        gz_buf_adds(out, "\tconll:");
        gz_tsv_escape(out, key.data ? key.data : "", key.len);
        gz_buf_addc(out, '\n');
        rows++;
        i = j;
    }
    gz_buf_free(&key);
    gz_norm_free(&norm);
    free(dc.v);
    gz_arena_free(dc.arena);
    free(c.t);
    return rows;
}
