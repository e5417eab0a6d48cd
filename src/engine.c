/* SPDX-License-Identifier: MIT */
/*
 * engine.c - building the engine: dictionaries, and rule files whose rows
 * go to the regex rules (patterns.c) or the token rules (rules.c) by their
 * kind column; then freezing, after which it is read-only.
 *
 * A rule file is read by the shared TSV reader (tsv.h): a header naming at
 * least type, name and pattern, then optional id, priority and kind.  Type,
 * name and id are data fields (unescaped, valid UTF-8, no NUL); the pattern
 * is regex or token-rule syntax and is taken raw.  Each row becomes one
 * gz_rule_def, so both kinds of rule are described, limited and reported
 * the same way.  To add a rule-file column, read it in rule_row and carry it
 * in gz_rule_def.
 */
#include "engine.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "tsv.h"
#include "util.h"

struct gz_engine {
    gz_engine_options opt;
    gz_roles *roles;        /* what each type means to passes and rules */
    gz_gazetteer *gaz;      /* dictionaries loaded from TSV files */
    gz_gazetteer **images;  /* compiled images, in the order added */
    uint32_t *image_seq;    /* the load order of each image's first source */
    size_t nimages;
    uint32_t nsources;      /* dictionaries so far, in every layer */
    gz_layer *layers;       /* at freeze: every layer that holds entries */
    gz_dicts dicts;
    gz_patterns *pat;       /* regex rules */
    gz_trules *tr;          /* token rules */
    uint32_t rule_files;    /* rule files loaded, for their order */
    gz_wordset **words;     /* lists of ordinary words */
    size_t nwords, capwords;
    int frozen;
};

/* The size of the first gz_engine_options layout, which size 0 stands for. */
#define OPTIONS_V0_SIZE (offsetof(gz_engine_options, no_propagation) + sizeof(int))

gz_engine *gz_engine_new(const gz_engine_options *opts)
{
    gz_engine *e = gz_xcalloc(1, sizeof *e);
    if (opts) {
        /* Read only what the caller's layout has: a caller built against an
         * older header leaves the newer options at their defaults. */
        size_t n = opts->size ? opts->size : OPTIONS_V0_SIZE;
        memcpy(&e->opt, opts, n < sizeof e->opt ? n : sizeof e->opt);
    }
    e->opt.size = sizeof e->opt;
    e->roles = gz_roles_new();
    e->gaz = gz_gaz_new(e->opt.fold_diacritics ? GZ_GAZ_FOLD_DIACRITICS : 0);
    e->pat = gz_patterns_new();
    e->tr = gz_trules_new();
    return e;
}

static int refuse_frozen(const gz_engine *e, const char *path, gz_error *err)
{
    if (!e->frozen)
        return 0;
    gz_error_set(err, path, 0, 0, "the engine is frozen");
    return -1;
}

int gz_engine_add_dictionary(gz_engine *e, const char *path, int user, gz_error *err)
{
    if (refuse_frozen(e, path, err) < 0)
        return -1;
    size_t before = gz_gaz_source_count(e->gaz);
    gz_gaz_set_next_seq(e->gaz, e->nsources);
    int rc = gz_gaz_load(e->gaz, path, user, NULL, NULL, err);
    e->nsources += (uint32_t)(gz_gaz_source_count(e->gaz) - before);
    return rc;
}

unsigned gz_engine_gaz_flags(const gz_engine *e)
{
    return e->opt.fold_diacritics ? GZ_GAZ_FOLD_DIACRITICS : 0;
}

int gz_engine_add_gazetteer(gz_engine *e, gz_gazetteer *g, const char *name, gz_error *err)
{
    if (refuse_frozen(e, name, err) < 0) {
        gz_gaz_free(g);
        return -1;
    }
    if (gz_gaz_flags(g) != gz_engine_gaz_flags(e)) {
        int with = (gz_gaz_flags(g) & GZ_GAZ_FOLD_DIACRITICS) != 0;
        gz_gaz_free(g);
        gz_error_set(err, name, 0, 0, "image '%s' was compiled %s --fold-diacritics; use it "
                     "%s, or compile it again", name, with ? "with" : "without",
                     with ? "with it" : "without it");
        return -1;
    }
    e->images = gz_xrealloc(e->images, (e->nimages + 1) * sizeof *e->images);
    e->image_seq = gz_xrealloc(e->image_seq, (e->nimages + 1) * sizeof *e->image_seq);
    e->images[e->nimages] = g;
    e->image_seq[e->nimages++] = e->nsources;
    e->nsources += (uint32_t)gz_gaz_source_count(g);
    return 0;
}

/* Lay out the dictionaries' layers: the images in the order added, then
 * the tables of the TSV files. */
static int build_layers(gz_engine *e, gz_error *err)
{
    gz_dicts *d = &e->dicts;
    e->layers = gz_xcalloc(e->nimages + 1, sizeof *e->layers);
    d->layers = e->layers;
    for (size_t i = 0; i <= e->nimages; i++) {
        const gz_gazetteer *g = i < e->nimages ? e->images[i] : e->gaz;
        size_t n = gz_gaz_entry_count(g);
        if (gz_gaz_max_tokens(g) > d->max_tokens)
            d->max_tokens = gz_gaz_max_tokens(g);
        d->has_fold |= gz_gaz_has_fold(g);
        d->has_plural |= gz_gaz_has_plural(g);
        if (!n)
            continue;
        if (n > 0x40000000u - d->nentries) {  /* idents above are rules' */
            gz_error_set(err, NULL, 0, 0, "too many dictionary entries");
            return -1;
        }
        gz_layer *l = &e->layers[d->nlayers++];
        l->gaz = g;
        l->entry_base = (uint32_t)d->nentries;
        l->seq_base = i < e->nimages ? e->image_seq[i] : 0;
        d->nentries += n;
    }
    return 0;
}

int gz_engine_add_types(gz_engine *e, const char *path, gz_error *err)
{
    if (refuse_frozen(e, path, err) < 0)
        return -1;
    return gz_roles_load(e->roles, path, err);
}

enum { C_TYPE, C_NAME, C_PATTERN, C_ID, C_PRIORITY, C_KIND, C_NCOLS };
static const char *const rule_columns[C_NCOLS] = {"type", "name", "pattern", "id", "priority",
                                                  "kind"};

/* Read the header into col[] (-1 for an absent optional column). */
static int rule_header(gz_tsv *r, int *col, gz_error *err)
{
    int rc = gz_tsv_header(r, err);
    if (rc == 0)
        gz_error_set(err, r->path, r->line ? r->line : 1, 0, "no header row");
    if (rc <= 0)
        return -1;
    for (int k = 0; k < C_NCOLS; k++)
        col[k] = gz_tsv_column(r, rule_columns[k]);
    if (col[C_TYPE] < 0 || col[C_NAME] < 0 || col[C_PATTERN] < 0) {
        gz_error_set(err, r->path, r->line, 1,
                     "rule header must name the columns 'type', 'name' and 'pattern'");
        return -1;
    }
    return 0;
}

/* One row into def (strings in arena a); tokens says its kind. */
static int rule_row(const gz_tsv *r, const int *col, gz_arena *a, gz_rule_def *def,
                    int *tokens, gz_error *err)
{
    const gz_tsv_field *f = r->f;
    if (r->nf != r->nhead) {
        size_t nf = r->nf, ncol = r->nhead;
        gz_error_set(err, r->path, r->line,
                     nf > ncol ? f[ncol].col : f[nf - 1].col + (long)f[nf - 1].n,
                     "expected %zu fields as in the header, found %zu", ncol, nf);
        return -1;
    }
    static const int required[] = {C_TYPE, C_NAME, C_PATTERN};
    static const char *const what[] = {"type", "rule name", "pattern"};
    for (size_t k = 0; k < 3; k++) {
        if (f[col[required[k]]].n == 0) {
            gz_error_set(err, r->path, r->line, f[col[required[k]]].col, "empty %s", what[k]);
            return -1;
        }
    }
    /* Type, name and id become C strings and are printed: a NUL byte would
     * cut them short and invalid UTF-8 would reach the output. */
    static const int text[] = {C_TYPE, C_NAME, C_ID};
    for (size_t k = 0; k < 3; k++)
        if (col[text[k]] >= 0 && gz_tsv_check_text(r, (size_t)col[text[k]], NULL, err) < 0)
            return -1;
    int32_t prio = 0;
    if (col[C_PRIORITY] >= 0 && f[col[C_PRIORITY]].n &&
        gz_tsv_int32(r, (size_t)col[C_PRIORITY], "priority", &prio, err) < 0)
        return -1;
    *tokens = 0;
    if (col[C_KIND] >= 0) {
        const gz_tsv_field *k = &f[col[C_KIND]];
        if (k->n == 6 && !memcmp(k->s, "tokens", 6)) {
            *tokens = 1;
        } else if (!(k->n == 0 || (k->n == 5 && !memcmp(k->s, "regex", 5)))) {
            gz_error_set(err, r->path, r->line, k->col, "kind must be 'regex' or 'tokens'");
            return -1;
        }
    }
    const gz_tsv_field *fp = &f[col[C_PATTERN]];
    def->type = gz_tsv_unescape_arena(a, f[col[C_TYPE]].s, f[col[C_TYPE]].n, NULL);
    def->name = gz_tsv_unescape_arena(a, f[col[C_NAME]].s, f[col[C_NAME]].n, NULL);
    def->id = col[C_ID] >= 0 ? gz_tsv_unescape_arena(a, f[col[C_ID]].s, f[col[C_ID]].n, NULL)
                             : "";
    def->pattern = fp->s;
    def->plen = fp->n;
    def->priority = prio;
    def->line = r->line;
    return 0;
}

int gz_engine_add_rules(gz_engine *e, const char *path, int user, gz_error *err)
{
    if (refuse_frozen(e, path, err) < 0)
        return -1;
    gz_buf data = {0};
    if (gz_read_file(path, &data, err) < 0) {
        gz_buf_free(&data);
        return -1;
    }
    gz_tsv r;
    gz_tsv_init(&r, path, data.data, data.len, GZ_TSV_COMMENTS);
    gz_arena *a = gz_arena_new();
    int col[C_NCOLS];
    int rc = rule_header(&r, col, err);
    gz_rule_def def = {.file = path, .seq = e->rule_files++, .user = user};
    while (rc == 0 && (rc = gz_tsv_next(&r, err)) > 0) {
        int tokens;
        rc = rule_row(&r, col, a, &def, &tokens, err);
        if (rc == 0)
            rc = tokens ? gz_trules_add(e->tr, &def, err) : gz_patterns_add(e->pat, &def, err);
        gz_arena_reset(a);
    }
    gz_arena_free(a);
    gz_tsv_free(&r);
    gz_buf_free(&data);
    return rc < 0 ? -1 : 0;
}

int gz_engine_add_words(gz_engine *e, const char *path, gz_error *err)
{
    if (refuse_frozen(e, path, err) < 0)
        return -1;
    gz_wordset *w = gz_wordset_load(path, err);
    if (!w)
        return -1;
    GZ_GROW(e->words, e->capwords, e->nwords + 1);
    e->words[e->nwords++] = w;
    return 0;
}

int gz_engine_ordinary(const gz_engine *e, const char *key, size_t len)
{
    for (size_t i = 0; i < e->nwords; i++)
        if (gz_wordset_has(e->words[i], key, len))
            return 1;
    return 0;
}

int gz_engine_add_entry(gz_engine *e, const char *name, const char *type, const char *id,
                        const char *const *aliases, size_t n_aliases, const gz_attr *attrs,
                        size_t n_attrs, int priority, gz_error *err)
{
    if (refuse_frozen(e, NULL, err) < 0)
        return -1;
    /* the first entry from memory opens their source, which ranks here */
    size_t before = gz_gaz_source_count(e->gaz);
    gz_gaz_set_next_seq(e->gaz, e->nsources);
    int rc = gz_gaz_add_entry(e->gaz, name, type, id, aliases, n_aliases, attrs, n_attrs,
                              priority, err);
    e->nsources += (uint32_t)(gz_gaz_source_count(e->gaz) - before);
    return rc;
}

int gz_engine_freeze(gz_engine *e, gz_error *err)
{
    if (e->frozen)
        return 0;
    if (gz_trules_freeze(e->tr, err) < 0)
        return -1;
    gz_gaz_freeze(e->gaz, e->roles);
    if (build_layers(e, err) < 0)
        return -1;
    e->frozen = 1;
    return 0;
}

void gz_engine_free(gz_engine *e)
{
    if (!e)
        return;
    gz_roles_free(e->roles);
    gz_gaz_free(e->gaz);
    for (size_t i = 0; i < e->nimages; i++)
        gz_gaz_free(e->images[i]);
    free(e->images);
    free(e->image_seq);
    free(e->layers);
    gz_patterns_free(e->pat);
    gz_trules_free(e->tr);
    for (size_t i = 0; i < e->nwords; i++)
        gz_wordset_free(e->words[i]);
    free(e->words);
    free(e);
}

const gz_engine_options *gz_engine_opts(const gz_engine *e) { return &e->opt; }
const gz_roles *gz_engine_roles(const gz_engine *e) { return e->roles; }
const gz_dicts *gz_engine_dicts(const gz_engine *e) { return &e->dicts; }
const gz_gazetteer *gz_engine_gazetteer(const gz_engine *e) { return e->gaz; }
const gz_patterns *gz_engine_patterns(const gz_engine *e) { return e->pat; }
const gz_trules *gz_engine_trules(const gz_engine *e) { return e->tr; }
