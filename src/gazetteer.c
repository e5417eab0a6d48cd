/* SPDX-License-Identifier: MIT */
/*
 * gazetteer.c - dictionary TSV -> frozen hash tables.
 *
 * Invariants: every string reachable from an entry or form lives in the
 * string pool and is named by its offset; records are addressed by index, so
 * growing an array never invalidates a reference held elsewhere, and the
 * frozen tables hold no pointer (an image file is these arrays as they are);
 * after gz_gaz_freeze nothing changes.  Rows are parsed in place: a
 * dictionary is read into memory once, fields are unescaped into a scratch
 * arena and copied once into the pool.  A form's next form always has a
 * smaller index, so chains end even in tables read from a damaged file.
 *
 * Keys live in an array in insertion order, indexed by an open-addressing
 * table of 64-bit slots (32-bit hash tag, key index + 1; 0 is empty), at
 * most half full: a look-up that misses, the common case while tagging,
 * usually reads one slot.  The prefix filter is a blocked Bloom filter: the
 * three bits of a prefix lie in one 64-bit word, so a test costs one memory
 * access.
 *
 * To add a dictionary column with a meaning of its own (rather than an
 * attribute): a value in enum col_role and its name in role_of, then read it
 * in parse_row (and in gz_gaz_add_entry, for entries from memory); a field
 * an image must keep goes into gz_entry, with the image format's version.
 */
#include "gazetteer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "roles.h"
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

typedef struct type_rec {
    UT_hash_handle hh;
    const char *name;
    uint32_t off;              /* in the pool */
} type_rec;

struct gz_gazetteer {
    unsigned flags;
    gz_arena *arena;           /* type names while building */
    gz_arena *scratch;         /* one row's unescaped fields */
    char *pool;                /* every string, NUL-terminated; starts with "" */
    size_t pool_len, cap_pool;
    int pool_full;             /* a string did not fit in 4 GiB of offsets */
    gz_key *keys;              /* in insertion order */
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
    gz_attr_rec *attrs;
    size_t n_attrs, cap_attrs;
    uint32_t next_seq;
    uint32_t mem_source;       /* the source of entries added from memory */
    uint32_t mem_rows;         /* how many were added (0: no such source yet) */
    uint64_t *prefixes;        /* prefix hashes until freeze */
    size_t n_prefixes, cap_prefixes;
    uint64_t *lprefixes;       /* those of names that may start in lower case */
    size_t n_lprefixes, cap_lprefixes;
    uint64_t *fulls, *lfulls;  /* the same for whole keys */
    size_t n_fulls, cap_fulls, n_lfulls, cap_lfulls;
    uint64_t *bloom;
    uint64_t bloom_mask;       /* number of 64-bit words - 1 */
    uint64_t *lbloom;          /* the filter of lprefixes */
    uint64_t lbloom_mask;
    int max_tokens;
    int has_fold, has_plural;
    int frozen;
    gz_tokens tok;             /* scratch for tokenising names */
    gz_buf key, pat;
    int borrowed;              /* the tables are held elsewhere (an image) */
    void (*release)(void *);   /* called by gz_gaz_free when borrowed */
    void *release_ctx;
};

#define MAX_NAME_TOKENS 64

gz_gazetteer *gz_gaz_new(unsigned flags)
{
    gz_gazetteer *g = gz_xcalloc(1, sizeof *g);
    g->flags = flags;
    g->arena = gz_arena_new();
    g->scratch = gz_arena_new();
    g->pool = gz_xmalloc(g->cap_pool = 4096);
    g->pool[0] = '\0';
    g->pool_len = 1;
    return g;
}

void gz_gaz_free(gz_gazetteer *g)
{
    if (!g)
        return;
    if (g->borrowed) {
        if (g->release)
            g->release(g->release_ctx);
        free(g);
        return;
    }
    free(g->pool);
    free(g->keys);
    free(g->slots);
    HASH_CLEAR(hh, g->types);
    gz_arena_free(g->arena);
    gz_arena_free(g->scratch);
    free(g->entries);
    free(g->forms);
    free(g->sources);
    free(g->attrs);
    free(g->prefixes);
    free(g->lprefixes);
    free(g->fulls);
    free(g->lfulls);
    free(g->bloom);
    free(g->lbloom);
    gz_tokens_free(&g->tok);
    gz_buf_free(&g->key);
    gz_buf_free(&g->pat);
    free(g);
}

void gz_gaz_set_next_seq(gz_gazetteer *g, uint32_t seq)
{
    g->next_seq = seq;
}

/* Copy s[0, n) and a NUL into the pool; its offset.  Past 4 GiB the pool is
 * full: the offset is 0 ("") and the load fails at the end of the row. */
static uint32_t pool_add(gz_gazetteer *g, const char *s, size_t n)
{
    if (n >= UINT32_MAX - g->pool_len) {
        g->pool_full = 1;
        return 0;
    }
    GZ_GROW(g->pool, g->cap_pool, g->pool_len + n + 1);
    uint32_t off = (uint32_t)g->pool_len;
    memcpy(g->pool + off, s, n);
    g->pool[off + n] = '\0';
    g->pool_len += n + 1;
    return off;
}

static uint32_t intern_type(gz_gazetteer *g, const char *s, size_t n)
{
    type_rec *t;
    HASH_FIND(hh, g->types, s, n, t);
    if (t)
        return t->off;
    t = gz_arena_alloc(g->arena, sizeof *t);
    memset(t, 0, sizeof *t);
    t->name = gz_arena_strndup(g->arena, s, n);
    t->off = pool_add(g, s, n);
    HASH_ADD_KEYPTR(hh, g->types, t->name, n, t);
    return t->off;
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
    GZ_GROW(g->fulls, g->cap_fulls, g->n_fulls + 1);
    g->fulls[g->n_fulls++] = h;
    if (lower) {
        GZ_GROW(g->lfulls, g->cap_lfulls, g->n_lfulls + 1);
        g->lfulls[g->n_lfulls++] = h;
    }
    if ((int)t->n > g->max_tokens)
        g->max_tokens = (int)t->n;
}

/* Slot where the probe for tag starts (Fibonacci hashing: the high bits). */
static inline size_t slot_of(const gz_gazetteer *g, uint32_t tag)
{
    return (size_t)((uint32_t)(tag * 2654435769u) >> g->slot_shift);
}

/* The key record for key[0, len) with hash h, or NULL.  Bounded by the
 * table's size and checked against the pool, for tables read from a file. */
static inline const gz_key *lookup(const gz_gazetteer *g, const char *key, size_t len,
                                   uint64_t h)
{
    if (!g->n_slots)
        return NULL;
    uint32_t tag = fold32(h);
    size_t mask = g->n_slots - 1;
    size_t i = slot_of(g, tag);
    for (size_t probes = 0; probes < g->n_slots; probes++, i = (i + 1) & mask) {
        uint64_t s = g->slots[i];
        if (!s)
            return NULL;
        if ((uint32_t)(s >> 32) == tag && (uint32_t)s - 1 < g->n_keys) {
            const gz_key *k = &g->keys[(uint32_t)s - 1];
            if (k->keylen == len && k->key < g->pool_len && len < g->pool_len - k->key &&
                memcmp(g->pool + k->key, key, len) == 0)
                return k;
        }
    }
    return NULL;
}

static gz_key *find_key(gz_gazetteer *g, uint64_t h)
{
    return (gz_key *)lookup(g, g->key.data, g->key.len, h);
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
static gz_key *add_key(gz_gazetteer *g, const char *key, size_t len, uint64_t h)
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
    uint32_t off = pool_add(g, key, len);
    gz_key *kr = &g->keys[g->n_keys++];
    kr->key = off;
    kr->keylen = (uint32_t)len;
    kr->first = GZ_NO_FORM;
    slot_put(g, (uint64_t)fold32(h) << 32 | (uint64_t)g->n_keys);
    return kr;
}

/* Insert the key computed last (g->key, hash h) as a form of entry ei: its
 * name when text is NULL, else the alias text[0, len). */
static void insert_form(gz_gazetteer *g, uint32_t ei, const char *text, size_t len,
                        uint64_t h)
{
    gz_entry *e = &g->entries[ei];
    gz_key *kr = find_key(g, h);
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
    f->text = text ? pool_add(g, text, len) : e->name;
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

#define CASE_MSG "case must be 'smart', 'exact' or 'fold', not '%.*s'"
#define DIACRITICS_MSG "diacritics must be 'keep' or 'fold', not '%.*s'"

/* The case column's value s[0, n) as an enum gz_case_policy; -1 if invalid. */
static int case_policy(const char *s, size_t n, int *out)
{
    if (n == 0 || (n == 5 && !memcmp(s, "smart", 5)))
        *out = GZ_CASE_SMART;
    else if (n == 5 && !memcmp(s, "exact", 5))
        *out = GZ_CASE_EXACT;
    else if (n == 4 && !memcmp(s, "fold", 4))
        *out = GZ_CASE_FOLDALL;
    else
        return -1;
    return 0;
}

/* The diacritics column's value: "fold" sets *fold, "keep" or "" leaves the
 * default; -1 if invalid. */
static int diacritics_policy(const char *s, size_t n, int *fold)
{
    if (n == 4 && !memcmp(s, "fold", 4))
        *fold = 1;
    else if (!(n == 0 || (n == 4 && !memcmp(s, "keep", 4))))
        return -1;
    return 0;
}

/* Parse one data row; returns 1 if loading must stop. */
/* The columns of one row, as parse_row reads them. */
typedef struct row_cols {
    const gz_tsv_field *name, *type, *id, *aliases;
    int casepol, fold;
    int32_t prio;
    size_t nattr;           /* non-empty attribute fields */
} row_cols;

/* What read_cols returns for a reported problem: the row is skipped, and
 * loading stops too when the problem said so. */
static int skip(int stop)
{
    return stop ? 2 : 1;
}

/* Check the row's fields and sort them by role.  Returns 0, or (the
 * problem reported) 1 to skip the row, 2 to stop loading. */
static int read_cols(parse_ctx *pc, const gz_tsv *r, const int *role, row_cols *rc)
{
    const gz_tsv_field *f = r->f;
    size_t nf = r->nf, ncol = r->nhead;
    gz_error te;
    if (nf != ncol)
        return skip(problem(pc, r->line, nf > ncol ? f[ncol].col : f[nf - 1].col + (long)f[nf - 1].n,
                       "expected %zu fields as in the header, found %zu", ncol, nf));
    /* Fields become C strings: a NUL byte would silently cut them. */
    for (size_t c = 0; c < nf; c++)
        if (gz_tsv_check_text(r, c, NULL, &te) < 0)
            return skip(problem(pc, te.line, te.column, "%s", te.message));
    memset(rc, 0, sizeof *rc);
    rc->casepol = GZ_CASE_SMART;
    rc->fold = (pc->g->flags & GZ_GAZ_FOLD_DIACRITICS) != 0;
    for (size_t c = 0; c < nf; c++) {
        const gz_tsv_field *x = &f[c];
        int n = (int)(x->n > 40 ? 40 : x->n);
        switch (role[c]) {
        case COL_NAME: rc->name = x; break;
        case COL_TYPE: rc->type = x; break;
        case COL_ID: rc->id = x; break;
        case COL_ALIASES: rc->aliases = x; break;
        case COL_CASE:
            if (case_policy(x->s, x->n, &rc->casepol) < 0)
                return skip(problem(pc, r->line, x->col, CASE_MSG, n, x->s));
            break;
        case COL_DIACRITICS:
            if (diacritics_policy(x->s, x->n, &rc->fold) < 0)
                return skip(problem(pc, r->line, x->col, DIACRITICS_MSG, n, x->s));
            break;
        case COL_PRIORITY:
            if (x->n && gz_tsv_int32(r, c, "priority", &rc->prio, &te) < 0)
                return skip(problem(pc, te.line, te.column, "%s", te.message));
            break;
        default:
            rc->nattr += x->n != 0;
        }
    }
    return 0;
}

/* Append an entry; its strings are copied into the pool. */
static uint32_t new_entry(gz_gazetteer *g, uint32_t type, const char *id, size_t idlen,
                          const char *name, size_t namelen, uint32_t source, uint32_t row,
                          int32_t prio, int casepol, int fold)
{
    GZ_GROW(g->entries, g->cap_entries, g->n_entries + 1);
    uint32_t ei = (uint32_t)g->n_entries++;
    gz_entry *e = &g->entries[ei];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->id = idlen ? pool_add(g, id, idlen) : 0;
    e->name = pool_add(g, name, namelen);
    e->source = source;
    e->row = row;
    e->priority = prio;
    e->casepol = (uint8_t)casepol;
    e->fold = (uint8_t)fold;
    e->klass = g->pool[type] == '_';
    g->has_fold |= fold;
    return ei;
}

/* The entry of this file with key h, type, id and name, or -1: a row
 * repeating an earlier row merges into it instead of adding a candidate. */
static int64_t duplicate_of(gz_gazetteer *g, uint64_t h, uint32_t type, const char *id,
                            const char *name)
{
    gz_key *kr = find_key(g, h);
    if (!kr || kr->first == GZ_NO_FORM)
        return -1;
    const gz_entry *d = &g->entries[g->forms[kr->first].entry];
    if (d->type == type && d->source == g->n_sources - 1 && strcmp(g->pool + d->id, id) == 0 &&
        strcmp(g->pool + d->name, name) == 0)
        return g->forms[kr->first].entry;
    return -1;
}

/* The row's attribute fields, into the attribute table of entry ei. */
static void add_row_attrs(gz_gazetteer *g, uint32_t ei, const gz_tsv *r, const int *role,
                          const uint32_t *colname, size_t nattr)
{
    if (g->n_attrs + nattr >= UINT32_MAX)
        g->pool_full = 1;
    GZ_GROW(g->attrs, g->cap_attrs, g->n_attrs + nattr);
    g->entries[ei].attrs = (uint32_t)g->n_attrs;
    g->entries[ei].n_attrs = (uint32_t)nattr;
    for (size_t c = 0; c < r->nf; c++) {
        if (role[c] != COL_ATTR || !r->f[c].n)
            continue;
        size_t vl;
        const char *v = gz_tsv_unescape_arena(g->scratch, r->f[c].s, r->f[c].n, &vl);
        gz_attr_rec *a = &g->attrs[g->n_attrs++];
        a->key = colname[c];
        a->value = pool_add(g, v, vl);
    }
}

/* The '|'-separated aliases of field x, as forms of entry ei. */
static void add_aliases(gz_gazetteer *g, uint32_t ei, const gz_tsv_field *x)
{
    size_t alen;
    char *al = gz_tsv_unescape_arena(g->scratch, x->s, x->n, &alen);
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

/* Parse one data row; returns 1 if loading must stop. */
static int parse_row(parse_ctx *pc, const gz_tsv *r, const int *role, const uint32_t *colname,
                     const char *stem)
{
    gz_gazetteer *g = pc->g;
    row_cols rc;
    int bad = read_cols(pc, r, role, &rc);
    if (bad)
        return bad == 2;
    size_t namelen;
    gz_arena_reset(g->scratch);
    char *name = gz_tsv_unescape_arena(g->scratch, rc.name->s, rc.name->n, &namelen);
    while (namelen && (name[namelen - 1] == ' ' || name[namelen - 1] == '\t'))
        name[--namelen] = '\0';
    while (namelen && (name[0] == ' ' || name[0] == '\t')) {
        name++;
        namelen--;
    }
    if (namelen == 0)
        return problem(pc, r->line, rc.name->col, "empty name");
    if (rc.type && !rc.type->n)
        return problem(pc, r->line, rc.type->col, "empty type");
    uint32_t type = rc.type ? intern_type(g, rc.type->s, rc.type->n)
                            : intern_type(g, stem, strlen(stem));
    size_t idlen = 0;
    const char *id = rc.id ? gz_tsv_unescape_arena(g->scratch, rc.id->s, rc.id->n, &idlen) : "";
    uint64_t h = 0;
    int never = compute_key(g, name, namelen, rc.fold, &h);
    int64_t dup = never ? -1 : duplicate_of(g, h, type, id, name);
    uint32_t ei;
    if (dup >= 0) {
        ei = (uint32_t)dup;
    } else {
        ei = new_entry(g, type, id, idlen, name, namelen, (uint32_t)(g->n_sources - 1),
                       (uint32_t)r->line, rc.prio, rc.casepol, rc.fold);
        if (rc.nattr)
            add_row_attrs(g, ei, r, role, colname, rc.nattr);
        if (!never)
            insert_form(g, ei, NULL, 0, h);
    }
    if (rc.aliases && rc.aliases->n)
        add_aliases(g, ei, rc.aliases);
    if (g->pool_full)
        return problem(pc, r->line, 0, "the dictionaries hold more than 4 GiB of text");
    return 0;
}

/* Check one string of an entry given in memory: present, valid UTF-8. */
static int check_string(const char *s, const char *what, gz_error *err)
{
    if (!s) {
        gz_error_set(err, NULL, 0, 0, "%s is missing", what);
        return -1;
    }
    size_t n = strlen(s), bad = 0;
    while (bad < n) {
        int32_t cp;
        size_t k = gz_utf8_decode((const unsigned char *)s + bad, n - bad, &cp);
        if (cp < 0)
            break;
        bad += k;
    }
    if (bad < n) {
        gz_error_set(err, NULL, 0, 0, "invalid UTF-8 in %s at byte %zu", what, bad);
        return -1;
    }
    return 0;
}

/* s[0, *n) without leading and trailing spaces and tabs, as dictionary
 * names are read. */
static const char *trim(const char *s, size_t *n)
{
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
        (*n)--;
    while (*n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        (*n)--;
    }
    return s;
}

/* Check an entry given in memory; its policies and attribute count out. */
static int check_entry(const gz_gazetteer *g, const char *name, const char *type, const char *id,
                       const char *const *aliases, size_t n_aliases, const gz_attr *attrs,
                       size_t n_attrs, int *casepol, int *fold, size_t *nattr, gz_error *err)
{
    if (g->frozen) {
        gz_error_set(err, NULL, 0, 0, "the dictionaries are frozen");
        return -1;
    }
    if (check_string(name, "the name", err) < 0 || check_string(type, "the type", err) < 0 ||
        (id && check_string(id, "the id", err) < 0))
        return -1;
    if (!*type) {
        gz_error_set(err, NULL, 0, 0, "empty type");
        return -1;
    }
    for (size_t i = 0; i < n_aliases; i++)
        if (check_string(aliases[i], "an alias", err) < 0)
            return -1;
    for (size_t i = 0; i < n_attrs; i++) {
        const char *k = attrs[i].key, *v = attrs[i].value;
        if (check_string(k, "an attribute name", err) < 0 ||
            check_string(v, "an attribute value", err) < 0)
            return -1;
        size_t kn = strlen(k), vn = strlen(v);
        int role = role_of(k, kn);
        if (role == COL_CASE && case_policy(v, vn, casepol) < 0) {
            gz_error_set(err, NULL, 0, 0, CASE_MSG, (int)(vn > 40 ? 40 : vn), v);
            return -1;
        } else if (role == COL_DIACRITICS && diacritics_policy(v, vn, fold) < 0) {
            gz_error_set(err, NULL, 0, 0, DIACRITICS_MSG, (int)(vn > 40 ? 40 : vn), v);
            return -1;
        } else if (role != COL_ATTR && role != COL_CASE && role != COL_DIACRITICS) {
            gz_error_set(err, NULL, 0, 0, "'%s' cannot be an attribute name", k);
            return -1;
        } else if (role == COL_ATTR && kn == 0) {
            gz_error_set(err, NULL, 0, 0, "'' cannot be an attribute name");
            return -1;
        }
        *nattr += role == COL_ATTR && vn;
    }
    return 0;
}

int gz_gaz_add_entry(gz_gazetteer *g, const char *name, const char *type, const char *id,
                     const char *const *aliases, size_t n_aliases, const gz_attr *attrs,
                     size_t n_attrs, int priority, gz_error *err)
{
    /* Check everything first, so that a failure leaves g unchanged. */
    int casepol = GZ_CASE_SMART, fold = (g->flags & GZ_GAZ_FOLD_DIACRITICS) != 0;
    size_t nattr = 0;
    if (check_entry(g, name, type, id, aliases, n_aliases, attrs, n_attrs, &casepol, &fold,
                    &nattr, err) < 0)
        return -1;
    size_t namelen = strlen(name);
    const char *tname = trim(name, &namelen);
    if (namelen == 0) {
        gz_error_set(err, NULL, 0, 0, "empty name");
        return -1;
    }
    if (!g->mem_rows) {
        g->mem_source = (uint32_t)g->n_sources;
        GZ_GROW(g->sources, g->cap_sources, g->n_sources + 1);
        gz_source *src = &g->sources[g->n_sources++];
        memset(src, 0, sizeof *src);
        src->stem = pool_add(g, "entries", 7);
        src->user = 1;
        src->seq = g->next_seq++;
    }
    uint32_t ei = new_entry(g, intern_type(g, type, strlen(type)), id ? id : "",
                            id ? strlen(id) : 0, tname, namelen, g->mem_source, ++g->mem_rows,
                            priority, casepol, fold);
    if (nattr) {
        GZ_GROW(g->attrs, g->cap_attrs, g->n_attrs + nattr);
        g->entries[ei].attrs = (uint32_t)g->n_attrs;
        g->entries[ei].n_attrs = (uint32_t)nattr;
        for (size_t i = 0; i < n_attrs; i++) {
            const char *key = attrs[i].key, *v = attrs[i].value;
            if (role_of(key, strlen(key)) != COL_ATTR || !*v)
                continue;
            gz_attr_rec *a = &g->attrs[g->n_attrs++];
            a->key = pool_add(g, key, strlen(key));
            a->value = pool_add(g, v, strlen(v));
        }
    }
    add_form(g, ei, tname, namelen);
    for (size_t i = 0; i < n_aliases; i++) {
        size_t n = strlen(aliases[i]);
        const char *al = trim(aliases[i], &n);
        if (n)
            add_form(g, ei, al, n);
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
    if (g->frozen) {
        gz_error_set(err, path, 0, 0, "the dictionaries are frozen");
        return -1;
    }
    /* Stat before reading: a change made while reading leaves a newer time
     * than the one recorded, so an image built now is never taken as current
     * for the changed file. */
    struct stat st;
    int have_st = stat(path, &st) == 0;
    gz_buf data = {0};
    if (gz_read_file(path, &data, err) < 0) {
        gz_buf_free(&data);
        return -1;
    }
    GZ_GROW(g->sources, g->cap_sources, g->n_sources + 1);
    gz_source *src = &g->sources[g->n_sources];
    memset(src, 0, sizeof *src);
    src->path = pool_add(g, path, strlen(path));
    const char *stem = file_stem(g->arena, path);
    src->stem = pool_add(g, stem, strlen(stem));
    src->user = user != 0;
    src->seq = g->next_seq++;
    if (have_st) {
        src->size = (uint64_t)st.st_size;
        src->mtime_sec = (int64_t)st.st_mtim.tv_sec;
        src->mtime_nsec = (int64_t)st.st_mtim.tv_nsec;
    }
    g->n_sources++;

    parse_ctx pc = {g, path, cb, ctx, err, 0};
    gz_tsv r;
    gz_tsv_init(&r, path, data.data, data.len, GZ_TSV_COMMENTS);
    int *role = read_header(&pc, &r);
    if (role) {
        /* Attribute keys: the column names, in the pool once per file. */
        uint32_t *colname = gz_xmalloc(r.nhead * sizeof *colname);
        for (size_t c = 0; c < r.nhead; c++)
            colname[c] = role[c] == COL_ATTR ? pool_add(g, r.head[c], strlen(r.head[c])) : 0;
        gz_error e;
        int rc;
        while (!pc.stop && (rc = gz_tsv_next(&r, &e)) != 0) {
            if (rc < 0)
                problem(&pc, e.line, e.column, "%s", e.message);
            else if (parse_row(&pc, &r, role, colname, stem))
                break;
        }
        free(colname);
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

/* Two more bits in the same word say that the prefix may be a whole key:
 * bits 58..63 and 28..33, which the word index does not use below 2^28
 * words (the filter's limit).  A look-up that only continues a name then
 * never touches the hash table. */
static inline uint64_t key_bits(uint64_t m)
{
    return 1ULL << ((m >> 58) & 63) | 1ULL << ((m >> 28) & 63);
}

/* A filter of about 16 bits per prefix; full[0, nf) are the whole keys
 * among the prefixes. */
static uint64_t *build_bloom(const uint64_t *pre, size_t n, const uint64_t *full, size_t nf,
                             uint64_t *mask)
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
    for (size_t i = 0; i < nf; i++) {
        uint64_t m = mix(full[i]);
        b[m & *mask] |= key_bits(m);
    }
    return b;
}

/* The answer of a filter word w for mixed hash m (see gazetteer.h). */
static inline int filter_answer(uint64_t w, uint64_t m)
{
    uint64_t b = bloom_bits(m), k = key_bits(m);
    if ((w & b) != b)
        return 0;
    return (w & k) == k ? GZ_MAYBE_PREFIX | GZ_MAYBE_KEY : GZ_MAYBE_PREFIX;
}

void gz_gaz_freeze(gz_gazetteer *g, const gz_roles *roles)
{
    if (g->frozen)
        return;
    /* types are interned: one look-up per run of entries of one type */
    uint32_t last = UINT32_MAX;
    int role = GZ_ROLE_NONE;
    for (size_t i = 0; i < g->n_entries; i++) {
        gz_entry *e = &g->entries[i];
        if (e->type != last) {
            last = e->type;
            role = gz_roles_of(roles, g->pool + e->type);
        }
        e->role = (uint8_t)role;
        /* a class list of names (Jefferson, Ray) takes no plural: in
         * "Rochester Jeffersons" the team is not a person */
        e->plural = role == GZ_ROLE_KEYWORD || (e->klass && !has_capital(g->pool + e->name));
        g->has_plural |= e->plural;
    }
    g->bloom = build_bloom(g->prefixes, g->n_prefixes, g->fulls, g->n_fulls, &g->bloom_mask);
    g->lbloom = build_bloom(g->lprefixes, g->n_lprefixes, g->lfulls, g->n_lfulls,
                            &g->lbloom_mask);
    free(g->fulls);
    free(g->lfulls);
    g->fulls = g->lfulls = NULL;
    g->n_fulls = g->cap_fulls = g->n_lfulls = g->cap_lfulls = 0;
    free(g->prefixes);
    g->prefixes = NULL;
    g->n_prefixes = g->cap_prefixes = 0;
    free(g->lprefixes);
    g->lprefixes = NULL;
    g->n_lprefixes = g->cap_lprefixes = 0;
    gz_tokens_free(&g->tok);
    gz_buf_free(&g->key);
    gz_arena_free(g->scratch);
    g->scratch = NULL;
    g->frozen = 1;
}

int gz_gaz_maybe_prefix(const gz_gazetteer *g, uint64_t h)
{
    if (!g->bloom)
        return GZ_MAYBE_PREFIX | GZ_MAYBE_KEY;  /* not frozen yet: no filter */
    uint64_t m = mix(h);
    return filter_answer(g->bloom[m & g->bloom_mask], m);
}

int gz_gaz_maybe_lower_prefix(const gz_gazetteer *g, uint64_t h)
{
    if (!g->lbloom)
        return GZ_MAYBE_PREFIX | GZ_MAYBE_KEY;
    uint64_t m = mix(h);
    return filter_answer(g->lbloom[m & g->lbloom_mask], m);
}

uint32_t gz_gaz_find(const gz_gazetteer *g, const char *key, size_t len, uint64_t h)
{
    const gz_key *kr = lookup(g, key, len, h);
    return kr ? kr->first : GZ_NO_FORM;
}

static const gz_form no_form = {GZ_NO_FORM, GZ_NO_FORM, 0, 0, 0, 0, 0};
static const gz_entry no_entry = {0};
static const gz_source no_source = {0};

const gz_form *gz_gaz_form(const gz_gazetteer *g, uint32_t i)
{
    return i < g->n_forms ? &g->forms[i] : &no_form;
}

const gz_entry *gz_gaz_entry(const gz_gazetteer *g, uint32_t i)
{
    return i < g->n_entries ? &g->entries[i] : &no_entry;
}

const gz_source *gz_gaz_source(const gz_gazetteer *g, uint32_t i)
{
    return i < g->n_sources ? &g->sources[i] : &no_source;
}

uint32_t gz_gaz_next(const gz_gazetteer *g, uint32_t i)
{
    if (i >= g->n_forms)
        return GZ_NO_FORM;
    uint32_t n = g->forms[i].next;
    return n < i ? n : GZ_NO_FORM;
}

const char *gz_gaz_str(const gz_gazetteer *g, uint32_t off)
{
    return off < g->pool_len ? g->pool + off : g->pool;
}

uint32_t gz_gaz_attr_count(const gz_gazetteer *g, const gz_entry *e)
{
    return e->attrs < g->n_attrs && e->n_attrs <= g->n_attrs - e->attrs ? e->n_attrs : 0;
}

int gz_gaz_attr(const gz_gazetteer *g, const gz_entry *e, uint32_t n, const char **key,
                const char **value)
{
    if (n >= e->n_attrs || e->attrs >= g->n_attrs || n >= g->n_attrs - e->attrs)
        return -1;
    const gz_attr_rec *a = &g->attrs[e->attrs + n];
    *key = gz_gaz_str(g, a->key);
    *value = gz_gaz_str(g, a->value);
    return 0;
}

size_t gz_gaz_entry_count(const gz_gazetteer *g) { return g->n_entries; }
size_t gz_gaz_source_count(const gz_gazetteer *g) { return g->n_sources; }
int gz_gaz_max_tokens(const gz_gazetteer *g) { return g->max_tokens; }
int gz_gaz_has_fold(const gz_gazetteer *g) { return g->has_fold; }
int gz_gaz_has_plural(const gz_gazetteer *g) { return g->has_plural; }
unsigned gz_gaz_flags(const gz_gazetteer *g) { return g->flags; }

size_t gz_gaz_memory(const gz_gazetteer *g)
{
    if (g->borrowed)
        return 0;  /* the tables are mapped, not held */
    return g->cap_pool + g->cap_entries * sizeof(gz_entry) + g->cap_forms * sizeof(gz_form) +
           g->cap_attrs * sizeof(gz_attr_rec) + (g->bloom ? (g->bloom_mask + 1) * 8 : 0) +
           (g->lbloom ? (g->lbloom_mask + 1) * 8 : 0) + g->cap_keys * sizeof(gz_key) +
           g->n_slots * sizeof(uint64_t);
}

void gz_gaz_each_key(const gz_gazetteer *g,
                     void (*fn)(void *ctx, const char *key, size_t keylen, uint32_t first),
                     void *ctx)
{
    for (size_t i = 0; i < g->n_keys; i++) {
        const gz_key *k = &g->keys[i];
        if (k->key < g->pool_len && k->keylen < g->pool_len - k->key)
            fn(ctx, g->pool + k->key, k->keylen, k->first);
    }
}

void gz_gaz_get_tables(const gz_gazetteer *g, gz_gaz_tables *t)
{
    memset(t, 0, sizeof *t);
    t->pool = g->pool;
    t->pool_len = g->pool_len;
    t->keys = g->keys;
    t->n_keys = g->n_keys;
    t->slots = g->slots;
    t->n_slots = g->n_slots;
    t->entries = g->entries;
    t->n_entries = g->n_entries;
    t->forms = g->forms;
    t->n_forms = g->n_forms;
    t->sources = g->sources;
    t->n_sources = g->n_sources;
    t->attrs = g->attrs;
    t->n_attrs = g->n_attrs;
    t->bloom = g->bloom;
    t->bloom_words = g->bloom ? g->bloom_mask + 1 : 0;
    t->lbloom = g->lbloom;
    t->lbloom_words = g->lbloom ? g->lbloom_mask + 1 : 0;
    t->flags = g->flags;
    t->max_tokens = (uint32_t)g->max_tokens;
    t->has_fold = (uint32_t)g->has_fold;
    t->has_plural = (uint32_t)g->has_plural;
}

static int pow2(uint64_t n)
{
    return n && !(n & (n - 1));
}

gz_gazetteer *gz_gaz_from_tables(const gz_gaz_tables *t, void (*release)(void *ctx),
                                 void *ctx, gz_error *err)
{
    const char *why = NULL;
    if (!t->pool || t->pool_len < 1 || t->pool_len > UINT32_MAX || t->pool[0] ||
        t->pool[t->pool_len - 1])
        why = "its string pool is not terminated";
    else if (t->n_keys >= UINT32_MAX || t->n_entries >= UINT32_MAX ||
             t->n_forms >= UINT32_MAX || t->n_sources >= UINT32_MAX ||
             t->n_attrs >= UINT32_MAX)
        why = "a table has too many records";
    else if (t->n_slots ? (!pow2(t->n_slots) || t->n_slots < 2 || t->n_slots > ((uint64_t)1 << 32) ||
                           t->n_slots < 2 * t->n_keys)
                        : t->n_keys != 0)
        why = "its hash table has a bad size";
    else if (!pow2(t->bloom_words) || !pow2(t->lbloom_words))
        why = "its prefix filters have a bad size";
    else if (t->max_tokens > MAX_NAME_TOKENS || t->has_fold > 1 || t->has_plural > 1 ||
             (t->flags & ~(unsigned)GZ_GAZ_FOLD_DIACRITICS))
        why = "its settings are out of range";
    if (why) {
        gz_error_set(err, NULL, 0, 0, "%s", why);
        return NULL;
    }
    gz_gazetteer *g = gz_xcalloc(1, sizeof *g);
    /* The tables are only read: the casts drop const for the shared struct. */
    g->flags = t->flags;
    g->pool = (char *)t->pool;
    g->pool_len = (size_t)t->pool_len;
    g->keys = (gz_key *)t->keys;
    g->n_keys = (size_t)t->n_keys;
    g->slots = (uint64_t *)t->slots;
    g->n_slots = (size_t)t->n_slots;
    unsigned bits = 0;
    while (((uint64_t)1 << bits) < t->n_slots)
        bits++;
    g->slot_shift = 32 - bits;
    g->entries = (gz_entry *)t->entries;
    g->n_entries = (size_t)t->n_entries;
    g->forms = (gz_form *)t->forms;
    g->n_forms = (size_t)t->n_forms;
    g->sources = (gz_source *)t->sources;
    g->n_sources = (size_t)t->n_sources;
    g->attrs = (gz_attr_rec *)t->attrs;
    g->n_attrs = (size_t)t->n_attrs;
    g->bloom = (uint64_t *)t->bloom;
    g->bloom_mask = t->bloom_words - 1;
    g->lbloom = (uint64_t *)t->lbloom;
    g->lbloom_mask = t->lbloom_words - 1;
    g->max_tokens = (int)t->max_tokens;
    g->has_fold = (int)t->has_fold;
    g->has_plural = (int)t->has_plural;
    g->frozen = 1;
    g->borrowed = 1;
    g->release = release;
    g->release_ctx = ctx;
    return g;
}
