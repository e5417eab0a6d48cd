/* SPDX-License-Identifier: MIT */
/*
 * docpass.c - document-level passes: acronyms, name variants, propagation.
 *
 * The passes never override a mention: they tag only tokens that no mention
 * covers.  Acronym definitions are found with the algorithm of Schwartz and
 * Hearst, "A simple algorithm for identifying abbreviation definitions in
 * biomedical text", Pacific Symposium on Biocomputing 8:451-462 (2003): a
 * short form in parentheses after its long form (or the reverse), the long
 * form being the shortest run of preceding words, at most min(|SF| + 5,
 * 2|SF|) of them, in which every letter and digit of the short form occurs in
 * order, right to left, the first one at the start of a word.
 *
 * Learned names live in one hash table keyed like the gazetteer (token keys
 * joined without separators), in insertion order; past GZ_DOCMEM_CAP names
 * the oldest are forgotten, so memory stays bounded on any stream.  A name
 * has one type in a document: learned again with another type, it keeps
 * the one of stronger evidence (GZ_EV_*: a dictionary mention or a
 * definition in the text, then a rule's mention with context, then a
 * rule's that reads the name alone, then a pass's), and the first at equal
 * strength.  A person's bare surname outranks a minor one-word place from
 * a dictionary unless the word reads as a place where it stands (relabel).
 * A name is found again only with the case shape it was learned with: each
 * word written with a capital there has one ("Umar Said" does not find
 * "Umar said").
 *
 * Ownership: every string the passes give a mention (in the spans they add
 * and in those they relabel) lives in the memory's arena, and so do the
 * strings of every learned name.  Forgetting a name frees none of them.  The
 * arena is rebuilt from the names still known (compact) only at the start of
 * gz_docpass_run, never during a pass, and dropped only by reset and free:
 * a string handed out for a chunk stays valid until the next chunk's passes
 * start, by which time the caller has rendered the chunk.  Inside a pass any
 * pointer into the arena may therefore be held across learn().
 *
 * To add a pass: a GZ_PASS_* bit (docpass.h) with its engine option, a
 * learned_kind with its source and origin below, learning in
 * learn_from_spans (decide by a span's role and origin, never by its type
 * name), and tagging in the scan of gz_docpass_run.
 */
#include "docpass.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "roles.h"
#include "util.h"

#define uthash_fatal(msg) gz_oom()
#include <uthash.h>

enum learned_kind { K_ACRONYM, K_VARIANT, K_PROPAGATION };

static const char *SOURCES[] = {"doc:acronym", "doc:variant", "doc:propagation"};
static const unsigned char ORIGINS[] = {GZ_ORIGIN_ACRONYM, GZ_ORIGIN_VARIANT,
                                        GZ_ORIGIN_PROPAGATION};

typedef struct learned {
    UT_hash_handle hh;
    char *key;
    size_t keylen;
    const char *type, *id, *name;
    int kind;
    int allcaps;            /* learned from an all-capitals surface */
    int strength;           /* GZ_EV_*: how strong the evidence was */
    uint32_t capmask;       /* bit k: its token k (of the first 32) has a capital */
    int ntok;
    size_t firstlen;        /* key length of the first token (0: all of it) */
    int given;              /* a person's given name, learned from the full name */
} learned;

/* Every learned name's first token, with the longest name it starts: most
 * tokens start no learned name and cost one look-up. */
typedef struct first_tok {
    UT_hash_handle hh;
    char *key;
    size_t keylen;
    int maxtok;
} first_tok;

struct gz_docmem {
    learned *table;
    first_tok *firsts;
    size_t count;
    size_t words;           /* names learned other than by acronym definitions */
    size_t live;            /* bytes of strings the table still uses */
    size_t arena_limit;     /* compact from this many bytes of strings */
    size_t compactions;
    int maxtok;
    gz_arena *arena;
    gz_buf key, tmp;
};

gz_docmem *gz_docmem_new(void)
{
    gz_docmem *m = gz_xcalloc(1, sizeof *m);
    m->arena = gz_arena_new();
    m->arena_limit = GZ_DOCMEM_ARENA_LIMIT;
    return m;
}

void gz_docmem_set_arena_limit(gz_docmem *m, size_t bytes)
{
    m->arena_limit = bytes;
}

size_t gz_docmem_compactions(const gz_docmem *m)
{
    return m->compactions;
}

static size_t strings_of(const learned *x)
{
    return strlen(x->type) + strlen(x->id) + strlen(x->name) + 3;
}

/* Drop one learned name. */
static void forget(gz_docmem *m, learned *x)
{
    HASH_DEL(m->table, x);
    m->live -= strings_of(x);
    m->words -= x->kind != K_ACRONYM;
    m->count--;
    free(x->key);
    free(x);
}

static void clear_firsts(gz_docmem *m)
{
    first_tok *f, *ftmp;
    HASH_ITER(hh, m->firsts, f, ftmp) {
        HASH_DEL(m->firsts, f);
        free(f->key);
        free(f);
    }
}

void gz_docmem_reset(gz_docmem *m)
{
    learned *x, *tmp;
    HASH_ITER(hh, m->table, x, tmp)
        forget(m, x);
    clear_firsts(m);
    m->count = 0;
    m->words = 0;
    m->live = 0;
    m->maxtok = 0;
    gz_arena_reset(m->arena);
}

size_t gz_docmem_words(const gz_docmem *m)
{
    return m->words;
}

void gz_docmem_free(gz_docmem *m)
{
    if (!m)
        return;
    gz_docmem_reset(m);
    gz_arena_free(m->arena);
    gz_buf_free(&m->key);
    gz_buf_free(&m->tmp);
    free(m);
}

static const char *keep(gz_docmem *m, const char *s)
{
    return gz_arena_strndup(m->arena, s, strlen(s));
}

/* Strings of forgotten names stay in the arena until it is rebuilt here,
 * once it holds much more than the names still known need.  Only between
 * chunks: the previous chunk's mentions may point to any of them. */
static void compact(gz_docmem *m)
{
    size_t used = gz_arena_bytes(m->arena);
    if (used < m->arena_limit || used <= 4 * m->live)
        return;
    gz_arena *fresh = gz_arena_new();
    for (learned *x = m->table; x; x = x->hh.next) {
        x->type = gz_arena_strndup(fresh, x->type, strlen(x->type));
        x->id = gz_arena_strndup(fresh, x->id, strlen(x->id));
        x->name = gz_arena_strndup(fresh, x->name, strlen(x->name));
    }
    gz_arena_free(m->arena);
    m->arena = fresh;
    m->compactions++;
}

static void note_first(gz_docmem *m, const char *key, size_t keylen, int ntok);

/* Drop first-token entries of forgotten names. */
static void rebuild_firsts(gz_docmem *m)
{
    clear_firsts(m);
    for (learned *x = m->table; x; x = x->hh.next)
        note_first(m, x->key, x->firstlen ? x->firstlen : x->keylen, x->ntok);
}

static void note_first(gz_docmem *m, const char *key, size_t keylen, int ntok)
{
    first_tok *f;
    HASH_FIND(hh, m->firsts, key, keylen, f);
    if (!f) {
        f = gz_xcalloc(1, sizeof *f);
        f->key = gz_xstrndup(key, keylen);
        f->keylen = keylen;
        HASH_ADD_KEYPTR(hh, m->firsts, f->key, f->keylen, f);
    }
    if (ntok > f->maxtok)
        f->maxtok = ntok;
}

/* A copy of s in the arena; old itself when it is an equal string there. */
static const char *keep_or_reuse(gz_docmem *m, const char *s, const char *old)
{
    return old && strcmp(old, s) == 0 ? old : keep(m, s);
}

/* Learn a name; returns its entry (valid until the next learn), or NULL
 * when the key is empty or a name that outranks it holds the key: one of
 * stronger evidence, or of the same strength and another type (the first
 * stays: one type per name), or of the same type and a stronger kind (a
 * definition outranks a variant, which outranks propagation).  A name
 * learned again for the same entity, as in a flood of one definition, reuses
 * the strings it had: the arena grows only with what the text teaches. */
static learned *learn(gz_docmem *m, const char *key, size_t keylen, size_t firstlen,
                      int ntok, const char *type, const char *id, const char *name, int kind,
                      int allcaps, int strength, uint32_t capmask)
{
    if (!keylen)
        return NULL;
    learned *x;
    const char *otype = NULL, *oid = NULL, *oname = NULL;
    HASH_FIND(hh, m->table, key, keylen, x);
    if (x) {
        if (strength < x->strength)
            return NULL;
        if (strength == x->strength && (strcmp(type, x->type) != 0 || kind > x->kind))
            return NULL;
        /* forgetting frees no string (see the top of the file) */
        otype = x->type;
        oid = x->id;
        oname = x->name;
        forget(m, x);
    }
    x = gz_xcalloc(1, sizeof *x);
    x->key = gz_xstrndup(key, keylen);
    x->keylen = keylen;
    x->type = keep_or_reuse(m, type, otype);
    x->id = keep_or_reuse(m, id, oid);
    x->name = keep_or_reuse(m, name, oname);
    x->kind = kind;
    x->allcaps = allcaps;
    x->strength = strength;
    x->capmask = capmask;
    x->ntok = ntok;
    x->firstlen = firstlen;
    HASH_ADD_KEYPTR(hh, m->table, x->key, x->keylen, x);
    m->count++;
    m->words += kind != K_ACRONYM;
    m->live += strings_of(x);
    if (ntok > m->maxtok)
        m->maxtok = ntok;
    /* the first-token index may keep stale entries: it only lets a look-up
     * go ahead, the table decides */
    note_first(m, key, firstlen ? firstlen : keylen, ntok);
    if (HASH_COUNT(m->firsts) > 2 * GZ_DOCMEM_CAP)
        rebuild_firsts(m);
    while (m->count > GZ_DOCMEM_CAP)
        forget(m, m->table);  /* the oldest, in insertion order; never x */
    return x;
}

/* ---- helpers over tokens ---- */

/* Key length of the first token of a name over tokens a..b (0: the whole
 * key, for a one-token name whose possessive may have been left out). */
static size_t first_len(const gz_tokens *tk, size_t a, size_t b)
{
    return a == b ? 0 : tk->tok[a].keylen;
}

static int joinable(const gz_token *t)
{
    return t->gap != GZ_GAP_BREAK;
}

static void key_of(const gz_tokens *tk, size_t a, size_t b, int strip_last_poss, gz_buf *out)
{
    out->len = 0;
    for (size_t i = a; i <= b; i++) {
        const gz_token *t = &tk->tok[i];
        size_t kl = t->keylen;
        if (i == b && strip_last_poss && t->poss)
            kl -= 2;
        gz_buf_add(out, tk->keys.data + t->key, kl);
    }
}

static int is_word(const gz_token *t)
{
    return t->kind == GZ_TOK_WORD || t->kind == GZ_TOK_CJK;
}

/* Which of tokens a..b (the first 32) have a capital. */
static uint32_t cap_mask(const gz_tokens *tk, size_t a, size_t b)
{
    uint32_t m = 0;
    for (size_t i = a; i <= b && i - a < 32; i++)
        if (tk->tok[i].flags & GZ_TF_UPPER)
            m |= (uint32_t)1 << (i - a);
    return m;
}

/* How strong the evidence of span s is (GZ_EV_*). */
static int evidence_of(const gz_docview *v, size_t s)
{
    int o = v->spans[s].origin;
    if (o != GZ_ORIGIN_DICTIONARY && o != GZ_ORIGIN_REGEX_RULE && o != GZ_ORIGIN_TOKEN_RULE)
        return GZ_EV_PASS;
    if (v->evidence)
        return v->evidence[s];
    return o == GZ_ORIGIN_DICTIONARY ? GZ_EV_DICT : GZ_EV_SHAPE;
}

static int has_letters_upper(const gz_tokens *tk, size_t a, size_t b, int *allcaps)
{
    int up = 0, low = 0;
    for (size_t i = a; i <= b; i++) {
        up |= (tk->tok[i].flags & GZ_TF_UPPER) != 0;
        low |= (tk->tok[i].flags & GZ_TF_LOWER) != 0;
    }
    *allcaps = up && !low;
    return up;
}

/* Surface text[a, b) with white space runs collapsed to one space. */
static const char *collapse(gz_docmem *m, const char *s, size_t n)
{
    m->tmp.len = 0;
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            sp = 1;
            continue;
        }
        if (sp && m->tmp.len)
            gz_buf_addc(&m->tmp, ' ');
        sp = 0;
        gz_buf_addc(&m->tmp, c);
    }
    gz_buf_addc(&m->tmp, '\0');
    return m->tmp.data;
}

/* ---- Schwartz and Hearst ---- */

typedef struct cpt {
    int32_t cp;
    size_t tok;             /* token index, or SIZE_MAX for a separating space */
} cpt;

static int32_t lower(int32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return utf8proc_tolower(c);
}

static int alnum(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
           k == UTF8PROC_CATEGORY_LT || k == UTF8PROC_CATEGORY_LO ||
           k == UTF8PROC_CATEGORY_ND;
}

static size_t decode_range(const char *s, size_t a, size_t b, int32_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = a; i < b && n < max;) {
        int32_t cp;
        i += gz_utf8_decode((const unsigned char *)s + i, b - i, &cp);
        if (cp >= 0)
            out[n++] = cp;
    }
    return n;
}

/* The first token of the best long form for short form sf among tokens
 * [lf_a, lf_b], or SIZE_MAX. */
static size_t best_long_form(const gz_docview *v, const int32_t *sf, size_t nsf, size_t lf_a,
                             size_t lf_b)
{
    cpt lf[1024];
    size_t n = 0;
    for (size_t i = lf_a; i <= lf_b && n < 1000; i++) {
        const gz_token *t = &v->tok->tok[i];
        if (i > lf_a)
            lf[n++] = (cpt){' ', SIZE_MAX};
        int32_t cps[256];
        size_t k = decode_range(v->text, t->start, t->end, cps, 256);
        for (size_t j = 0; j < k && n < 1020; j++)
            lf[n++] = (cpt){cps[j], i};
    }
    long s = (long)nsf - 1, l = (long)n - 1;
    while (s >= 0) {
        int32_t c = lower(sf[s]);
        if (!alnum(c)) {
            s--;
            continue;
        }
        while ((l >= 0 && lower(lf[l].cp) != c) ||
               (s == 0 && l > 0 && alnum(lf[l - 1].cp)))
            l--;
        if (l < 0)
            return SIZE_MAX;
        l--;
        s--;
    }
    /* back to the start of the word holding the first match */
    while (l >= 0 && lf[l].tok != SIZE_MAX)
        l--;
    size_t start = (size_t)(l + 1);
    return start < n ? lf[start].tok : SIZE_MAX;
}

static int is_open_paren(const gz_docview *v, const gz_token *t)
{
    const char *s = v->text + t->start;
    size_t n = t->end - t->start;
    return (n == 1 && s[0] == '(') || (n == 3 && !memcmp(s, "\xEF\xBC\x88", 3));
}

static int is_close_paren(const gz_docview *v, const gz_token *t)
{
    const char *s = v->text + t->start;
    size_t n = t->end - t->start;
    return (n == 1 && s[0] == ')') || (n == 3 && !memcmp(s, "\xEF\xBC\x89", 3));
}

/* Index of the span covering exactly [a, b) (document offsets), or -1. */
static long span_at(const gz_docview *v, size_t a, size_t b)
{
    for (size_t i = 0; i < v->nspans; i++) {
        if (v->spans[i].start > a)
            break;
        if (v->spans[i].start == a && v->spans[i].end == b)
            return (long)i;
    }
    return -1;
}

/* Index of a span ending at b and starting at or before a, or -1: a span
 * that holds the whole long form [a, b), never one that holds only its end
 * ("Victoria" is not "Court Services Victoria (CSV)"). */
static long span_ending(const gz_docview *v, size_t a, size_t b)
{
    for (size_t i = 0; i < v->nspans; i++)
        if (v->spans[i].end == b && v->spans[i].start <= a)
            return (long)i;
    return -1;
}

typedef struct adder {
    gz_span **out;
    size_t *n, *cap;
    uint8_t *covered;
} adder;

static void add_mention(adder *ad, const gz_docview *v, size_t a, size_t b, size_t end_byte,
                        const char *type, const char *id, const char *name, int kind)
{
    GZ_GROW(*ad->out, *ad->cap, *ad->n + 1);
    gz_span *s = &(*ad->out)[(*ad->n)++];
    memset(s, 0, sizeof *s);
    s->start = v->base + v->tok->tok[a].start;
    s->end = v->base + end_byte;
    s->type = type;
    s->id = id;
    s->name = name;
    s->source = SOURCES[kind];
    s->origin = ORIGINS[kind];
    s->role = (unsigned char)gz_roles_of(v->roles, type);
    s->local = strncmp(id, "local:", 6) == 0;
    for (size_t i = a; i <= b; i++)
        ad->covered[i] = 1;
}

static const char *head_type(const gz_docview *v, size_t last)
{
    uint16_t c = v->tokclass ? v->tokclass[last] : 0;
    int role = c & GZ_TC_ORG_HEAD ? GZ_ROLE_ORG : c & GZ_TC_PLACE_HEAD ? GZ_ROLE_PLACE
                                                                       : GZ_ROLE_MISC;
    return gz_roles_type(v->roles, role);
}

/* Short form check after Schwartz and Hearst: 2 to 10 characters, the first
 * a letter or digit, at least one letter; gaztag also asks for a capital,
 * so "(see)" or "(ibid)" define nothing. */
static int short_form_ok(const int32_t *sf, size_t n)
{
    if (n < 2 || n > 10 || !alnum(sf[0]))
        return 0;
    int letter = 0, upper = 0;
    for (size_t i = 0; i < n; i++) {
        if (alnum(sf[i]) && !(sf[i] >= '0' && sf[i] <= '9'))
            letter = 1;
        if (sf[i] < 0x80 ? (sf[i] >= 'A' && sf[i] <= 'Z') : utf8proc_isupper(sf[i]))
            upper = 1;
    }
    return letter && upper;
}

/* Define short form tokens [sa, sb] by long form tokens [la, lb]. */
static void define(gz_docmem *m, const gz_docview *v, adder *ad, size_t sa, size_t sb,
                   size_t la, size_t lb)
{
    const gz_tokens *tk = v->tok;
    size_t ls = v->base + tk->tok[la].start, le = v->base + tk->tok[lb].end;
    size_t ss = v->base + tk->tok[sa].start, se = v->base + tk->tok[sb].end;
    const char *type, *id, *name;
    int strength = GZ_EV_DICT;  /* the text defines the short form */
    long sp = span_ending(v, ls, le);
    if (sp >= 0) {
        const gz_span *s = &v->spans[sp];
        type = s->type;
        id = s->id;
        name = s->name;
    } else if ((sp = span_at(v, ss, se)) >= 0) {
        const gz_span *s = &v->spans[sp];
        type = s->type;
        id = s->id;
        name = s->name;
        /* the long form is the short form's entity */
        int free_lf = 1;
        for (size_t i = la; i <= lb; i++)
            free_lf &= !ad->covered[i];
        if (free_lf)
            add_mention(ad, v, la, lb, tk->tok[lb].end, type, id, name, K_ACRONYM);
    } else {
        /* a new entity of this document, if the long form looks like a name
         * and a type has the role its head word asks for */
        const char *htype = head_type(v, lb);
        if (!htype || !(tk->tok[la].flags & GZ_TF_UPPER) || !(tk->tok[lb].flags & GZ_TF_UPPER))
            return;
        for (size_t i = la; i <= lb; i++)
            if (ad->covered[i])
                return;
        key_of(tk, la, lb, 0, &m->key);
        gz_buf idb = {0};
        gz_buf_adds(&idb, "local:");
        for (size_t i = la; i <= lb; i++) {
            if (i > la && tk->tok[i].gap != GZ_GAP_NONE)
                gz_buf_addc(&idb, ' ');
            gz_buf_add(&idb, tk->keys.data + tk->tok[i].key, tk->tok[i].keylen);
        }
        const char *lname = collapse(m, v->text + tk->tok[la].start,
                                     tk->tok[lb].end - tk->tok[la].start);
        const learned *x = learn(m, m->key.data, m->key.len, first_len(tk, la, lb),
                                 (int)(lb - la + 1), htype, idb.data, lname,
                                 K_ACRONYM, 0, strength, cap_mask(tk, la, lb));
        if (x) {
            type = x->type;
            id = x->id;
            name = x->name;
        } else {
            type = keep(m, htype);
            id = keep(m, idb.data);
            name = keep(m, lname);
        }
        gz_buf_free(&idb);
        add_mention(ad, v, la, lb, tk->tok[lb].end, type, id, name, K_ACRONYM);
    }
    int allcaps;
    has_letters_upper(tk, sa, sb, &allcaps);
    key_of(tk, sa, sb, 0, &m->key);
    learn(m, m->key.data, m->key.len, first_len(tk, sa, sb), (int)(sb - sa + 1), type, id, name,
          K_ACRONYM, allcaps, strength, cap_mask(tk, sa, sb));
}

static void find_acronyms(gz_docmem *m, const gz_docview *v, adder *ad)
{
    const gz_tokens *tk = v->tok;
    for (size_t p = 1; p + 2 < tk->n; p++) {
        if (tk->tok[p].kind != GZ_TOK_PUNCT || !is_open_paren(v, &tk->tok[p]))
            continue;
        /* the parenthesised tokens, up to the closing parenthesis */
        size_t q = p + 1;
        while (q < tk->n && q < p + 12 && !is_close_paren(v, &tk->tok[q]) &&
               joinable(&tk->tok[q]))
            q++;
        if (q >= tk->n || !is_close_paren(v, &tk->tok[q]) || q == p + 1)
            continue;
        size_t ia = p + 1, ib = q - 1;
        int inside_words = 0;
        for (size_t i = ia; i <= ib; i++)
            inside_words += is_word(&tk->tok[i]) && (i == ia || tk->tok[i].gap != GZ_GAP_NONE);
        int32_t sf[64];
        if (inside_words == 1) {
            /* long form ( SF ) */
            size_t nsf = decode_range(v->text, tk->tok[ia].start, tk->tok[ib].end, sf, 64);
            if (!short_form_ok(sf, nsf) || !joinable(&tk->tok[p]))
                continue;
            size_t maxw = nsf + 5 < nsf * 2 ? nsf + 5 : nsf * 2;
            /* words before "(" back to a break or a punctuation mark */
            size_t la = p, words = 0;
            while (la > 0 && words < maxw) {
                const gz_token *t = &tk->tok[la - 1];
                if (!is_word(t))
                    break;
                la--;
                words++;
                if (!joinable(t))
                    break;
            }
            if (!words)
                continue;
            size_t first = best_long_form(v, sf, nsf, la, p - 1);
            if (first == SIZE_MAX || first >= p)
                continue;
            define(m, v, ad, ia, ib, first, p - 1);
        } else if (inside_words >= 2 && p >= 1 && is_word(&tk->tok[p - 1])) {
            /* SF ( long form ) */
            const gz_token *st = &tk->tok[p - 1];
            size_t nsf = decode_range(v->text, st->start, st->end, sf, 64);
            if (!short_form_ok(sf, nsf))
                continue;
            size_t first = best_long_form(v, sf, nsf, ia, ib);
            if (first != ia)
                continue;
            define(m, v, ad, p - 1, p - 1, ia, ib);
        }
    }
}

/* ---- learning from mentions ---- */

/* A surname worth learning: no apostrophe, unless after a one-letter prefix
 * as in O'Brien or D'Angelo ("I'm" is not a surname). */
static int plain_surname(const gz_docview *v, const gz_token *t)
{
    const char *s = v->text + t->start;
    size_t n = t->end - t->poss - t->start;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || ((unsigned char)s[i] == 0xE2 && i + 2 < n)) {
            if (i != 1 || i + 1 >= n)
                return 0;
            unsigned char next = (unsigned char)s[s[i] == '\'' ? i + 1 : i + 3];
            return next >= 'A' && next <= 'Z';
        }
    }
    return 1;
}

/* Is token i a short word with a full stop right after it ("St.",
 * "Nov.")?  Then it is an abbreviation, not a name to learn. */
static int abbreviation(const gz_docview *v, size_t i)
{
    const gz_tokens *tk = v->tok;
    const gz_token *t = &tk->tok[i];
    return t->end - t->start <= 3 && i + 1 < tk->n && tk->tok[i + 1].gap == GZ_GAP_NONE &&
           tk->tok[i + 1].end - tk->tok[i + 1].start == 1 && v->text[tk->tok[i + 1].start] == '.';
}

/* The given name of a person's full name, when it is a known given name
 * and not an ordinary word: "Angelo" after "Angelo Fresquet".  It names a
 * person only where nothing else claims the word (a place of that name
 * keeps its reading). */
static void learn_given_name(gz_docmem *m, const gz_docview *v, size_t s, size_t a)
{
    const gz_tokens *tk = v->tok;
    const gz_token *t = &tk->tok[a];
    uint16_t c = v->tokclass ? v->tokclass[a] : 0;
    if (t->kind != GZ_TOK_WORD || !(t->flags & GZ_TF_TITLE) || t->poss || !(c & GZ_TC_GIVEN) ||
        (c & (GZ_TC_FUNCTION | GZ_TC_TITLE | GZ_TC_COMMON | GZ_TC_PARTICLE)))
        return;
    const gz_span *sp = &v->spans[s];
    key_of(tk, a, a, 0, &m->key);
    learned *x = learn(m, m->key.data, m->key.len, 0, 1, sp->type, sp->id, sp->name, K_VARIANT,
                       0, evidence_of(v, s), 1);
    if (x)
        x->given = 1;
}

/* Is t written like a name: a capital then lower case ("Kato"), or an
 * inner capital after it ("McNeil", "DeSantis", "O'Neill")? */
static int name_cased(const gz_docview *v, const gz_token *t)
{
    if (t->flags & GZ_TF_TITLE)
        return 1;
    if (!(t->flags & GZ_TF_LOWER) || !(t->flags & GZ_TF_UPPER))
        return 0;
    int32_t cp;
    gz_utf8_decode((const unsigned char *)v->text + t->start, t->end - t->start, &cp);
    return cp >= 0 && utf8proc_isupper(cp);
}

static void learn_from_spans(gz_docmem *m, const gz_docview *v, const size_t *first,
                             const size_t *last)
{
    const gz_tokens *tk = v->tok;
    for (size_t s = 0; s < v->nspans; s++) {
        const gz_span *sp = &v->spans[s];
        size_t a = first[s], b = last[s];
        if (a == SIZE_MAX || b == SIZE_MAX || b < a)
            continue;
        int words = 0;
        for (size_t i = a; i <= b; i++)
            words += is_word(&tk->tok[i]);
        if ((v->passes & GZ_PASS_VARIANTS) && words >= 2 && tk->tok[b].kind == GZ_TOK_WORD) {
            if (sp->role == GZ_ROLE_PERSON) {
                /* the surname: the last word, if capitalised (a known
                 * family name counts even when it is a given name too:
                 * Morrison, Harper) */
                const gz_token *t = &tk->tok[b];
                uint16_t c = v->tokclass ? v->tokclass[b] : 0;
                if (c & GZ_TC_SURNAME)
                    c &= (uint16_t)~GZ_TC_GIVEN;
                if (name_cased(v, t) && plain_surname(v, t) && !abbreviation(v, b) &&
                    !(c & (GZ_TC_FUNCTION | GZ_TC_TITLE | GZ_TC_GIVEN | GZ_TC_COMMON))) {
                    key_of(tk, b, b, 1, &m->key);
                    learn(m, m->key.data, m->key.len, 0, 1, sp->type, sp->id, sp->name, K_VARIANT,
                          0, evidence_of(v, s), 1);
                    /* a particle hyphenated to it goes with it: "al-Serraj"
                     * after "Fayez al-Serraj" */
                    if (b - 1 > a && t->gap == GZ_GAP_HYPHEN && v->tokclass &&
                        (v->tokclass[b - 1] & GZ_TC_PARTICLE) &&
                        !(tk->tok[b - 1].flags & GZ_TF_UPPER)) {
                        key_of(tk, b - 1, b, 1, &m->key);
                        learn(m, m->key.data, m->key.len, first_len(tk, b - 1, b), 2, sp->type,
                              sp->id, sp->name, K_VARIANT, 0, evidence_of(v, s), 2);
                    }
                }
                learn_given_name(m, v, s, a);
            } else if (sp->role == GZ_ROLE_ORG) {
                /* the first word, if it is distinctive */
                const gz_token *t = &tk->tok[a];
                uint16_t c = v->tokclass ? v->tokclass[a] : 0;
                if (t->kind == GZ_TOK_WORD && (t->flags & GZ_TF_UPPER) &&
                    t->end - t->start >= 4 &&
                    !(c & (GZ_TC_FUNCTION | GZ_TC_TITLE | GZ_TC_ORG_HEAD | GZ_TC_PLACE_HEAD |
                           GZ_TC_GIVEN | GZ_TC_COMMON))) {
                    key_of(tk, a, a, 1, &m->key);
                    int allcaps;
                    has_letters_upper(tk, a, a, &allcaps);
                    learn(m, m->key.data, m->key.len, 0, 1, sp->type, sp->id, sp->name, K_VARIANT,
                          allcaps, evidence_of(v, s), 1);
                }
            }
        }
        /* propagation: surfaces found by rules or by the passes */
        if ((v->passes & GZ_PASS_PROPAGATION) &&
            sp->origin != GZ_ORIGIN_DICTIONARY) {
            int allcaps;
            if (!has_letters_upper(tk, a, b, &allcaps) && tk->tok[a].kind != GZ_TOK_CJK)
                continue;
            /* a one-word name that the text also uses as an ordinary word */
            if (a == b && v->tokclass && (v->tokclass[a] & GZ_TC_COMMON))
                continue;
            key_of(tk, a, b, 1, &m->key);
            learn(m, m->key.data, m->key.len, first_len(tk, a, b), (int)(b - a + 1), sp->type,
                  sp->id, sp->name, K_PROPAGATION, allcaps && b > a ? 0 : allcaps,
                  evidence_of(v, s), cap_mask(tk, a, b));
        }
    }
}

/* Token range of each span. */
static void map_spans(const gz_docview *v, size_t *first, size_t *last)
{
    const gz_tokens *tk = v->tok;
    size_t t = 0;
    for (size_t s = 0; s < v->nspans; s++) {
        size_t a = v->spans[s].start - v->base, b = v->spans[s].end - v->base;
        while (t < tk->n && tk->tok[t].end <= a)
            t++;
        first[s] = last[s] = SIZE_MAX;
        size_t k = t;
        while (k < tk->n && tk->tok[k].start < b) {
            if (first[s] == SIZE_MAX)
                first[s] = k;
            last[s] = k;
            k++;
        }
    }
}

/* Do tokens i..j have a capital wherever the learned name x had one?  (Only
 * when they are as many as x's words: "cyberattack" for "cyber-attack" is
 * left to the other checks.) */
static int same_shape(const gz_tokens *tk, const learned *x, size_t i, size_t j)
{
    if ((int)(j - i + 1) != x->ntok)
        return 1;
    uint32_t need = x->capmask;
    return (cap_mask(tk, i, j) & need) == need;
}

/* Does the word at token i read as a place where it stands: after a
 * preposition of place ("in Belgrano", "to Washington") or before a comma
 * and a capitalised word ("Lincoln, Nebraska")? */
static int read_as_place(const gz_docview *v, size_t i)
{
    static const char before[] = "in\0at\0from\0to\0near\0into\0outside\0inside\0across\0"
                                 "toward\0towards\0around\0through\0via\0between\0visit\0"
                                 "visited\0";
    const gz_tokens *tk = v->tok;
    if (i > 0 && joinable(&tk->tok[i]) && gz_token_in(tk, i - 1, before))
        return 1;
    if (i + 2 < tk->n && tk->tok[i + 1].kind == GZ_TOK_PUNCT &&
        tk->tok[i + 1].end - tk->tok[i + 1].start == 1 && v->text[tk->tok[i + 1].start] == ',' &&
        (tk->tok[i + 2].flags & GZ_TF_UPPER))
        return 1;
    return 0;
}

/* May the one word at token i be the learned variant x?  Not when a
 * capitalised word follows it on the same line, which makes it part of a
 * longer name ("Cesaroni Design" after "William Cesaroni"), nor, for an
 * organisation's first word, where the word reads as a place ("located in
 * Fairmont, West Virginia" after "Fairmont State University"). */
static int variant_fits(const gz_docview *v, const learned *x, size_t i)
{
    const gz_tokens *tk = v->tok;
    if (i + 1 < tk->n && tk->tok[i + 1].kind == GZ_TOK_WORD &&
        (tk->tok[i + 1].gap == GZ_GAP_SPACE || tk->tok[i + 1].gap == GZ_GAP_NONE) &&
        name_cased(v, &tk->tok[i + 1]) &&
        !(v->tokclass && (v->tokclass[i + 1] & (GZ_TC_FUNCTION | GZ_TC_PLACED))))
        return 0;
    if (x->given && i > 0 && gz_token_in(tk, i - 1, "the\0a\0an\0"))
        return 0;   /* "the Roman army", not a Roman */
    return gz_roles_of(v->roles, x->type) != GZ_ROLE_ORG || !read_as_place(v, i);
}

static void scan(gz_docmem *m, const gz_docview *v, adder *ad)
{
    const gz_tokens *tk = v->tok;
    if (!m->table)
        return;
    for (size_t i = 0; i < tk->n; i++) {
        /* a learned name never matches from a lower-case word, except a
         * surname's particle hyphenated to it ("al-Serraj") */
        int lower_start = tk->tok[i].kind == GZ_TOK_WORD && !(tk->tok[i].flags & GZ_TF_UPPER);
        if (ad->covered[i] || !is_word(&tk->tok[i]) ||
            (lower_start && !(i + 1 < tk->n && tk->tok[i + 1].gap == GZ_GAP_HYPHEN)))
            continue;
        learned *best = NULL;
        size_t best_j = 0, best_end = 0;
        m->key.len = 0;
        const gz_token *t0 = &tk->tok[i];
        first_tok *f;
        HASH_FIND(hh, m->firsts, tk->keys.data + t0->key, t0->keylen, f);
        if (!f && t0->poss)
            HASH_FIND(hh, m->firsts, tk->keys.data + t0->key, t0->keylen - 2, f);
        if (!f)
            continue;
        for (size_t j = i; j < tk->n && (int)(j - i) < f->maxtok; j++) {
            const gz_token *t = &tk->tok[j];
            if (ad->covered[j] || (j > i && !joinable(t)))
                break;
            size_t pre = m->key.len;
            learned *x;
            if (t->poss) {
                gz_buf_add(&m->key, tk->keys.data + t->key, t->keylen - 2);
                HASH_FIND(hh, m->table, m->key.data, m->key.len, x);
                if (x && same_shape(tk, x, i, j)) {
                    best = x;
                    best_j = j;
                    best_end = t->end - t->poss;
                }
                m->key.len = pre;
            }
            gz_buf_add(&m->key, tk->keys.data + t->key, t->keylen);
            HASH_FIND(hh, m->table, m->key.data, m->key.len, x);
            if (x && same_shape(tk, x, i, j)) {
                best = x;
                best_j = j;
                best_end = t->end;
            }
        }
        if (!best || (lower_start && (best_j == i || best->kind != K_VARIANT)))
            continue;
        /* "Church" where the text also says "church" is not a name here,
         * nor "Bill" starting a sentence where it is nowhere else a name */
        if (best_j == i && v->tokclass && best->kind != K_ACRONYM &&
            (v->tokclass[i] & (GZ_TC_COMMON | GZ_TC_PLACED)))
            continue;
        /* never in lower case; an all-capitals name only in capitals */
        int allcaps;
        int up = has_letters_upper(tk, i, best_j, &allcaps);
        if (!up && tk->tok[i].kind != GZ_TOK_CJK)
            continue;
        if (best->allcaps && !allcaps)
            continue;
        if (best->kind == K_VARIANT && !(v->passes & GZ_PASS_VARIANTS))
            continue;
        if (best->kind == K_VARIANT && best_j == i && !variant_fits(v, best, i))
            continue;
        if (best->kind == K_PROPAGATION && !(v->passes & GZ_PASS_PROPAGATION))
            continue;
        add_mention(ad, v, i, best_j, best_end, best->type, best->id, best->name, best->kind);
        i = best_j;
    }
}

/* The priority at or below which a place is minor enough for a person's
 * surname to outrank it (a town, not London or Washington: see the
 * priorities of dictionaries/tools/build.py). */
#define GZ_MINOR_PLACE (-21)

/* May span s take the learned name x instead of its own reading?  A name
 * a rule made up ("local:" id) takes the known entity of the same type
 * ("Mr Kato" after "Katsunobu Kato"); a one-word place from a dictionary
 * takes the person whose full name the document gives ("Belgrano" after
 * "Manuel Belgrano"), if the place is a minor one and the word does not
 * read as a place where it stands. */
static int may_take(const gz_docview *v, const gz_span *sp, size_t a, size_t b, const learned *x)
{
    if (x->kind == K_PROPAGATION || strcmp(x->id, sp->id) == 0)
        return 0;
    if (sp->local && (sp->origin == GZ_ORIGIN_REGEX_RULE || sp->origin == GZ_ORIGIN_TOKEN_RULE))
        return strcmp(x->type, sp->type) == 0;
    return sp->origin == GZ_ORIGIN_DICTIONARY && sp->role == GZ_ROLE_PLACE && a == b &&
           sp->priority <= GZ_MINOR_PLACE && x->kind == K_VARIANT && !x->given &&
           gz_roles_of(v->roles, x->type) == GZ_ROLE_PERSON &&
           (v->tok->tok[a].flags & GZ_TF_TITLE) && !read_as_place(v, a);
}

/* Spans that take a name the document has learned (may_take). */
static void relabel(gz_docmem *m, const gz_docview *v, const size_t *first, const size_t *last)
{
    for (size_t s = 0; s < v->nspans; s++) {
        gz_span *sp = &v->spans[s];
        if (first[s] == SIZE_MAX)
            continue;
        key_of(v->tok, first[s], last[s], 1, &m->key);
        learned *x;
        HASH_FIND(hh, m->table, m->key.data, m->key.len, x);
        if (!x || !may_take(v, sp, first[s], last[s], x))
            continue;
        sp->type = x->type;
        sp->role = (unsigned char)gz_roles_of(v->roles, x->type);
        sp->id = x->id;
        sp->name = x->name;
        sp->source = SOURCES[x->kind];
        sp->origin = ORIGINS[x->kind];
        sp->local = strncmp(x->id, "local:", 6) == 0;
        sp->n_alts = 0;
        sp->alts = NULL;
        sp->matched = NULL;
        sp->how = 0;
        sp->attrs = NULL;
        sp->n_attrs = 0;
    }
}

void gz_docpass_run(gz_docmem *m, const gz_docview *v, gz_span **out, size_t *nout,
                    size_t *capout)
{
    const gz_tokens *tk = v->tok;
    /* the previous chunk's mentions are rendered: its strings may go */
    compact(m);
    if (!v->passes || !tk->n)
        return;
    uint8_t *covered = gz_xcalloc(tk->n, 1);
    size_t *first = gz_xmalloc((v->nspans + 1) * sizeof *first);
    size_t *last = gz_xmalloc((v->nspans + 1) * sizeof *last);
    map_spans(v, first, last);
    for (size_t s = 0; s < v->nspans; s++)
        if (first[s] != SIZE_MAX)
            for (size_t i = first[s]; i <= last[s]; i++)
                covered[i] = 1;
    adder ad = {out, nout, capout, covered};
    size_t before = *nout;
    if (v->passes & GZ_PASS_ACRONYMS)
        find_acronyms(m, v, &ad);
    learn_from_spans(m, v, first, last);
    (void)before;
    relabel(m, v, first, last);
    scan(m, v, &ad);
    free(covered);
    free(first);
    free(last);
}
