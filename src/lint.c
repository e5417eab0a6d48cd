/* SPDX-License-Identifier: MIT */
/*
 * lint.c - dictionary checks for `gaztag lint`.
 *
 * The dictionaries are loaded leniently into one gazetteer, exactly as the
 * engine loads them, so a finding is about what the tagger will see: the
 * loader's problem callback yields the malformed rows; walking the keys
 * yields names shared across types, common words and names without a form
 * (those that can never match).  Findings are collected, then sorted by
 * file (in the order given), line, column and message, so the output does
 * not depend on hash order.
 */
#include "lint.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "normalize.h"
#include "tokenize.h"
#include "tsv.h"
#include "util.h"

/* ---- word sets ---- */

struct gz_wordset {
    char **w;
    size_t n, cap;
};

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

gz_wordset *gz_wordset_parse(const char *name, const char *data, size_t len, gz_error *err)
{
    gz_wordset *ws = gz_xcalloc(1, sizeof *ws);
    gz_norm norm = {0};
    gz_buf b = {0};
    gz_tsv t;
    gz_tsv_init(&t, name, data, len, GZ_TSV_COMMENTS);
    int rc;
    while ((rc = gz_tsv_next(&t, err)) > 0) {
        /* the word is the first column; later ones (counts, notes) are ignored */
        size_t n = t.f[0].n;
        while (n && t.f[0].s[n - 1] == ' ')
            n--;
        b.len = 0;
        gz_normalize(&norm, t.f[0].s, n, GZ_NORM_FOLD_CASE, &b);
        if (b.len == 0)
            continue;
        GZ_GROW(ws->w, ws->cap, ws->n + 1);
        ws->w[ws->n++] = gz_xstrndup(b.data, b.len);
    }
    gz_tsv_free(&t);
    gz_buf_free(&b);
    gz_norm_free(&norm);
    if (rc < 0) {
        gz_wordset_free(ws);
        return NULL;
    }
    gz_sort(ws->w, ws->n, sizeof *ws->w, cmp_strp);
    return ws;
}

gz_wordset *gz_wordset_load(const char *path, gz_error *err)
{
    gz_buf b = {0};
    if (gz_read_file(path, &b, err) < 0) {
        gz_buf_free(&b);
        return NULL;
    }
    gz_wordset *ws = gz_wordset_parse(path, b.data, b.len, err);
    gz_buf_free(&b);
    return ws;
}

void gz_wordset_free(gz_wordset *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        free(w->w[i]);
    free(w->w);
    free(w);
}

int gz_wordset_has(const gz_wordset *w, const char *s, size_t n)
{
    if (!w->n)
        return 0;
    gz_norm norm = {0};
    gz_buf b = {0};
    gz_normalize(&norm, s, n, GZ_NORM_FOLD_CASE, &b);
    gz_buf_addc(&b, '\0');
    const char *key = b.data;
    int found = bsearch(&key, w->w, w->n, sizeof *w->w, cmp_strp) != NULL;
    gz_buf_free(&b);
    gz_norm_free(&norm);
    return found;
}

/* ---- findings ---- */

typedef struct finding {
    size_t file;        /* index into the paths */
    long line, column;
    char *msg;
} finding;

typedef struct lint {
    const char *const *paths;
    size_t cur;             /* the file being loaded */
    finding *f;
    size_t n, cap;
    size_t *src_path;       /* path index of each gazetteer source */
    size_t nsrc, capsrc;
    const gz_gazetteer *g;
} lint;

static void add_finding(lint *l, size_t file, long line, long col, const char *fmt, ...)
    GZ_PRINTF(5, 6);
static void add_finding(lint *l, size_t file, long line, long col, const char *fmt, ...)
{
    gz_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    gz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    GZ_GROW(l->f, l->cap, l->n + 1);
    l->f[l->n].file = file;
    l->f[l->n].line = line;
    l->f[l->n].column = col;
    gz_buf_addc(&b, '\0');
    l->f[l->n].msg = b.data;
    l->n++;
}

static int on_problem(void *ctx, const char *file, long line, long column, const char *message)
{
    lint *l = ctx;
    (void)file;
    add_finding(l, l->cur, line, column, "%s", message);
    return 0;
}

static int cmp_finding(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return strcmp(x->msg, y->msg);
}

/* ---- checks over keys ---- */

/* Two entries conflict when their types differ and they do not share an id
 * (an empty id shares nothing). */
static int ids_differ(const char *a, const char *b)
{
    return !a[0] || strcmp(a, b) != 0;
}

typedef struct type_reps {
    const char *type;
    uint32_t first, other;  /* earliest form; earliest form whose id differs */
} type_reps;

typedef struct key_walk {
    lint *l;
    uint32_t *forms;
    size_t cap;
    type_reps *reps;
    size_t caprep;
    uint8_t *has_name;      /* per entry: its name has a form */
} key_walk;

static void entry_place(lint *l, const gz_entry *e, size_t *file, long *line)
{
    *file = l->src_path[e->source];
    *line = e->row;
}

/* Shared names: once per key, at the first form that conflicts with an
 * earlier one, pointing to the earliest such earlier form.  Two
 * representatives per type find it without comparing every pair. */
static void check_shared(key_walk *kw, const uint32_t *fi, size_t n)
{
    lint *l = kw->l;
    const gz_gazetteer *g = l->g;
    size_t nrep = 0;
    for (size_t j = 0; j < n; j++) {
        const gz_entry *ej = gz_gaz_entry(g, gz_gaz_form(g, fi[j])->entry);
        if (ej->klass)
            continue;
        uint32_t hit = GZ_NO_FORM;
        type_reps *mine = NULL;
        for (size_t r = 0; r < nrep; r++) {
            type_reps *tr = &kw->reps[r];
            if (strcmp(tr->type, gz_gaz_str(g, ej->type)) == 0) {
                mine = tr;
                continue;
            }
            uint32_t cand = GZ_NO_FORM;
            const gz_entry *e1 = gz_gaz_entry(g, gz_gaz_form(g, tr->first)->entry);
            if (ids_differ(gz_gaz_str(g, e1->id), gz_gaz_str(g, ej->id)))
                cand = tr->first;
            else if (tr->other != GZ_NO_FORM)
                cand = tr->other;
            if (cand != GZ_NO_FORM &&
                (hit == GZ_NO_FORM || gz_gaz_form(g, cand)->entry < gz_gaz_form(g, hit)->entry))
                hit = cand;
        }
        if (hit != GZ_NO_FORM) {
            const gz_form *fh = gz_gaz_form(g, hit);
            const gz_entry *eh = gz_gaz_entry(g, fh->entry);
            size_t file, hfile;
            long line, hline;
            entry_place(l, ej, &file, &line);
            entry_place(l, eh, &hfile, &hline);
            add_finding(l, file, line, 0,
                        "name '%s' is %s '%s' here but %s '%s' at %s:%ld",
                        gz_gaz_str(g, gz_gaz_form(g, fi[j])->text), gz_gaz_str(g, ej->type),
                        gz_gaz_str(g, ej->id), gz_gaz_str(g, eh->type), gz_gaz_str(g, eh->id),
                        l->paths[hfile], hline);
            return;
        }
        if (!mine) {
            GZ_GROW(kw->reps, kw->caprep, nrep + 1);
            mine = &kw->reps[nrep++];
            mine->type = gz_gaz_str(g, ej->type);
            mine->first = fi[j];
            mine->other = GZ_NO_FORM;
        } else if (mine->other == GZ_NO_FORM) {
            const gz_entry *e1 = gz_gaz_entry(g, gz_gaz_form(g, mine->first)->entry);
            if (ids_differ(gz_gaz_str(g, e1->id), gz_gaz_str(g, ej->id)))
                mine->other = fi[j];
        }
    }
}

static void check_word(key_walk *kw, const uint32_t *fi, size_t n, const gz_wordset *words)
{
    lint *l = kw->l;
    const gz_gazetteer *g = l->g;
    for (size_t j = 0; j < n; j++) {
        const gz_form *f = gz_gaz_form(g, fi[j]);
        const gz_entry *e = gz_gaz_entry(g, f->entry);
        /* keywords are meant to be words; all-caps forms only match all caps */
        if (e->klass || strcmp(gz_gaz_str(g, e->type), "KEYWORD") == 0 || f->ntok != 1 ||
            f->shape == GZ_SHAPE_ALLCAPS || f->shape == GZ_SHAPE_UNCASED)
            continue;
        const char *text = gz_gaz_str(g, f->text);
        if (!gz_wordset_has(words, text, strlen(text)))
            continue;
        size_t file;
        long line;
        entry_place(l, e, &file, &line);
        add_finding(l, file, line, 0, "%s '%s' (%s) is a common lower-case English word",
                    f->text == e->name ? "name" : "alias", text, gz_gaz_str(g, e->type));
    }
}

typedef struct walk_ctx {
    key_walk *kw;
    const gz_wordset *words;
} walk_ctx;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void on_key(void *ctx, const char *key, size_t keylen, uint32_t first)
{
    (void)key;
    (void)keylen;
    walk_ctx *wc = ctx;
    key_walk *kw = wc->kw;
    const gz_gazetteer *g = kw->l->g;
    size_t n = 0;
    for (uint32_t i = first; i != GZ_NO_FORM; i = gz_gaz_next(g, i)) {
        GZ_GROW(kw->forms, kw->cap, n + 1);
        kw->forms[n++] = i;
        const gz_form *f = gz_gaz_form(g, i);
        if (f->text == gz_gaz_entry(g, f->entry)->name)
            kw->has_name[f->entry] = 1;
    }
    /* forms are numbered in load order */
    qsort(kw->forms, n, sizeof *kw->forms, cmp_u32);
    check_shared(kw, kw->forms, n);
    if (wc->words)
        check_word(kw, kw->forms, n, wc->words);
}

/* Why the name of e has no form. */
static const char *never_reason(gz_tokens *tok, const gz_gazetteer *g, const gz_entry *e)
{
    const char *name = gz_gaz_str(g, e->name);
    gz_tokenize(tok, name, strlen(name), e->fold);
    if (tok->n == 0)
        return "nothing is left of it after normalisation";
    for (size_t i = 1; i < tok->n; i++)
        if (tok->tok[i].gap == GZ_GAP_BREAK)
            return "it contains a line break, paragraph break or control character";
    if (tok->n > 64)
        return "it has more than 64 tokens";
    return "nothing is left of it after normalisation";
}

size_t gz_lint_dicts(const char *const *paths, size_t n, const gz_wordset *words,
                     int fold_diacritics, gz_lint_fn fn, gz_lint_fn err_fn, void *ctx,
                     size_t *unreadable)
{
    lint l = {0};
    l.paths = paths;
    *unreadable = 0;
    gz_gazetteer *g = gz_gaz_new(fold_diacritics ? GZ_GAZ_FOLD_DIACRITICS : 0);
    l.g = g;
    for (size_t i = 0; i < n; i++) {
        l.cur = i;
        gz_error err = {0};
        size_t before = gz_gaz_source_count(g);
        if (gz_gaz_load(g, paths[i], 1, on_problem, &l, &err) < 0) {
            err_fn(ctx, paths[i], err.line, err.column, err.message);
            (*unreadable)++;
        }
        /* a file that was read became a source, even when it was empty */
        for (size_t s = before; s < gz_gaz_source_count(g); s++) {
            GZ_GROW(l.src_path, l.capsrc, l.nsrc + 1);
            l.src_path[l.nsrc++] = i;
        }
    }
    size_t ne = gz_gaz_entry_count(g);
    key_walk kw = {0};
    kw.l = &l;
    kw.has_name = gz_xcalloc(ne ? ne : 1, 1);
    walk_ctx wc = {&kw, words};
    gz_gaz_each_key(g, on_key, &wc);
    gz_tokens tok = {0};
    for (size_t i = 0; i < ne; i++) {
        if (kw.has_name[i])
            continue;
        const gz_entry *e = gz_gaz_entry(g, (uint32_t)i);
        size_t file;
        long line;
        entry_place(&l, e, &file, &line);
        add_finding(&l, file, line, 0, "name '%s' can never match: %s", gz_gaz_str(g, e->name),
                    never_reason(&tok, g, e));
    }
    gz_tokens_free(&tok);
    if (l.n)
        qsort(l.f, l.n, sizeof *l.f, cmp_finding);
    for (size_t i = 0; i < l.n; i++) {
        fn(ctx, paths[l.f[i].file], l.f[i].line, l.f[i].column, l.f[i].msg);
        free(l.f[i].msg);
    }
    size_t found = l.n;
    free(l.f);
    free(l.src_path);
    free(kw.forms);
    free(kw.reps);
    free(kw.has_name);
    gz_gaz_free(g);
    return found;
}
