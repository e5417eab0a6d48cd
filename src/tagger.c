/* SPDX-License-Identifier: MIT */
/*
 * tagger.c - one document in, span list out.
 *
 * Dictionary matching walks the tokens: from each token it extends a key one
 * token at a time (separators left out, as in the gazetteer) while the
 * gazetteer's prefix filter says a name may continue, and probes the hash
 * table at every step.  A possessive 's and, for keywords, a regular plural
 * are tried as final variants of the last token.  The dictionaries may be
 * several sets of tables (layers: those parsed from TSV files and any
 * compiled images); a key is looked up in each layer whose filter lets it
 * through, and entry idents and load orders run on across layers, so the
 * result is that of one set.  Each hit is checked
 * against its entry's case policy on the original surface.  Token rules
 * (rules.c) add candidates over token classes, regex rules over the raw
 * bytes.  Resolution is leftmost-longest; among
 * candidates for the same span, the precedence order of gaztag.1 applies:
 * priority, then user dictionaries (the later first), then bundled ones,
 * then rules, then file and row order.  The document passes (docpass.c)
 * then fill what no mention covers.
 *
 * Every string a span points to has one of three owners: the engine
 * (dictionary and rule strings, which outlive the tagger), the chunk arena
 * (surfaces and ids a rule made up) or the document memory (names the passes
 * learned).  Neither of the last two frees anything before the next
 * gz_tag_chunk, gz_tag or gz_tagger_free, so a chunk's spans stay whole
 * until the caller asks for the next chunk.
 */
#include "tagger.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "docpass.h"
#include "engine.h"
#include "normalize.h"
#include "rules.h"
#include "tokenize.h"
#include "util.h"

typedef struct cand {
    size_t start, end;
    const char *type, *id, *name, *source, *matched;
    const gz_gazetteer *gaz;    /* the entry's attributes, made strings when printed */
    const gz_entry *entry;
    int priority;
    uint32_t tier;      /* 0 user dict, 1 bundled dict, 2 user rule, 3 bundled rule */
    uint32_t row;
    uint32_t ident;     /* entry index; regex rule index | 1 << 31; token rule | 1 << 30 */
    unsigned how;
    uint8_t klass;      /* a class list: for the rules, never a mention */
    uint8_t origin;     /* enum gz_origin */
    uint8_t role;       /* enum gz_role of the type */
    uint8_t local;      /* an id made up for this document */
    int64_t order;      /* file order within the tier */
    size_t tok_first, tok_last;  /* token range, SIZE_MAX for regex rules */
} cand;

/* A class-list match: what the token rules and the token classes read of it. */
typedef struct clsm {
    const char *type;
    size_t tok_first, tok_last;  /* token range, SIZE_MAX for regex rules */
    uint8_t role;
} clsm;

struct gz_tagger {
    const gz_engine *e;
    size_t *aside;      /* candidates heading a group resolution set aside */
    size_t naside, capaside;
    gz_span *merged;    /* the mentions and the covered ones (overlapping) */
    size_t capmerged;
    const gz_dicts *dicts;  /* e's dictionaries, every layer */
    gz_tokens tok;
    gz_pstate *ps;
    gz_norm norm;
    cand *c;
    size_t nc, capc;
    clsm *cls;          /* class-list matches (types starting with '_') */
    size_t ncls, capcls;
    gz_span *spans, *alts;
    uint8_t *evid;      /* GZ_EV_* per resolved span */
    size_t cap_evid;
    size_t nspans, capspans, nalts, capalts;
    size_t *alt_first;
    size_t cap_alt_first;
    gz_arena *doc;      /* per-chunk strings */
    gz_tstate *ts;      /* token rules */
    gz_docmem *mem;     /* what the document passes learned */
    gz_ctx *ctx;        /* the document's profile (context.h) */
    char *typefeat;
    size_t cap_typefeat;
    uint16_t *tokclass;
    size_t cap_tokclass;
    uint8_t *marks;     /* per token: GZ_MK_* (sentence start, headline, common) */
    size_t cap_marks;
    uint64_t *lcbits;   /* the lower-case words of the chunk, as a bit set */
    size_t cap_lcbits;
    uint64_t *midcaps;  /* hashes of words capitalised mid-sentence: an open-
                         * addressing set of nmidcaps slots (a power of two),
                         * 0 an empty slot; midcaps_zero: a hash of 0 */
    size_t nmidcaps, cap_midcaps;
    int midcaps_zero;
    int have_midcaps;
    gz_buf key, skey, pa, pb, tmp;
    const char *text;
    size_t base;
    int lowstart;       /* the match being extended starts at a lower-case word */
};

/* GAZTAG_ARENA_LIMIT, a count of bytes, lowers (or raises) the size from
 * which the document memory compacts its strings, so that tests and fuzzers
 * reach compaction with small inputs.  Anything but a decimal number is
 * ignored. */
static void arena_limit_from_env(gz_docmem *m)
{
    const char *s = getenv("GAZTAG_ARENA_LIMIT");
    if (!s || *s < '0' || *s > '9')
        return;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > SIZE_MAX)
        return;
    gz_docmem_set_arena_limit(m, (size_t)v);
}

gz_tagger *gz_tagger_new(const gz_engine *e)
{
    gz_tagger *t = gz_xcalloc(1, sizeof *t);
    t->e = e;
    t->dicts = gz_engine_dicts(e);
    t->ps = gz_pstate_new(gz_engine_patterns(e));
    t->ts = gz_tstate_new(gz_engine_trules(e));
    t->mem = gz_docmem_new();
    t->ctx = gz_ctx_new();
    arena_limit_from_env(t->mem);
    t->doc = gz_arena_new();
    return t;
}

void gz_tagger_free(gz_tagger *t)
{
    if (!t)
        return;
    gz_tokens_free(&t->tok);
    gz_pstate_free(t->ps);
    gz_tstate_free(t->ts);
    gz_docmem_free(t->mem);
    gz_ctx_free(t->ctx);
    free(t->typefeat);
    free(t->tokclass);
    free(t->aside);
    free(t->merged);
    free(t->marks);
    free(t->lcbits);
    free(t->midcaps);
    gz_norm_free(&t->norm);
    free(t->c);
    free(t->cls);
    free(t->spans);
    free(t->evid);
    free(t->alts);
    free(t->alt_first);
    gz_arena_free(t->doc);
    gz_buf_free(&t->key);
    gz_buf_free(&t->skey);
    gz_buf_free(&t->pa);
    gz_buf_free(&t->pb);
    gz_buf_free(&t->tmp);
    free(t);
}

/* Does the surface text[a, b) have the entry's case pattern "as written"?
 * For a plural, only the entry's letters but its last are compared. */
static int as_written(gz_tagger *t, const char *text, size_t a, size_t b, int plural)
{
    t->pa.len = 0;
    t->pb.len = 0;
    gz_case_pattern(t->text + a, b - a, &t->pa);
    gz_case_pattern(text, strlen(text), &t->pb);
    if (plural) {
        size_t n = t->pb.len ? t->pb.len - 1 : 0;
        return t->pa.len >= n && memcmp(t->pa.data, t->pb.data, n) == 0;
    }
    return t->pa.len == t->pb.len && memcmp(t->pa.data, t->pb.data, t->pa.len) == 0;
}

/* Apply the entry's case policy to tokens i..j (ending at byte end). */
static int case_ok(gz_tagger *t, const gz_gazetteer *g, const gz_form *f, const gz_entry *e,
                   size_t i, size_t j, size_t end, int plural, unsigned *how)
{
    const char *text = gz_gaz_str(g, f->text);
    const gz_token *tk = t->tok.tok;
    unsigned any = 0;
    int title = 1;
    for (size_t k = i; k <= j; k++) {
        unsigned fl = tk[k].flags;
        any |= fl;
        if ((fl & (GZ_TF_UPPER | GZ_TF_LOWER)) && !(fl & GZ_TF_TITLE))
            title = 0;
    }
    size_t a = tk[i].start;
    int aw;
    switch (e->casepol) {
    case GZ_CASE_FOLDALL:
        if (!as_written(t, text, a, end, plural))
            *how |= GZ_HOW_CASE;
        return 1;
    case GZ_CASE_EXACT:
        return as_written(t, text, a, end, plural);
    default:
        break;
    }
    int allcaps = !(any & GZ_TF_LOWER);
    switch (f->shape) {
    case GZ_SHAPE_UNCASED:
        return 1;
    case GZ_SHAPE_ALLCAPS:
        return allcaps;
    case GZ_SHAPE_LOWER: {
        if (!(any & GZ_TF_UPPER))
            return 1;
        int firstcap = (tk[i].flags & GZ_TF_TITLE) != 0;
        for (size_t k = i + 1; k <= j && firstcap; k++)
            if (tk[k].flags & GZ_TF_UPPER)
                firstcap = 0;
        if (firstcap || title || allcaps) {
            *how |= GZ_HOW_CASE;
            return 1;
        }
        return 0;
    }
    default:
        /* A name with a capital never matches a surface in lower case (the
         * case patterns differ, and it is neither title case nor all caps);
         * saying so early spares two case patterns for common words. */
        if (!plural && !(any & GZ_TF_UPPER) && (any & GZ_TF_LOWER))
            return 0;
        /* A name in title case ("New York") found in title case over as many
         * words is found as written: no need to compare case patterns. */
        if (f->titled && title && (int)(j - i + 1) == f->ntok)
            return 1;
        aw = as_written(t, text, a, end, plural);
        if (aw)
            return 1;
        if (title || allcaps) {
            *how |= GZ_HOW_CASE;
            return 1;
        }
        return 0;
    }
}

static void push_cls(gz_tagger *t, const char *type, size_t first, size_t last, uint8_t role)
{
    GZ_GROW(t->cls, t->capcls, t->ncls + 1);
    clsm *m = &t->cls[t->ncls++];
    m->type = type;
    m->tok_first = first;
    m->tok_last = last;
    m->role = role;
}

static void push_cand(gz_tagger *t, const cand *c)
{
    if (c->klass) {
        push_cls(t, c->type, c->tok_first, c->tok_last, c->role);
    } else {
        GZ_GROW(t->c, t->capc, t->nc + 1);
        t->c[t->nc++] = *c;
    }
}

enum { PROBE_PLAIN, PROBE_STRIPPED, PROBE_PLURAL, PROBE_PLURAL_STRIPPED };

/* Probe key[0, len) (hash h, which the caller has checked against the
 * prefix filter) for a name spanning tokens i..j, ending at byte end; add
 * every accepted candidate. */
static void probe_layer(gz_tagger *t, const gz_layer *l, const char *key, size_t len,
                        uint64_t h, int kind, size_t i, size_t j, size_t end, unsigned how)
{
    const gz_gazetteer *g = l->gaz;
    uint32_t fi = gz_gaz_find(g, key, len, h);
    int plural = kind == PROBE_PLURAL || kind == PROBE_PLURAL_STRIPPED;
    int stripped = kind == PROBE_STRIPPED || kind == PROBE_PLURAL_STRIPPED;
    for (; fi != GZ_NO_FORM; fi = gz_gaz_next(g, fi)) {
        const gz_form *f = gz_gaz_form(g, fi);
        const gz_entry *e = gz_gaz_entry(g, f->entry);
        /* Parts may be joined ("cyberattack" for cyber-attack) but a name is
         * never split where it has no separator ("I ran" is not Iran). */
        if ((int)(j - i + 1) > f->ntok)
            continue;
        if (stripped && !e->fold)
            continue;
        if (plural && !e->plural)
            continue;
        unsigned h2 = how;
        if (!case_ok(t, g, f, e, i, j, end, plural, &h2))
            continue;
        if (e->klass) {
            /* never a mention: the rules read no more of it */
            push_cls(t, gz_gaz_str(g, e->type), i, j,
                     e->role < GZ_ROLE_COUNT ? e->role : GZ_ROLE_NONE);
            continue;
        }
        if (stripped)
            h2 |= GZ_HOW_DIACRITICS;
        if ((int)(j - i + 1) != f->ntok)
            h2 |= GZ_HOW_HYPHEN;
        const gz_source *src = gz_gaz_source(g, e->source);
        cand c = {0};
        c.start = t->base + t->tok.tok[i].start;
        c.end = t->base + end;
        c.type = gz_gaz_str(g, e->type);
        c.id = gz_gaz_str(g, e->id);
        c.name = gz_gaz_str(g, e->name);
        c.source = gz_gaz_str(g, src->stem);
        c.matched = gz_gaz_str(g, f->text);
        c.gaz = g;
        c.entry = e;
        c.priority = e->priority;
        int64_t seq = (int64_t)l->seq_base + src->seq;
        c.tier = src->user ? 0 : 1;
        c.order = src->user ? -seq : seq;
        c.row = e->row;
        c.ident = l->entry_base + f->entry;
        c.origin = GZ_ORIGIN_DICTIONARY;
        c.role = e->role < GZ_ROLE_COUNT ? e->role : GZ_ROLE_NONE;  /* an image is untrusted */
        c.how = h2;
        c.klass = e->klass;
        c.tok_first = i;
        c.tok_last = j;
        push_cand(t, &c);
    }
}

/* The prefix filter of one layer for the match being extended. */
static inline int layer_maybe(const gz_tagger *t, const gz_gazetteer *g, uint64_t h)
{
    return t->lowstart ? gz_gaz_maybe_lower_prefix(g, h) : gz_gaz_maybe_prefix(g, h);
}

/* The same over every layer: may some name continue (GZ_MAYBE_PREFIX),
 * may some be this key (GZ_MAYBE_KEY)? */
static int maybe(const gz_tagger *t, uint64_t h)
{
    const gz_dicts *d = t->dicts;
    int r = 0;
    for (size_t l = 0; l < d->nlayers && r != (GZ_MAYBE_PREFIX | GZ_MAYBE_KEY); l++)
        r |= layer_maybe(t, d->layers[l].gaz, h);
    return r;
}

/* Probe key[0, len) (hash h, which the caller has checked against the
 * prefix filters) in every layer whose own filter lets it through. */
static void probe_checked(gz_tagger *t, const char *key, size_t len, uint64_t h, int kind,
                          size_t i, size_t j, size_t end, unsigned how)
{
    const gz_dicts *d = t->dicts;
    if (d->nlayers == 1) {
        probe_layer(t, &d->layers[0], key, len, h, kind, i, j, end, how);
        return;
    }
    for (size_t l = 0; l < d->nlayers; l++)
        if (layer_maybe(t, d->layers[l].gaz, h) & GZ_MAYBE_KEY)
            probe_layer(t, &d->layers[l], key, len, h, kind, i, j, end, how);
}

static void probe(gz_tagger *t, const char *key, size_t len, uint64_t h, int kind, size_t i,
                  size_t j, size_t end, unsigned how)
{
    if (maybe(t, h) & GZ_MAYBE_KEY)
        probe_checked(t, key, len, h, kind, i, j, end, how);
}

/* Try the regular English plural stems of the last token's key. */
static void probe_plurals(gz_tagger *t, gz_buf *kb, uint64_t h, size_t pre, const char *k,
                          size_t kl, int kind, size_t i, size_t j, unsigned how)
{
    size_t end = t->tok.tok[j].end;
    if (kl < 3 || k[kl - 1] != 's' || k[kl - 2] == 's' || k[kl - 2] == '\'')
        return;
    /* -s */
    kb->len = pre;
    gz_buf_add(kb, k, kl - 1);
    probe(t, kb->data, kb->len, gz_key_hash(h, k, kl - 1), kind, i, j, end, how | GZ_HOW_PLURAL);
    /* -es after s, x, z, ch, sh */
    if (kl >= 4 && k[kl - 2] == 'e') {
        char c = k[kl - 3];
        int es = c == 's' || c == 'x' || c == 'z' ||
                 ((c == 'h') && kl >= 5 && (k[kl - 4] == 'c' || k[kl - 4] == 's'));
        if (es) {
            kb->len = pre;
            gz_buf_add(kb, k, kl - 2);
            probe(t, kb->data, kb->len, gz_key_hash(h, k, kl - 2), kind, i, j, end,
                  how | GZ_HOW_PLURAL);
        }
    }
    /* -ies -> -y */
    if (kl >= 5 && k[kl - 3] == 'i' && k[kl - 2] == 'e') {
        kb->len = pre;
        gz_buf_add(kb, k, kl - 3);
        gz_buf_addc(kb, 'y');
        uint64_t hy = gz_key_hash(gz_key_hash(h, k, kl - 3), "y", 1);
        probe(t, kb->data, kb->len, hy, kind, i, j, end, how | GZ_HOW_PLURAL);
    }
    kb->len = pre;
}

static void match_from(gz_tagger *t, size_t i)
{
    const gz_tokens *tk = &t->tok;
    int maxtok = t->dicts->max_tokens;
    int fold = t->dicts->has_fold, plural = t->dicts->has_plural;
    uint64_t h = GZ_FNV_OFFSET, hs = GZ_FNV_OFFSET;
    int diff = 0;
    unsigned how = 0;
    t->key.len = 0;
    t->skey.len = 0;
    /* most words of running text are lower case; few names can start there */
    t->lowstart = (tk->tok[i].flags & (GZ_TF_UPPER | GZ_TF_LOWER)) == GZ_TF_LOWER;
    for (size_t j = i; j < tk->n && (int)(j - i) < maxtok; j++) {
        const gz_token *x = &tk->tok[j];
        if (j > i) {
            if (x->gap == GZ_GAP_BREAK)
                break;
            if (x->gap == GZ_GAP_WS)
                how |= GZ_HOW_SPACE;
            else if (x->gap == GZ_GAP_HYPHEN)
                how |= GZ_HOW_HYPHEN;
        }
        if (x->flags & GZ_TF_QUOTE)
            how |= GZ_HOW_QUOTE;
        if (x->flags & GZ_TF_DECOMPOSED)
            how |= GZ_HOW_NFC;
        const char *k = tk->keys.data + x->key;
        size_t kl = x->keylen;
        const char *sk = tk->keys.data + x->skey;
        size_t skl = x->skeylen;
        int xdiff = fold && (x->skey != x->key);
        size_t pre = t->key.len, spre = t->skey.len;
        /* final variants: possessive, plural */
        if (x->poss) {
            size_t pend = x->end - x->poss;
            gz_buf_add(&t->key, k, kl - 2);
            probe(t, t->key.data, t->key.len, gz_key_hash(h, k, kl - 2), PROBE_PLAIN, i, j,
                  pend, how | GZ_HOW_POSSESSIVE);
            t->key.len = pre;
            if (diff || xdiff) {
                gz_buf_add(&t->skey, sk, skl - 2);
                probe(t, t->skey.data, t->skey.len, gz_key_hash(hs, sk, skl - 2),
                      PROBE_STRIPPED, i, j, pend, how | GZ_HOW_POSSESSIVE);
                t->skey.len = spre;
            }
        } else if (plural && x->kind == GZ_TOK_WORD) {
            probe_plurals(t, &t->key, h, pre, k, kl, PROBE_PLURAL, i, j, how);
            if (diff || xdiff)
                probe_plurals(t, &t->skey, hs, spre, sk, skl, PROBE_PLURAL_STRIPPED, i, j, how);
        }
        gz_buf_add(&t->key, k, kl);
        h = gz_key_hash(h, k, kl);
        if (fold) {
            gz_buf_add(&t->skey, sk, skl);
            hs = gz_key_hash(hs, sk, skl);
            diff |= xdiff;
        }
        int alive = maybe(t, h);
        if (alive & GZ_MAYBE_KEY)
            probe_checked(t, t->key.data, t->key.len, h, PROBE_PLAIN, i, j, x->end, how);
        int salive = diff ? maybe(t, hs) : 0;
        if (salive & GZ_MAYBE_KEY)
            probe_checked(t, t->skey.data, t->skey.len, hs, PROBE_STRIPPED, i, j, x->end, how);
        alive |= salive;
        if (!alive)
            break;
    }
}

static void rule_hit(void *ctx, size_t ri, size_t start, size_t end, const size_t *ov,
                     size_t pairs)
{
    gz_tagger *t = ctx;
    const gz_rule *r = gz_patterns_rule(gz_engine_patterns(t->e), ri);
    t->tmp.len = 0;
    gz_rule_expand_id(r, t->text, ov, pairs, &t->tmp);
    cand c = {0};
    c.start = t->base + start;
    c.end = t->base + end;
    c.type = r->type;
    c.id = gz_arena_strndup(t->doc, t->tmp.data ? t->tmp.data : "", t->tmp.len);
    c.name = gz_arena_strndup(t->doc, t->text + start, end - start);
    c.source = r->source;
    c.matched = NULL;
    c.priority = r->priority;
    c.tier = r->user ? 2 : 3;
    c.order = r->user ? -(int64_t)r->seq : (int64_t)r->seq;
    c.row = (uint32_t)r->line;
    c.ident = (uint32_t)ri | 0x80000000u;
    c.klass = r->klass;
    c.origin = GZ_ORIGIN_REGEX_RULE;
    c.role = (uint8_t)gz_roles_of(gz_engine_roles(t->e), r->type);
    c.tok_first = c.tok_last = SIZE_MAX;
    push_cand(t, &c);
}

/* ---- rules over token classes ---- */

/* Per token and referenced type: 'B' a dictionary match of the type begins
 * here, 'I' continues, '-' none. */
static void build_typefeat(gz_tagger *t, const gz_trules *tr)
{
    size_t nt = gz_trules_ntypes(tr), n = t->tok.n;
    GZ_GROW(t->typefeat, t->cap_typefeat, n * nt + 1);
    memset(t->typefeat, '-', n * nt);
    /* Candidates share a few type strings: remember each string's slot by
     * its address (stable during this call) rather than compare it with
     * every referenced type for every candidate. */
    struct {
        const char *type;
        long slot;
    } seen[64] = {{0}};
    for (size_t n2 = t->nc + t->ncls, i = 0; i < n2; i++) {
        const char *type;
        size_t first, last;
        if (i < t->nc) {
            type = t->c[i].type;
            first = t->c[i].tok_first;
            last = t->c[i].tok_last;
        } else {
            type = t->cls[i - t->nc].type;
            first = t->cls[i - t->nc].tok_first;
            last = t->cls[i - t->nc].tok_last;
        }
        if (first == SIZE_MAX)
            continue;
        size_t h = ((uintptr_t)type >> 3) % 64;
        if (seen[h].type != type) {
            seen[h].type = type;
            seen[h].slot = -1;
            /* the referenced types are distinct: one slot at most */
            for (size_t k = 0; k < nt && seen[h].slot < 0; k++)
                if (strcmp(type, gz_trules_type(tr, k)) == 0)
                    seen[h].slot = (long)k;
        }
        if (seen[h].slot < 0)
            continue;
        size_t k = (size_t)seen[h].slot;
        t->typefeat[first * nt + k] = 'B';
        for (size_t x = first + 1; x <= last; x++)
            if (t->typefeat[x * nt + k] != 'B')
                t->typefeat[x * nt + k] = 'I';
    }
}

/* The surface of tokens a..b with white space collapsed, into the chunk arena. */
static const char *surface(gz_tagger *t, size_t a, size_t b, size_t end)
{
    t->tmp.len = 0;
    const gz_token *tk = t->tok.tok;
    for (size_t i = a; i <= b; i++) {
        if (i > a && tk[i].gap != GZ_GAP_NONE)
            gz_buf_addc(&t->tmp, tk[i].gap == GZ_GAP_HYPHEN ? '-' : ' ');
        size_t e = i == b ? end : tk[i].end;
        gz_buf_add(&t->tmp, t->text + tk[i].start, e - tk[i].start);
    }
    return gz_arena_strndup(t->doc, t->tmp.data ? t->tmp.data : "", t->tmp.len);
}

static void trule_hit(void *ctx, size_t ri, size_t a, size_t b)
{
    gz_tagger *t = ctx;
    const gz_rule *r = gz_trules_rule(gz_engine_trules(t->e), ri);
    const gz_token *tk = t->tok.tok;
    size_t end = tk[b].end - tk[b].poss;
    cand c = {0};
    c.start = t->base + tk[a].start;
    c.end = t->base + end;
    c.type = r->type;
    c.name = surface(t, a, b, end);
    if (r->id[0]) {
        c.id = r->id;
    } else {
        t->tmp.len = 0;
        gz_buf_adds(&t->tmp, "local:");
        for (size_t i = a; i <= b; i++) {
            if (i > a && tk[i].gap != GZ_GAP_NONE)
                gz_buf_addc(&t->tmp, ' ');
            size_t kl = tk[i].keylen - (i == b && tk[i].poss ? 2 : 0);
            gz_buf_add(&t->tmp, t->tok.keys.data + tk[i].key, kl);
        }
        c.id = gz_arena_strndup(t->doc, t->tmp.data, t->tmp.len);
        c.local = 1;
    }
    c.source = r->source;
    c.priority = r->priority;
    c.tier = r->user ? 2 : 3;
    c.order = r->user ? -(int64_t)r->seq : (int64_t)r->seq;
    c.row = (uint32_t)r->line;
    c.ident = (uint32_t)(0x40000000u | ri);
    c.klass = r->klass;
    c.origin = GZ_ORIGIN_TOKEN_RULE;
    c.role = (uint8_t)gz_roles_of(gz_engine_roles(t->e), r->type);
    c.tok_first = a;
    c.tok_last = b;
    push_cand(t, &c);
}

/* Class bits per token for the document passes. */
static void build_tokclass(gz_tagger *t)
{
    GZ_GROW(t->tokclass, t->cap_tokclass, t->tok.n + 1);
    memset(t->tokclass, 0, t->tok.n * sizeof *t->tokclass);
    static const uint16_t bit[GZ_ROLE_COUNT] = {
        [GZ_ROLE_ORG_HEAD] = GZ_TC_ORG_HEAD, [GZ_ROLE_PLACE_HEAD] = GZ_TC_PLACE_HEAD,
        [GZ_ROLE_FUNCTION] = GZ_TC_FUNCTION, [GZ_ROLE_TITLE] = GZ_TC_TITLE,
        [GZ_ROLE_GIVEN_NAME] = GZ_TC_GIVEN,  [GZ_ROLE_SURNAME] = GZ_TC_SURNAME,
        [GZ_ROLE_PARTICLE] = GZ_TC_PARTICLE,
    };
    for (size_t i = 0; i < t->ncls; i++) {
        const clsm *c = &t->cls[i];
        if (c->tok_first == SIZE_MAX || !bit[c->role])
            continue;
        for (size_t x = c->tok_first; x <= c->tok_last; x++)
            t->tokclass[x] |= bit[c->role];
    }
}

/* Mark the capitalised words that the chunk also uses in lower case: in
 * "the church ... Church", "Church" is an ordinary word, not a name.  The
 * lower-case words go into a bit set by two bits of their key's hash (a
 * capitalised word wrongly taken as ordinary is rarer than 1 in 1,000). */
static void build_common(gz_tagger *t)
{
    size_t n = t->tok.n;
    size_t bits = 4096;
    while (bits < n * 32)
        bits <<= 1;
    size_t words = bits / 64;
    GZ_GROW(t->lcbits, t->cap_lcbits, words);
    memset(t->lcbits, 0, words * sizeof *t->lcbits);
    uint64_t mask = bits - 1;
    const gz_token *tk = t->tok.tok;
    const char *keys = t->tok.keys.data;
    int any_upper = 0;
    for (size_t i = 0; i < n; i++) {
        if (tk[i].kind != GZ_TOK_WORD)
            continue;
        unsigned f = tk[i].flags & (GZ_TF_UPPER | GZ_TF_LOWER);
        if (f != GZ_TF_LOWER) {
            any_upper |= (f & GZ_TF_UPPER) != 0;
            continue;
        }
        size_t kl = tk[i].keylen - (tk[i].poss ? 2 : 0);
        uint64_t h = gz_fnv1a(GZ_FNV_OFFSET, keys + tk[i].key, kl);
        uint64_t a = h & mask, b = (h >> 32) & mask;
        t->lcbits[a >> 6] |= 1ULL << (a & 63);
        t->lcbits[b >> 6] |= 1ULL << (b & 63);
    }
    if (!any_upper)
        return;
    for (size_t i = 0; i < n; i++) {
        if (tk[i].kind != GZ_TOK_WORD || !(tk[i].flags & GZ_TF_UPPER))
            continue;
        size_t kl = tk[i].keylen - (tk[i].poss ? 2 : 0);
        uint64_t h = gz_fnv1a(GZ_FNV_OFFSET, keys + tk[i].key, kl);
        uint64_t a = h & mask, b = (h >> 32) & mask;
        if ((t->lcbits[a >> 6] >> (a & 63) & 1) && (t->lcbits[b >> 6] >> (b & 63) & 1))
            t->marks[i] |= GZ_MK_COMMON;
    }
}

/* ---- ordinary words where their capital comes from their place ---- */

static uint64_t word_hash(const gz_tagger *t, size_t i)
{
    const gz_token *x = &t->tok.tok[i];
    size_t kl = x->keylen - (x->poss ? 2 : 0);
    return gz_fnv1a(GZ_FNV_OFFSET, t->tok.keys.data + x->key, kl);
}

/* Is the word of token i written capitalised somewhere mid-sentence (not
 * at a sentence start, not on a headline) in the chunk? */
static int capitalised_mid_sentence(gz_tagger *t, size_t i)
{
    if (!t->have_midcaps) {
        size_t n = 0;
        for (size_t k = 0; k < t->tok.n; k++) {
            const gz_token *x = &t->tok.tok[k];
            n += x->kind == GZ_TOK_WORD && (x->flags & GZ_TF_UPPER) &&
                 !(t->marks[k] & (GZ_MK_START | GZ_MK_HEAD));
        }
        size_t slots = 16;
        while (slots < 2 * n)
            slots *= 2;
        GZ_GROW(t->midcaps, t->cap_midcaps, slots);
        memset(t->midcaps, 0, slots * sizeof *t->midcaps);
        t->nmidcaps = slots;
        t->midcaps_zero = 0;
        for (size_t k = 0; n && k < t->tok.n; k++) {
            const gz_token *x = &t->tok.tok[k];
            if (x->kind != GZ_TOK_WORD || !(x->flags & GZ_TF_UPPER) ||
                (t->marks[k] & (GZ_MK_START | GZ_MK_HEAD)))
                continue;
            uint64_t h = word_hash(t, k);
            if (!h) {
                t->midcaps_zero = 1;
                continue;
            }
            size_t at = (size_t)h & (slots - 1);
            while (t->midcaps[at] && t->midcaps[at] != h)
                at = (at + 1) & (slots - 1);
            t->midcaps[at] = h;
        }
        t->have_midcaps = 1;
    }
    uint64_t h = word_hash(t, i);
    if (!h)
        return t->midcaps_zero;
    size_t at = (size_t)h & (t->nmidcaps - 1);
    while (t->midcaps[at]) {
        if (t->midcaps[at] == h)
            return 1;
        at = (at + 1) & (t->nmidcaps - 1);
    }
    return 0;
}

/* Is token i an ordinary word (on the engine's word lists, or a function
 * word) that is capitalised only by where it stands (see positional_word)? */
static int placed_word(gz_tagger *t, size_t i)
{
    const gz_token *x = &t->tok.tok[i];
    if (x->kind != GZ_TOK_WORD || !(x->flags & GZ_TF_TITLE) ||
        !(t->marks[i] & (GZ_MK_START | GZ_MK_HEAD)))
        return 0;
    if (t->tokclass[i] & GZ_TC_FUNCTION)
        return 1;
    size_t kl = x->keylen - (x->poss ? 2 : 0);
    return gz_engine_ordinary(t->e, t->tok.keys.data + x->key, kl) &&
           !capitalised_mid_sentence(t, i);
}

/* Is candidate c a one-word name that is an ordinary word (on the engine's
 * word lists, or a function word) whose capital comes from where it stands:
 * title case at a sentence start or on a headline, or capitals on a line in
 * capitals when the name itself is not written in capitals ("THE" for
 * "The", not "US" for "US")?  Such an ordinary word is a name only when the
 * text also writes it capitalised mid-sentence; a function word never. */
static int positional_word(gz_tagger *t, const cand *c)
{
    if (c->tok_first == SIZE_MAX || c->tok_first != c->tok_last || c->role == GZ_ROLE_KEYWORD)
        return 0;
    size_t i = c->tok_first;
    const gz_token *x = &t->tok.tok[i];
    if (x->kind != GZ_TOK_WORD || !(t->marks[i] & (GZ_MK_START | GZ_MK_HEAD)))
        return 0;
    if (!(x->flags & GZ_TF_TITLE)) {
        /* capitals: explained only on a headline, for a name not in capitals */
        if ((x->flags & GZ_TF_LOWER) || !(t->marks[i] & GZ_MK_HEAD) || !c->matched)
            return 0;
        int lower = 0;
        for (const char *m = c->matched; *m && !lower; m++)
            lower = *m >= 'a' && *m <= 'z';
        if (!lower)
            return 0;
    }
    /* a function word capitalised mid-sentence opens a longer name ("in
     * The Hague"): it never makes a one-word name */
    if (t->tokclass[i] & GZ_TC_FUNCTION)
        return 1;
    size_t kl = x->keylen - (x->poss ? 2 : 0);
    return gz_engine_ordinary(t->e, t->tok.keys.data + x->key, kl) &&
           !capitalised_mid_sentence(t, i);
}

/* Drop the candidates of positional_word. */
static void drop_positional_words(gz_tagger *t)
{
    size_t k = 0;
    for (size_t i = 0; i < t->nc; i++)
        if (!positional_word(t, &t->c[i]))
            t->c[k++] = t->c[i];
    t->nc = k;
}

/* Does a resolved mention teach the passes a name (see docpass.c)? */
static int needs_common(const gz_tagger *t)
{
    for (size_t i = 0; i < t->nspans; i++) {
        const gz_span *s = &t->spans[i];
        if (s->role == GZ_ROLE_PERSON || s->role == GZ_ROLE_ORG ||
            s->origin == GZ_ORIGIN_REGEX_RULE || s->origin == GZ_ORIGIN_TOKEN_RULE)
            return 1;
    }
    return 0;
}

static int cmp_span_start(const void *pa, const void *pb)
{
    const gz_span *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

/* Precedence among candidates for the same span: negative when a wins. */
static int precedence(const cand *a, const cand *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority ? -1 : 1;
    if (a->tier != b->tier)
        return a->tier < b->tier ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return 0;
}

static int cmp_cand(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    int p = precedence(a, b);
    if (p)
        return p;
    if (a->ident != b->ident)
        return a->ident < b->ident ? -1 : 1;
    return 0;
}

static void fill_span(gz_tagger *t, gz_span *s, const cand *c)
{
    memset(s, 0, sizeof *s);
    s->start = c->start;
    s->end = c->end;
    s->type = c->type;
    s->id = c->id;
    s->name = c->name;
    s->source = c->source;
    s->matched = c->matched;
    s->how = c->how;
    s->priority = c->priority;
    uint32_t n = c->entry ? gz_gaz_attr_count(c->gaz, c->entry) : 0;
    if (n) {
        /* the tables hold offsets: the strings' array lives in the chunk arena */
        gz_attr *a = gz_arena_alloc(t->doc, n * sizeof *a);
        uint32_t k = 0;
        while (k < n && gz_gaz_attr(c->gaz, c->entry, k, &a[k].key, &a[k].value) == 0)
            k++;
        s->attrs = a;
        s->n_attrs = k;
    }
    s->origin = c->origin;
    s->role = c->role;
    s->local = c->local;
}

/* How strong the evidence of candidate c is (docpass.h, GZ_EV_*). */
static uint8_t evidence(const gz_tagger *t, const cand *c)
{
    if (c->tier < 2)
        return GZ_EV_DICT;
    if ((c->ident & 0xC0000000u) == 0x40000000u &&
        gz_trules_rule(gz_engine_trules(t->e), c->ident & 0x3FFFFFFFu)->context)
        return GZ_EV_CONTEXT;
    return GZ_EV_SHAPE;
}

/* Has a rule's candidate c the type and id of the chosen candidate
 * t->c[chosen] or of an alternative already listed for it by a rule?  Only
 * rules' alternatives are compared, so the work is bounded by the number of
 * rules, however many dictionary entries share the span. */
static int rule_alt_seen(const gz_tagger *t, size_t chosen, const cand *c)
{
    const cand *w = &t->c[chosen];
    if (strcmp(w->id, c->id) == 0 && strcmp(w->type, c->type) == 0)
        return 1;
    for (size_t k = t->alt_first[t->nspans]; k < t->nalts; k++) {
        const gz_span *a = &t->alts[k];
        if (strncmp(a->source, "rule:", 5) == 0 && strcmp(a->id, c->id) == 0 &&
            strcmp(a->type, c->type) == 0)
            return 1;
    }
    return 0;
}

/* Leftmost-longest over the sorted candidates. */
static void resolve(gz_tagger *t)
{
    /* No candidates leaves t->c NULL, and qsort's pointer must not be NULL
     * even for zero elements (undefined behaviour that UBSan reports). */
    if (t->nc > 1)
        qsort(t->c, t->nc, sizeof *t->c, cmp_cand);
    t->nspans = t->nalts = t->naside = 0;
    size_t cursor = 0;
    int first = 1;
    for (size_t i = 0; i < t->nc;) {
        size_t g = i + 1;
        while (g < t->nc && t->c[g].start == t->c[i].start && t->c[g].end == t->c[i].end)
            g++;
        if (first || t->c[i].start >= cursor) {
            GZ_GROW(t->spans, t->capspans, t->nspans + 1);
            GZ_GROW(t->alt_first, t->cap_alt_first, t->nspans + 1);
            GZ_GROW(t->evid, t->cap_evid, t->nspans + 1);
            fill_span(t, &t->spans[t->nspans], &t->c[i]);
            t->evid[t->nspans] = evidence(t, &t->c[i]);
            t->alt_first[t->nspans] = t->nalts;
            for (size_t k = i + 1; k < g; k++) {
                /* Candidates of one entry (or rule) share every precedence
                 * key, and ident breaks the remaining ties, so after the sort
                 * its duplicates are adjacent: comparing with the previous
                 * candidate suffices.  (Searching the whole group made a name
                 * listed 10^5 times with different ids quadratic.) */
                if (t->c[k].ident == t->c[k - 1].ident)
                    continue;
                /* several rules finding one name give one alternative */
                if ((t->c[k].ident & 0xC0000000u) && rule_alt_seen(t, i, &t->c[k]))
                    continue;
                GZ_GROW(t->alts, t->capalts, t->nalts + 1);
                fill_span(t, &t->alts[t->nalts++], &t->c[k]);
            }
            t->spans[t->nspans].n_alts = t->nalts - t->alt_first[t->nspans];
            t->nspans++;
            cursor = t->c[i].end;
            first = 0;
        } else if (!t->c[i].klass) {
            GZ_GROW(t->aside, t->capaside, t->naside + 1);
            t->aside[t->naside++] = i;
        }
        i = g;
    }
    for (size_t s = 0; s < t->nspans; s++)
        t->spans[s].alts = t->spans[s].n_alts ? &t->alts[t->alt_first[s]] : NULL;
}

/* ---- document context ---- */

/* Is entry e of g a sports team's own entry (attribute class SPORTS_TEAM,
 * no context condition)? */
static int is_team(const gz_gazetteer *g, const gz_entry *e)
{
    uint32_t n = gz_gaz_attr_count(g, e);
    int team = 0;
    for (uint32_t k = 0; k < n; k++) {
        const char *key, *value;
        if (gz_gaz_attr(g, e, k, &key, &value) != 0)
            continue;
        if (strcmp(key, "class") == 0)
            team = strcmp(value, "SPORTS_TEAM") == 0;
        else if (strcmp(key, "context") == 0 && *value)
            return 0;   /* a short form's entry (orgs-context.tsv), not the club's own */
    }
    return team;
}

/* The candidate of dictionary entry fe of layer l for tokens i..j. */
static void entry_cand(gz_tagger *t, const gz_layer *l, uint32_t fe, size_t i, size_t j,
                       cand *c)
{
    const gz_gazetteer *g = l->gaz;
    const gz_entry *e = gz_gaz_entry(g, fe);
    const gz_source *src = gz_gaz_source(g, e->source);
    memset(c, 0, sizeof *c);
    c->start = t->base + t->tok.tok[i].start;
    c->end = t->base + t->tok.tok[j].end - t->tok.tok[j].poss;
    c->type = gz_gaz_str(g, e->type);
    c->id = gz_gaz_str(g, e->id);
    c->name = gz_gaz_str(g, e->name);
    c->source = gz_gaz_str(g, src->stem);
    c->gaz = g;
    c->entry = e;
    c->priority = e->priority;
    c->origin = GZ_ORIGIN_DICTIONARY;
    c->role = e->role < GZ_ROLE_COUNT ? e->role : GZ_ROLE_NONE;
    c->tok_first = i;
    c->tok_last = j;
}

/* context.h's find_club: the one sports team whose name is tokens
 * first..last followed by "FC" ("Burnley" -> "Burnley FC"), as a span in
 * *out. */
static int find_club(void *ud, size_t first, size_t last, gz_span *out)
{
    gz_tagger *t = ud;
    uint64_t h = GZ_FNV_OFFSET;
    t->key.len = 0;
    for (size_t i = first; i <= last; i++) {
        const gz_token *x = &t->tok.tok[i];
        size_t kl = x->keylen - (x->poss ? 2 : 0);
        gz_buf_add(&t->key, t->tok.keys.data + x->key, kl);
        h = gz_key_hash(h, t->tok.keys.data + x->key, kl);
    }
    gz_buf_add(&t->key, "fc", 2);
    h = gz_key_hash(h, "fc", 2);
    const char *id = NULL;
    cand c;
    for (size_t l = 0; l < t->dicts->nlayers; l++) {
        const gz_layer *ly = &t->dicts->layers[l];
        for (uint32_t fi = gz_gaz_find(ly->gaz, t->key.data, t->key.len, h); fi != GZ_NO_FORM;
             fi = gz_gaz_next(ly->gaz, fi)) {
            const gz_form *f = gz_gaz_form(ly->gaz, fi);
            const gz_entry *e = gz_gaz_entry(ly->gaz, f->entry);
            uint32_t fe = f->entry;
            /* the club's own name, not an alias ("Sporting FC" is one of
             * Sporting San José's, and "Sporting" is more often Lisbon's) */
            if (!is_team(ly->gaz, e) || f->text != e->name)
                continue;
            const char *eid = gz_gaz_str(ly->gaz, gz_gaz_entry(ly->gaz, fe)->id);
            if (id && strcmp(id, eid) != 0)
                return 0;  /* two clubs of that name: no link */
            id = eid;
            entry_cand(t, ly, fe, first, last, &c);
        }
    }
    if (!id)
        return 0;
    fill_span(t, out, &c);
    return 1;
}

/* Insert the n mentions of extra (sorted by start, covering no mention) in
 * order among the resolved ones, their evidence that of a dictionary. */
static void merge_spans(gz_tagger *t, const gz_span *extra, size_t n)
{
    GZ_GROW(t->spans, t->capspans, t->nspans + n);
    GZ_GROW(t->evid, t->cap_evid, t->nspans + n);
    size_t i = t->nspans, j = n, k = t->nspans + n;
    while (j > 0) {
        k--;
        if (i > 0 && t->spans[i - 1].start > extra[j - 1].start) {
            i--;
            t->spans[k] = t->spans[i];
            t->evid[k] = t->evid[i];
        } else {
            j--;
            t->spans[k] = extra[j];
            t->evid[k] = GZ_EV_DICT;
        }
    }
    t->nspans += n;
}

/* Let the document's context choose among the readings of the resolved
 * mentions (context.h) and name the clubs of a sports story; without it,
 * only the entries that need a context are settled (they stand only where
 * it is given). */
static void apply_context(gz_tagger *t, size_t len)
{
    int on = !gz_engine_opts(t->e)->no_context;
    gz_ctxview v = {t->text, len, t->base, &t->tok, t->spans, t->nspans, t->evid,
                    gz_roles_type(gz_engine_roles(t->e), GZ_ROLE_ORG), t->doc, t->marks,
                    find_club, t};
    if (on)
        gz_ctx_learn(t->ctx, &v);
    t->nspans = gz_ctx_choose(on ? t->ctx : NULL, &v);
    if (!on)
        return;
    v.nspans = t->nspans;
    gz_span *extra = NULL;
    size_t nextra = 0, capextra = 0;
    gz_ctx_clubs(t->ctx, &v, &extra, &nextra, &capextra);
    if (nextra)
        merge_spans(t, extra, nextra);
    free(extra);
}

/* Nested order: by start, the longer (covering) first, a covered mention
 * after a resolved one of the same span. */
static int cmp_span_nested(const void *pa, const void *pb)
{
    const gz_span *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    return (int)a->covered - (int)b->covered;
}

/* The resolved mentions and, marked covered, the best candidate of each
 * span resolution set aside, in nested order, into t->merged. */
static void add_covered(gz_tagger *t)
{
    size_t n = t->nspans + t->naside;
    GZ_GROW(t->merged, t->capmerged, n + 1);
    if (t->nspans)
        memcpy(t->merged, t->spans, t->nspans * sizeof *t->spans);
    for (size_t k = 0; k < t->naside; k++) {
        gz_span *s = &t->merged[t->nspans + k];
        fill_span(t, s, &t->c[t->aside[k]]);
        s->covered = 1;
    }
    gz_sort(t->merged, n, sizeof *t->merged, cmp_span_nested);
}

int gz_tag_chunk(gz_tagger *t, const char *text, size_t len, size_t base,
                 const gz_span **spans, size_t *n, gz_error *err)
{
    t->text = text ? text : "";
    t->base = base;
    t->nc = t->ncls = 0;
    gz_arena_reset(t->doc);
    gz_tokenize(&t->tok, t->text, len, t->dicts->has_fold);
    GZ_GROW(t->marks, t->cap_marks, t->tok.n + 1);
    gz_token_marks(&t->tok, t->text, t->marks);
    if (t->dicts->nentries)
        for (size_t i = 0; i < t->tok.n; i++)
            match_from(t, i);
    const gz_trules *tr = gz_engine_trules(t->e);
    int failed = 0;
    const gz_engine_options *o = gz_engine_opts(t->e);
    unsigned passes = (o->no_acronyms ? 0 : GZ_PASS_ACRONYMS) |
                      (o->no_variants ? 0 : GZ_PASS_VARIANTS) |
                      (o->no_propagation ? 0 : GZ_PASS_PROPAGATION);
    int have_common = 0;
    if (gz_trules_count(tr) && t->tok.n) {
        build_common(t);
        have_common = 1;
    }
    if (gz_trules_count(tr) && t->tok.n) {
        build_typefeat(t, tr);
        failed += gz_trules_run(tr, t->ts, &t->tok, t->text, t->typefeat, t->marks,
                                trule_hit, t, err);
    }
    gz_error rerr = {0};
    int rfailed = gz_patterns_run(gz_engine_patterns(t->e), t->ps, t->text, len, rule_hit, t, &rerr);
    if (rfailed && !failed && err)
        *err = rerr;
    failed += rfailed;
    build_tokclass(t);
    t->have_midcaps = 0;
    drop_positional_words(t);
    resolve(t);
    apply_context(t, len);
    if (passes && t->tok.n) {
        /* the passes ask about ordinary words only when they learn from
         * people, organisations and rule-found names, or know some already */
        if (!have_common && (gz_docmem_words(t->mem) || needs_common(t))) {
            build_common(t);
            have_common = 1;
        }
        if (have_common)
            for (size_t i = 0; i < t->tok.n; i++)
                if (t->marks[i] & GZ_MK_COMMON)
                    t->tokclass[i] |= GZ_TC_COMMON;
        for (size_t i = 0; i < t->tok.n; i++)
            if (placed_word(t, i))
                t->tokclass[i] |= GZ_TC_PLACED;
        gz_docview v = {t->text, base, &t->tok, t->spans, t->nspans, t->tokclass, t->evid,
                        passes, gz_engine_roles(t->e)};
        /* new spans go after the resolved ones, then everything is sorted */
        gz_span *extra = NULL;
        size_t nextra = 0, capextra = 0;
        gz_docpass_run(t->mem, &v, &extra, &nextra, &capextra);
        if (nextra) {
            GZ_GROW(t->spans, t->capspans, t->nspans + nextra);
            memcpy(t->spans + t->nspans, extra, nextra * sizeof *extra);
            t->nspans += nextra;
            qsort(t->spans, t->nspans, sizeof *t->spans, cmp_span_start);
        }
        free(extra);
    }
    if (gz_engine_opts(t->e)->overlapping) {
        add_covered(t);
        *spans = t->merged;
        *n = t->nspans + t->naside;
    } else {
        *spans = t->spans;
        *n = t->nspans;
    }
    return failed ? 1 : 0;
}

int gz_tag(gz_tagger *t, const char *text, size_t len, const gz_span **spans, size_t *n,
           gz_error *err)
{
    if (len > UINT32_MAX) {
        gz_error_set(err, NULL, 0, 0, "a text of 4 GiB or more must be tagged in pieces");
        return -1;
    }
    gz_tagger_begin_doc(t);
    return gz_tag_chunk(t, text, len, 0, spans, n, err);
}

const gz_span *gz_span_at(const gz_span *spans, size_t i) { return &spans[i]; }
size_t gz_span_start(const gz_span *s) { return s->start; }
size_t gz_span_end(const gz_span *s) { return s->end; }
const char *gz_span_type(const gz_span *s) { return s->type; }
const char *gz_span_id(const gz_span *s) { return s->id; }
const char *gz_span_name(const gz_span *s) { return s->name; }
const char *gz_span_source(const gz_span *s) { return s->source; }
const char *gz_span_matched(const gz_span *s) { return s->matched; }
unsigned gz_span_how(const gz_span *s) { return s->how; }
int gz_span_priority(const gz_span *s) { return s->priority; }
size_t gz_span_attr_count(const gz_span *s) { return s->n_attrs; }
const gz_attr *gz_span_attr(const gz_span *s, size_t i) { return &s->attrs[i]; }
size_t gz_span_alt_count(const gz_span *s) { return s->n_alts; }
const gz_span *gz_span_alt(const gz_span *s, size_t i) { return &s->alts[i]; }
int gz_span_covered(const gz_span *s) { return s->covered; }
const char *gz_span_why(const gz_span *s) { return s->why; }

void gz_tagger_begin_doc(gz_tagger *t)
{
    gz_docmem_reset(t->mem);
    gz_ctx_reset(t->ctx);
}
