/* SPDX-License-Identifier: MIT */
/*
 * gazetteer.c - dictionary TSV -> frozen hash tables.
 *
 * Invariants: every string reachable from an entry or form lives in the
 * gazetteer's arena; entries and forms are addressed by index, so growing
 * their arrays never invalidates a reference held elsewhere; after
 * gz_gaz_freeze nothing changes.  Rows are parsed in place: a dictionary is
 * read into memory once and fields are unescaped straight into the arena.
 *
 * Keys live in an array in insertion order, indexed by an open-addressing
 * table of 64-bit slots (32-bit hash tag, key index + 1; 0 is empty), at
 * most half full: a look-up that misses, the common case while tagging,
 * usually reads one slot.  The prefix filter is a blocked Bloom filter: the
 * three bits of a prefix lie in one 64-bit word, so a test costs one memory
 * access.
 */
#include "gazetteer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "tokenize.h"
#include "tsv.h"
#include "util.h"

#define uthash_fatal(msg) gz_oom()
#define HASH_FUNCTION(keyptr, keylen, hashv) \
    hashv = fold32(gz_fnv1a(GZ_FNV_OFFSET, (keyptr), (keylen)))
static inline unsigned fold32(uint64_t h)
{
    return (unsigned)(h ^ (h >> 32));
}
#include <uthash.h>

typedef struct key_rec {
    const char *key;
    uint32_t keylen;
    uint32_t first;
} key_rec;

typedef struct type_rec {
    UT_hash_handle hh;
    const char *name;
} type_rec;

struct gz_gazetteer {
    unsigned flags;
    gz_arena *arena;
    key_rec *keys;             /* in insertion order */
    size_t n_keys, cap_keys;
    uint64_t *slots;           /* tag << 32 | (index + 1), 0 when empty */
    size_t n_slots;            /* a power of two (0 before the first key) */
    unsigned slot_shift;       /* 32 - log2(n_slots) */
    type_rec *types;
    gz_entry *entries;
    size_t n_entries, cap_entries;
    gz_form *forms;
    size_t n_forms, cap_forms;
    gz_source *sources;
    size_t n_sources, cap_sources;
    uint32_t n_user;
    uint64_t *prefixes;        /* prefix hashes until freeze */
    size_t n_prefixes, cap_prefixes;
    uint64_t *lprefixes;       /* those of names that may start in lower case */
    size_t n_lprefixes, cap_lprefixes;
    uint64_t *bloom;
    uint64_t bloom_mask;       /* number of 64-bit words - 1 */
    uint64_t *lbloom;          /* the filter of lprefixes */
    uint64_t lbloom_mask;
    int max_tokens;
    int has_fold, has_plural;
    int frozen;
    gz_tokens tok;             /* scratch for tokenising names */
    gz_buf key, pat;
};

#define MAX_NAME_TOKENS 64

gz_gazetteer *gz_gaz_new(unsigned flags)
{
    gz_gazetteer *g = gz_xcalloc(1, sizeof *g);
    g->flags = flags;
    g->arena = gz_arena_new();
    return g;
}

void gz_gaz_free(gz_gazetteer *g)
{
    if (!g)
        return;
    free(g->keys);
    free(g->slots);
    HASH_CLEAR(hh, g->types);
    gz_arena_free(g->arena);
    free(g->entries);
    free(g->forms);
    free(g->sources);
    free(g->prefixes);
    free(g->lprefixes);
    free(g->bloom);
    free(g->lbloom);
    gz_tokens_free(&g->tok);
    gz_buf_free(&g->key);
    gz_buf_free(&g->pat);
    free(g);
}

static const char *intern_type(gz_gazetteer *g, const char *s, size_t n)
{
    type_rec *t;
    HASH_FIND(hh, g->types, s, n, t);
    if (t)
        return t->name;
    t = gz_arena_alloc(g->arena, sizeof *t);
    memset(t, 0, sizeof *t);
    t->name = gz_arena_strndup(g->arena, s, n);
    HASH_ADD_KEYPTR(hh, g->types, t->name, n, t);
    return t->name;
}

/* Does the UTF-8 string s hold an upper-case letter? */
static int has_capital(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = gz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp >= 0 && utf8proc_isupper(cp))
            return 1;
        i += k ? k : 1;
    }
    return 0;
}

/* Where a parse problem goes: the callback (lint) or the error (tag). */
typedef struct parse_ctx {
    gz_gazetteer *g;
    const char *path;
    gz_problem_fn cb;
    void *cbctx;
    gz_error *err;
    int stop;
} parse_ctx;

/* Report a problem; returns 1 if loading must stop. */
static int problem(parse_ctx *pc, long line, long col, const char *fmt, ...)
    GZ_PRINTF(4, 5);
static int problem(parse_ctx *pc, long line, long col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!pc->cb) {
        gz_error_set(pc->err, pc->path, line, col, "%s", msg);
        pc->stop = 1;
        return 1;
    }
    if (pc->cb(pc->cbctx, pc->path, line, col, msg)) {
        gz_error_set(pc->err, pc->path, line, col, "%s", msg);
        pc->stop = 1;
        return 1;
    }
    return 0;
}

static void add_prefix(gz_gazetteer *g, uint64_t h)
{
    GZ_GROW(g->prefixes, g->cap_prefixes, g->n_prefixes + 1);
    g->prefixes[g->n_prefixes++] = h;
}

static int shape_of(const gz_tokens *t)
{
    unsigned f = 0;
    for (size_t i = 0; i < t->n; i++)
        f |= t->tok[i].flags;
    int up = (f & GZ_TF_UPPER) != 0, low = (f & GZ_TF_LOWER) != 0;
    if (up && low)
        return GZ_SHAPE_MIXED;
    if (up)
        return GZ_SHAPE_ALLCAPS;
    if (low)
        return GZ_SHAPE_LOWER;
    return GZ_SHAPE_UNCASED;
}

/* Compute the key of a name into g->key and its hash into *h_out.  Returns 0,
 * or 1 when it can never match (empty after normalisation, a break inside,
 * too many tokens). */
static int compute_key(gz_gazetteer *g, const char *text, size_t len, int strip,
                       uint64_t *h_out)
{
    gz_tokenize(&g->tok, text, len, strip);
    gz_tokens *t = &g->tok;
    g->key.len = 0;
    if (t->n == 0 || t->n > MAX_NAME_TOKENS)
        return 1;
    for (size_t i = 1; i < t->n; i++)
        if (t->tok[i].gap == GZ_GAP_BREAK)
            return 1;
    uint64_t h = GZ_FNV_OFFSET;
    for (size_t i = 0; i < t->n; i++) {
        const gz_token *k = &t->tok[i];
        const char *ks = t->keys.data + (strip ? k->skey : k->key);
        size_t kl = strip ? k->skeylen : k->keylen;
        gz_buf_add(&g->key, ks, kl);
        h = gz_key_hash(h, ks, kl);
    }
    if (g->key.len == 0)
        return 1;
    *h_out = h;
    return 0;
}

/* Record the token-boundary prefixes of the name tokenised last; lower:
 * the name may match where its first word is written in lower case. */
static void record_prefixes(gz_gazetteer *g, int strip, int lower)
{
    gz_tokens *t = &g->tok;
    uint64_t h = GZ_FNV_OFFSET;
    for (size_t i = 0; i < t->n; i++) {
        const gz_token *k = &t->tok[i];
        h = gz_key_hash(h, t->keys.data + (strip ? k->skey : k->key),
                        strip ? k->skeylen : k->keylen);
        add_prefix(g, h);
        if (lower) {
            GZ_GROW(g->lprefixes, g->cap_lprefixes, g->n_lprefixes + 1);
            g->lprefixes[g->n_lprefixes++] = h;
        }
    }
    if ((int)t->n > g->max_tokens)
        g->max_tokens = (int)t->n;
}

/* Slot where the probe for tag starts (Fibonacci hashing: the high bits). */
static inline size_t slot_of(const gz_gazetteer *g, uint32_t tag)
{
    return (size_t)((uint32_t)(tag * 2654435769u) >> g->slot_shift);
}

/* The key record for key[0, len) with hash h, or NULL. */
static inline const key_rec *lookup(const gz_gazetteer *g, const char *key, size_t len,
                                    uint64_t h)
{
    if (!g->n_slots)
        return NULL;
    uint32_t tag = fold32(h);
    size_t mask = g->n_slots - 1;
    for (size_t i = slot_of(g, tag);; i = (i + 1) & mask) {
        uint64_t s = g->slots[i];
        if (!s)
            return NULL;
        if ((uint32_t)(s >> 32) == tag) {
            const key_rec *k = &g->keys[(uint32_t)s - 1];
            if (k->keylen == len && memcmp(k->key, key, len) == 0)
                return k;
        }
    }
}

static key_rec *find_key(gz_gazetteer *g, uint64_t h)
{
    return (key_rec *)lookup(g, g->key.data, g->key.len, h);
}

static void slot_put(gz_gazetteer *g, uint64_t s)
{
    size_t mask = g->n_slots - 1;
    size_t i = slot_of(g, (uint32_t)(s >> 32));
    while (g->slots[i])
        i = (i + 1) & mask;
    g->slots[i] = s;
}

/* Append a key record (hash h) and index it; the table stays at most half
 * full. */
static key_rec *add_key(gz_gazetteer *g, const char *key, size_t len, uint64_t h)
{
    if ((g->n_keys + 1) * 2 > g->n_slots) {
        uint64_t *old = g->slots;
        size_t n_old = g->n_slots;
        g->n_slots = n_old ? n_old * 2 : 1024;
        unsigned bits = 0;
        while (((size_t)1 << bits) < g->n_slots)
            bits++;
        if (bits > 32)
            gz_oom();
        g->slot_shift = 32 - bits;
        g->slots = gz_xcalloc(g->n_slots, sizeof *g->slots);
        for (size_t i = 0; i < n_old; i++)
            if (old[i])
                slot_put(g, old[i]);
        free(old);
    }
    if (g->n_keys >= UINT32_MAX - 1)
        gz_oom();
    GZ_GROW(g->keys, g->cap_keys, g->n_keys + 1);
    key_rec *kr = &g->keys[g->n_keys++];
    kr->key = gz_arena_strndup(g->arena, key, len);
    kr->keylen = (uint32_t)len;
    kr->first = GZ_NO_FORM;
    slot_put(g, (uint64_t)fold32(h) << 32 | (uint64_t)g->n_keys);
    return kr;
}

/* Insert the key computed last (g->key, hash h) as a form of entry ei. */
static void insert_form(gz_gazetteer *g, uint32_t ei, const char *text, size_t len,
                        uint64_t h)
{
    gz_entry *e = &g->entries[ei];
    key_rec *kr = find_key(g, h);
    if (!kr) {
        kr = add_key(g, g->key.data, g->key.len, h);
    } else if (kr->first != GZ_NO_FORM && g->forms[kr->first].entry == ei) {
        return;  /* the same entry again (an alias equal to its name) */
    }
    /* Can a surface whose first word is all lower case match?  Only under
     * case folding, or when the name's own first word has no capital. */
    int lower = e->casepol == GZ_CASE_FOLDALL || !(g->tok.tok[0].flags & GZ_TF_UPPER);
    record_prefixes(g, e->fold, lower);
    GZ_GROW(g->forms, g->cap_forms, g->n_forms + 1);
    gz_form *f = &g->forms[g->n_forms];
    memset(f, 0, sizeof *f);
    f->entry = ei;
    f->next = kr->first;
    f->text = (text == e->name) ? e->name : gz_arena_strndup(g->arena, text, len);
    f->shape = (uint8_t)shape_of(&g->tok);
    f->titled = 1;
    for (size_t k = 0; k < g->tok.n; k++) {
        unsigned fl = g->tok.tok[k].flags;
        if ((fl & (GZ_TF_UPPER | GZ_TF_LOWER)) && !(fl & GZ_TF_TITLE))
            f->titled = 0;
    }
    f->ntok = (uint8_t)g->tok.n;
    kr->first = (uint32_t)g->n_forms++;
}

static void add_form(gz_gazetteer *g, uint32_t ei, const char *text, size_t len)
{
    uint64_t h;
    if (compute_key(g, text, len, g->entries[ei].fold, &h) == 0)
        insert_form(g, ei, text, len, h);
}

enum col_role { COL_ATTR, COL_NAME, COL_TYPE, COL_ID, COL_ALIASES, COL_CASE,
                COL_DIACRITICS, COL_PRIORITY };

static int role_of(const char *s, size_t n)
{
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, n) == 0)
    if (IS("name")) return COL_NAME;
    if (IS("type")) return COL_TYPE;
    if (IS("id")) return COL_ID;
    if (IS("aliases")) return COL_ALIASES;
    if (IS("case")) return COL_CASE;
    if (IS("diacritics")) return COL_DIACRITICS;
    if (IS("priority")) return COL_PRIORITY;
    return COL_ATTR;
#undef IS
}

static const char *file_stem(gz_arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    return gz_arena_strndup(a, base, n);
}

/* Parse one data row; returns 1 if loading must stop. */
static int parse_row(parse_ctx *pc, const gz_tsv *r, const int *role, const char *const *colname,
                     const char *stem)
{
    gz_gazetteer *g = pc->g;
    const gz_tsv_field *f = r->f;
    size_t nf = r->nf, ncol = r->nhead;
    long lineno = r->line;
    gz_error te;
    if (nf != ncol)
        return problem(pc, lineno, nf > ncol ? f[ncol].col : f[nf - 1].col + (long)f[nf - 1].n,
                       "expected %zu fields as in the header, found %zu", ncol, nf);
    /* Fields become C strings: a NUL byte would silently cut them. */
    for (size_t c = 0; c < nf; c++)
        if (gz_tsv_check_text(r, c, NULL, &te) < 0)
            return problem(pc, te.line, te.column, "%s", te.message);
    const gz_tsv_field *fname = NULL, *ftype = NULL, *fid = NULL, *falias = NULL;
    int casepol = GZ_CASE_SMART, fold = (g->flags & GZ_GAZ_FOLD_DIACRITICS) != 0;
    int32_t prio = 0;
    size_t nattr = 0;
    for (size_t c = 0; c < nf; c++) {
        const gz_tsv_field *x = &f[c];
        switch (role[c]) {
        case COL_NAME: fname = x; break;
        case COL_TYPE: ftype = x; break;
        case COL_ID: fid = x; break;
        case COL_ALIASES: falias = x; break;
        case COL_CASE:
            if (x->n == 0 || (x->n == 5 && !memcmp(x->s, "smart", 5)))
                casepol = GZ_CASE_SMART;
            else if (x->n == 5 && !memcmp(x->s, "exact", 5))
                casepol = GZ_CASE_EXACT;
            else if (x->n == 4 && !memcmp(x->s, "fold", 4))
                casepol = GZ_CASE_FOLDALL;
            else
                return problem(pc, lineno, x->col,
                               "case must be 'smart', 'exact' or 'fold', not '%.*s'",
                               (int)(x->n > 40 ? 40 : x->n), x->s);
            break;
        case COL_DIACRITICS:
            if (x->n == 4 && !memcmp(x->s, "fold", 4))
                fold = 1;
            else if (!(x->n == 0 || (x->n == 4 && !memcmp(x->s, "keep", 4))))
                return problem(pc, lineno, x->col,
                               "diacritics must be 'keep' or 'fold', not '%.*s'",
                               (int)(x->n > 40 ? 40 : x->n), x->s);
            break;
        case COL_PRIORITY:
            if (x->n && gz_tsv_int32(r, c, "priority", &prio, &te) < 0)
                return problem(pc, te.line, te.column, "%s", te.message);
            break;
        default:
            if (x->n)
                nattr++;
        }
    }
    size_t namelen;
    char *name = gz_tsv_unescape_arena(g->arena, fname->s, fname->n, &namelen);
    while (namelen && (name[namelen - 1] == ' ' || name[namelen - 1] == '\t'))
        name[--namelen] = '\0';
    while (namelen && (name[0] == ' ' || name[0] == '\t')) {
        name++;
        namelen--;
    }
    if (namelen == 0)
        return problem(pc, lineno, fname->col, "empty name");
    const char *type;
    if (ftype && ftype->n) {
        type = intern_type(g, ftype->s, ftype->n);
    } else if (ftype) {
        return problem(pc, lineno, ftype->col, "empty type");
    } else {
        type = intern_type(g, stem, strlen(stem));
    }
    const char *id = fid ? gz_tsv_unescape_arena(g->arena, fid->s, fid->n, NULL) : "";

    /* A row repeating an earlier row of this file (same name, type and id)
     * merges into it instead of adding a candidate. */
    uint64_t h = 0;
    int never = compute_key(g, name, namelen, fold, &h);
    int64_t dup = -1;
    if (!never) {
        key_rec *kr = find_key(g, h);
        if (kr && kr->first != GZ_NO_FORM) {
            const gz_entry *d = &g->entries[g->forms[kr->first].entry];
            if (d->type == type && d->source == g->n_sources - 1 &&
                strcmp(d->id, id) == 0 && strcmp(d->name, name) == 0)
                dup = g->forms[kr->first].entry;
        }
    }
    uint32_t ei;
    if (dup >= 0) {
        ei = (uint32_t)dup;
    } else {
        GZ_GROW(g->entries, g->cap_entries, g->n_entries + 1);
        ei = (uint32_t)g->n_entries++;
        gz_entry *e = &g->entries[ei];
        memset(e, 0, sizeof *e);
        e->type = type;
        e->id = id;
        e->name = name;
        e->source = (uint32_t)(g->n_sources - 1);
        e->row = (uint32_t)lineno;
        e->priority = prio;
        e->casepol = (uint8_t)casepol;
        e->fold = (uint8_t)fold;
        e->klass = type[0] == '_';
        /* a class list of names (Jefferson, Ray) takes no plural: in
         * "Rochester Jeffersons" the team is not a person */
        e->plural = strcmp(type, "KEYWORD") == 0 || (type[0] == '_' && !has_capital(name));
        if (fold)
            g->has_fold = 1;
        if (e->plural)
            g->has_plural = 1;
        if (nattr) {
            gz_attr *at = gz_arena_alloc(g->arena, nattr * sizeof *at);
            size_t k = 0;
            for (size_t c = 0; c < nf; c++) {
                if (role[c] != COL_ATTR || !f[c].n)
                    continue;
                at[k].key = colname[c];
                at[k].value = gz_tsv_unescape_arena(g->arena, f[c].s, f[c].n, NULL);
                k++;
            }
            e->attrs = at;
            e->n_attrs = (uint32_t)nattr;
        }
        if (!never)
            insert_form(g, ei, name, namelen, h);
    }
    if (falias && falias->n) {
        size_t alen;
        char *al = gz_tsv_unescape_arena(g->arena, falias->s, falias->n, &alen);
        size_t start = 0;
        for (size_t i = 0; i <= alen; i++) {
            if (i == alen || al[i] == '|') {
                size_t a = start, b = i;
                while (a < b && al[a] == ' ')
                    a++;
                while (b > a && al[b - 1] == ' ')
                    b--;
                if (b > a)
                    add_form(g, ei, al + a, b - a);
                start = i + 1;
            }
        }
    }
    return 0;
}

/* Read the header row; returns its column roles (owned by the caller), or
 * NULL after reporting the problem. */
static int *read_header(parse_ctx *pc, gz_tsv *r)
{
    gz_error e;
    int rc = gz_tsv_header(r, &e);
    if (rc < 0) {
        problem(pc, e.line, e.column, "%s", e.message);
        return NULL;
    }
    if (rc == 0) {
        problem(pc, r->line ? r->line : 1, 0, "no header row");
        return NULL;
    }
    if (gz_tsv_column(r, "name") < 0) {
        problem(pc, r->line, 1,
                "header has no 'name' column (the first non-comment line must name the columns)");
        return NULL;
    }
    int *role = gz_xmalloc(r->nhead * sizeof *role);
    for (size_t c = 0; c < r->nhead; c++)
        role[c] = role_of(r->head[c], strlen(r->head[c]));
    return role;
}

int gz_gaz_load(gz_gazetteer *g, const char *path, int user, gz_problem_fn cb,
                void *ctx, gz_error *err)
{
    gz_buf data = {0};
    if (gz_read_file(path, &data, err) < 0) {
        gz_buf_free(&data);
        return -1;
    }
    GZ_GROW(g->sources, g->cap_sources, g->n_sources + 1);
    gz_source *src = &g->sources[g->n_sources];
    src->path = gz_arena_strndup(g->arena, path, strlen(path));
    src->stem = file_stem(g->arena, path);
    src->user = user;
    src->seq = (uint32_t)g->n_sources;
    g->n_sources++;

    parse_ctx pc = {g, path, cb, ctx, err, 0};
    gz_tsv r;
    gz_tsv_init(&r, path, data.data, data.len, GZ_TSV_COMMENTS);
    int *role = read_header(&pc, &r);
    if (role) {
        /* Attribute keys point at these for as long as the gazetteer lives. */
        const char **colname = gz_arena_alloc(g->arena, r.nhead * sizeof *colname);
        for (size_t c = 0; c < r.nhead; c++)
            colname[c] = gz_arena_strndup(g->arena, r.head[c], strlen(r.head[c]));
        gz_error e;
        int rc;
        while (!pc.stop && (rc = gz_tsv_next(&r, &e)) != 0) {
            if (rc < 0)
                problem(&pc, e.line, e.column, "%s", e.message);
            else if (parse_row(&pc, &r, role, colname, src->stem))
                break;
        }
    }
    free(role);
    gz_tsv_free(&r);
    gz_buf_free(&data);
    return pc.stop ? -1 : 0;
}

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* The three bits of a prefix in its word: bits 40..57 of the mixed hash,
 * which the word index (the low bits) does not use below 2^40 words. */
static inline uint64_t bloom_bits(uint64_t m)
{
    return 1ULL << ((m >> 40) & 63) | 1ULL << ((m >> 46) & 63) | 1ULL << ((m >> 52) & 63);
}

/* A filter of about 16 bits per prefix. */
static uint64_t *build_bloom(const uint64_t *pre, size_t n, uint64_t *mask)
{
    size_t bits = 1024;
    while (bits < n * 16 && bits < ((size_t)1 << 34))
        bits <<= 1;
    uint64_t *b = gz_xcalloc(bits / 64, sizeof(uint64_t));
    *mask = bits / 64 - 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t m = mix(pre[i]);
        b[m & *mask] |= bloom_bits(m);
    }
    return b;
}

void gz_gaz_freeze(gz_gazetteer *g)
{
    if (g->frozen)
        return;
    g->bloom = build_bloom(g->prefixes, g->n_prefixes, &g->bloom_mask);
    g->lbloom = build_bloom(g->lprefixes, g->n_lprefixes, &g->lbloom_mask);
    free(g->prefixes);
    g->prefixes = NULL;
    g->n_prefixes = g->cap_prefixes = 0;
    free(g->lprefixes);
    g->lprefixes = NULL;
    g->n_lprefixes = g->cap_lprefixes = 0;
    gz_tokens_free(&g->tok);
    gz_buf_free(&g->key);
    g->frozen = 1;
}

int gz_gaz_maybe_prefix(const gz_gazetteer *g, uint64_t h)
{
    if (!g->bloom)
        return 1;  /* not frozen yet: no filter */
    uint64_t m = mix(h), b = bloom_bits(m);
    return (g->bloom[m & g->bloom_mask] & b) == b;
}

int gz_gaz_maybe_lower_prefix(const gz_gazetteer *g, uint64_t h)
{
    if (!g->lbloom)
        return 1;
    uint64_t m = mix(h), b = bloom_bits(m);
    return (g->lbloom[m & g->lbloom_mask] & b) == b;
}

uint32_t gz_gaz_find(const gz_gazetteer *g, const char *key, size_t len, uint64_t h)
{
    const key_rec *kr = lookup(g, key, len, h);
    return kr ? kr->first : GZ_NO_FORM;
}

const gz_form *gz_gaz_form(const gz_gazetteer *g, uint32_t i) { return &g->forms[i]; }
const gz_entry *gz_gaz_entry(const gz_gazetteer *g, uint32_t i) { return &g->entries[i]; }
size_t gz_gaz_entry_count(const gz_gazetteer *g) { return g->n_entries; }
const gz_source *gz_gaz_source(const gz_gazetteer *g, uint32_t i) { return &g->sources[i]; }
size_t gz_gaz_source_count(const gz_gazetteer *g) { return g->n_sources; }
int gz_gaz_max_tokens(const gz_gazetteer *g) { return g->max_tokens; }
int gz_gaz_has_fold(const gz_gazetteer *g) { return g->has_fold; }
int gz_gaz_has_plural(const gz_gazetteer *g) { return g->has_plural; }

size_t gz_gaz_memory(const gz_gazetteer *g)
{
    return gz_arena_bytes(g->arena) + g->cap_entries * sizeof(gz_entry) +
           g->cap_forms * sizeof(gz_form) + (g->bloom ? (g->bloom_mask + 1) * 8 : 0) +
           (g->lbloom ? (g->lbloom_mask + 1) * 8 : 0) +
           g->cap_keys * sizeof(key_rec) + g->n_slots * sizeof(uint64_t);
}

void gz_gaz_each_key(const gz_gazetteer *g,
                     void (*fn)(void *ctx, const char *key, size_t keylen, uint32_t first),
                     void *ctx)
{
    for (size_t i = 0; i < g->n_keys; i++)
        fn(ctx, g->keys[i].key, g->keys[i].keylen, g->keys[i].first);
}
