/* SPDX-License-Identifier: MIT */
/*
 * rules.c - rules over token classes, matched by pcre2.
 *
 * Each token is written as a record of fixed width W: '|', its shape, '^' if
 * it starts a sentence (else '-'), 'P' if it ends in a possessive 's (else
 * '-'), 'c' if it is a capitalised word the same text also uses in lower case
 * (an ordinary word: "Church" where "church" occurs too), 'h' if a hyphen
 * joins it to the word before ("Marcus" in "Neiman-Marcus"), 's' if it ends
 * like a regular plural (lower-case s after a letter other than s), 'H' if
 * it is on a headline line (gz_token_marks), one character per
 * dictionary type the rules
 * refer to ('B' a match of that type begins here, 'I' continues, '-' none),
 * and one per literal word the rules use ('L' when the token is that word);
 * the first eight bytes are REC_FIXED, the rest depend on the rule set.
 * Two tokens not separated by a sentence-internal gap get a '#' between their
 * records, so no rule matches across a paragraph break or a control byte.  A
 * rule pattern becomes a regular expression over these records; it is parsed
 * twice: once when added (checking syntax and collecting the types and
 * literals it uses), once at freeze (emitting the expression, when every
 * feature position is known).  Repetitions are bounded (MAX_RUN) and count
 * their iterations against the rule's step limit for the text
 * (gz_rule_budget), so no rule takes more than linear time over a text.
 *
 * A match starts at the first token its pattern consumes, so the emit pass
 * also works out which tokens can start a match (first_set: shapes,
 * dictionary types beginning there, literal words).  A rule whose pattern
 * cannot match the empty string is then tried, anchored, only at tokens
 * of that set, rather than by a search that tries every token; rules with
 * the same set share one list of candidate tokens.  On ordinary text most
 * tokens are lower-case words that open no rule.  A candidate is also
 * checked against the first items' full constraints (pred), and against
 * the tokens the rule cannot do without (req: a literal word or a
 * dictionary type of its top-level sequence, with how far from the first
 * token the pattern can put it, every repetition at its longest): a rule
 * that needs "said" within six tokens is not tried where there is none.
 *
 * To add a token feature (a mark such as Start): one more fixed byte of the
 * record (REC_FIXED grows by one; write it where the records are built in
 * gz_trules_run), its name in the parser where Start and Poss are read, and
 * its documentation in rules.h and dictionaries/rules/README.md.
 */
#include "rules.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "rule.h"
#include "util.h"

/* The bytes of a record before its dictionary-type and literal features:
 * '|', shape, sentence start, possessive, common word, hyphen before,
 * plural ending, headline. */
#define REC_FIXED 8

/* The bits of a token's start features (see first_set): its shape, one per
 * shape of ALL_SHAPES; then one per referenced type, set where a match of
 * that type begins; then one per literal word, set when the token is that
 * word.  A set wider than FS_WORDS words is treated as "any token". */
#define FS_WORDS 4
#define NSHAPES 9

/* The characters of a record, one bit each in a cond's mask. */
#define RECCHARS "|CUlmMInpj^-PchsHBL"

/* A condition on a record: its byte at pos is one of mask's characters. */
typedef struct cond {
    uint32_t pos, mask;
} cond;

/* The constraints of one token item on its record, all of which hold for a
 * token it matches (the first MAX_CONDS of them: fewer only let more
 * tokens through). */
#define MAX_CONDS 40
typedef struct pred {
    cond c[MAX_CONDS];
    uint32_t n;
} pred;

/* What a pattern's first token can be: the start bits, and the items that
 * can come first as predicates, any one of which the first record meets
 * (unless there are too many of them: loose). */
#define MAX_PREDS 8
typedef struct fset {
    uint64_t b[FS_WORDS];
    int nullable;           /* can match without consuming a token */
    pred p[MAX_PREDS];
    uint32_t np;
    int loose;
} fset;

/* A token every match of a rule holds at most dist tokens after its first
 * one: a record that meets one of its predicates (an item of the top-level
 * sequence that cannot be skipped, such as the "said" of "Cap+ said"). */
#define MAX_REQ 4
typedef struct req {
    pred p[MAX_PREDS];
    uint32_t np;
    uint32_t key[MAX_PREDS];  /* per predicate: a condition few records meet */
} req;
#define WIDE ((size_t)1 << 30)  /* no bound on an item's tokens */

/* A predicate as it is checked on a record: its conditions that ask for one
 * character, eight record bytes at a time (the bytes from off under mask
 * must equal val's), then the others one by one. */
typedef struct fpred {
    uint32_t nw, nrest;
    uint32_t off[MAX_CONDS];
    uint64_t mask[MAX_CONDS], val[MAX_CONDS];
    cond rest[MAX_CONDS];
} fpred;

typedef struct trule {
    gz_rule rule;
    char *pattern;
    size_t plen;
    pcre2_code *code;       /* the search over the whole feature string */
    pcre2_code *at_start;   /* anchored, for the token where a search starts */
    pcre2_code *at_next;    /* anchored, for any later token (the lead skip) */
    long fs;                /* index in gz_trules.fsets, -1: every token */
    fpred *preds;           /* the predicates of its first set (none: loose) */
    size_t npreds;
    long req[MAX_REQ];      /* indices in gz_trules.reqs ... */
    size_t req_dist[MAX_REQ];  /* ... and how far from the first token */
    size_t nreq;
    int jit;                /* at_start and at_next are JIT-compiled */
    int has_mark;
} trule;

struct gz_trules {
    trule *r;
    size_t n, cap;
    char **types;
    size_t ntypes, captypes;
    char **lits;            /* case-folded literal words */
    size_t nlits, caplits;
    size_t *litlen;
    long lit_first[256];    /* the first literal starting with that byte, -1 none */
    long *lit_next;         /* the next literal with the same first byte */
    fset *fsets;            /* the distinct first sets of the rules */
    size_t nfsets;
    uint8_t recbit[256];    /* a record character's bit in cond masks (31: none) */
    uint8_t shapebit[256];  /* a shape character's start bit */
    uint64_t fs_any[FS_WORDS];  /* the union of the first sets */
    req *reqs;              /* the distinct required tokens of the rules */
    fpred *req_key;         /* per required token: its predicates (MAX_PREDS each) */
    size_t nreqs;
    uint8_t *key_slot;      /* per type and literal: some required token's key */
    gz_arena *arena;
    int frozen;
};

struct gz_tstate {
    pcre2_match_data *md;
    gz_rule_ctx ctx;
    gz_buf s;               /* the feature string */
    uint32_t *rec_at;       /* token -> offset of its record in s */
    size_t cap_rec_at;
    gz_norm norm;
    gz_buf lit;
    uint64_t left;          /* steps the current rule may still take */
    size_t **cand;          /* per first set: the tokens that can open it */
    size_t *ncand, *capcand;
    size_t nsets;
    size_t **slot_tok;      /* per type or literal a required token asks for:
                             * the tokens inside such a match or that word */
    size_t *nslot_tok, *capslot_tok;
    size_t nslots;
    size_t **req_tok;       /* per required token of gz_trules: the tokens
                             * that can be it, in order */
    size_t *nreq_tok, *capreq_tok;
    size_t nreq_slots;
};

/* Count one step of the running rule; stop it when its budget (see
 * gz_rule_budget) is spent, as pcre2 stops at its own match limit. */
static int step(pcre2_callout_block *b, void *data)
{
    (void)b;
    uint64_t *left = data;
    if (!*left)
        return GZ_RULE_BUDGET_SPENT;
    --*left;
    return 0;
}

gz_trules *gz_trules_new(void)
{
    gz_trules *r = gz_xcalloc(1, sizeof *r);
    r->arena = gz_arena_new();
    return r;
}

void gz_trules_free(gz_trules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        pcre2_code_free(r->r[i].code);
        free(r->r[i].preds);
        pcre2_code_free(r->r[i].at_start);
        if (r->r[i].at_next != r->r[i].at_start)
            pcre2_code_free(r->r[i].at_next);
        free(r->r[i].pattern);
    }
    for (size_t i = 0; i < r->ntypes; i++)
        free(r->types[i]);
    for (size_t i = 0; i < r->nlits; i++)
        free(r->lits[i]);
    free(r->types);
    free(r->lits);
    free(r->litlen);
    free(r->lit_next);
    free(r->fsets);
    free(r->reqs);
    free(r->req_key);
    free(r->key_slot);
    free(r->r);
    gz_arena_free(r->arena);
    free(r);
}

size_t gz_trules_count(const gz_trules *r) { return r->n; }
const gz_rule *gz_trules_rule(const gz_trules *r, size_t i) { return &r->r[i].rule; }
size_t gz_trules_ntypes(const gz_trules *r) { return r->ntypes; }
const char *gz_trules_type(const gz_trules *r, size_t k) { return r->types[k]; }

static size_t width(const gz_trules *r)
{
    return REC_FIXED + r->ntypes + r->nlits;
}

static long find_str(char **v, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i]) == len && memcmp(v[i], s, len) == 0)
            return (long)i;
    return -1;
}

/* ---- the pattern language ---- */

static const struct shape {
    const char *name;
    const char *chars;
} SHAPES[] = {
    {"Cap", "C"}, {"Upper", "U"}, {"Lower", "l"}, {"Mixed", "mM"}, {"InCap", "M"},
    {"Capital", "CM"},
    {"Init", "I"}, {"Num", "n"}, {"Punct", "p"}, {"CJK", "j"}, {"Word", "CUlmMIn"},
    {"Any", "CUlmMInpj"},
};
#define ALL_SHAPES "CUlmMInpj"

/* What the parser learned about one item: enough to tell whether the
 * pattern opens with a repetition of single tokens (see lead_anchor). */
#define MAX_ALTS 16
typedef struct item {
    size_t at;              /* where its text begins in the output */
    int mark;               /* '<' or '>': no atom */
    int single;             /* the atom matches exactly one token */
    char quant;             /* 0, '?', '*', '+' or '{' */
    size_t nalt;            /* when single: the atom's alternatives ... */
    size_t alt[MAX_ALTS][2];  /* ... as ranges of the output */
    fset first;             /* the tokens it can start at (emit pass) */
    size_t maxw;            /* the most tokens it can match (WIDE: unbounded) */
} item;

typedef struct parser {
    gz_trules *r;
    const char *s;
    size_t n, i;
    int emit;               /* 0: check and collect; 1: write the expression */
    gz_buf *out;
    char err[200];
    size_t err_at;
    int marks;
    int outside;            /* an atom stands before '<' or after '>' */
    int depth;              /* group nesting */
    int top_alts;           /* the pattern has a top-level '|' */
    item lead[2];           /* its first two items (marks left out) */
    int nlead;
    req reqs[MAX_REQ];      /* required tokens of the top-level sequence ... */
    size_t req_dist[MAX_REQ];  /* ... at most this far from the first token */
    size_t nreq;
} parser;

static int fail(parser *p, const char *msg)
{
    if (!p->err[0]) {
        snprintf(p->err, sizeof p->err, "%s", msg);
        p->err_at = p->i;
    }
    return -1;
}

static void skip_ws(parser *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
        p->i++;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == ':';
}

static size_t read_name(parser *p)
{
    size_t start = p->i;
    while (p->i < p->n && is_name_char(p->s[p->i]))
        p->i++;
    return p->i - start;
}

/* One token's constraints, as an expression of width W. */
typedef struct feat {
    char shapes[16];        /* allowed shape characters */
    int start;              /* 1 must start a sentence, -1 must not, 0 either */
    int poss;               /* 1 must end in a possessive, -1 must not, 0 either */
    int common;             /* 1 must be used in lower case too, -1 must not */
    int hyph;               /* 1 must follow a hyphen, -1 must not, 0 either */
    int plural;             /* 1 must end like a plural, -1 must not */
    int head;               /* 1 must be on a headline, -1 must not */
    char *type;             /* per type: 0 any, '+' inside a match, '-' not */
    char *lit;              /* per literal: 0 any, '+' is the word, '-' not */
} feat;

/* The token marks of the language (Start, Poss...), each the feat field it
 * sets: 1 for the mark, -1 for it negated. */
static const struct {
    const char *name;
    size_t field;
} MARKS[] = {
    {"Start", offsetof(feat, start)},   {"Poss", offsetof(feat, poss)},
    {"Common", offsetof(feat, common)}, {"Hyph", offsetof(feat, hyph)},
    {"Plural", offsetof(feat, plural)}, {"Head", offsetof(feat, head)},
};

static void feat_init(parser *p, feat *f)
{
    strcpy(f->shapes, ALL_SHAPES);
    f->start = 0;
    f->poss = 0;
    f->common = 0;
    f->hyph = 0;
    f->plural = 0;
    f->head = 0;
    f->type = gz_xcalloc(p->r->ntypes + 1, 1);
    f->lit = gz_xcalloc(p->r->nlits + 1, 1);
}

static void feat_free(feat *f)
{
    free(f->type);
    free(f->lit);
}

static void bit_add(uint64_t *b, size_t bit)
{
    if (bit < FS_WORDS * 64)
        b[bit / 64] |= (uint64_t)1 << (bit % 64);
}

static void fs_add(fset *f, size_t bit)
{
    bit_add(f->b, bit);
}

static void fs_union(fset *a, const fset *b)
{
    for (size_t w = 0; w < FS_WORDS; w++)
        a->b[w] |= b->b[w];
    if (a->loose || b->loose || a->np + b->np > MAX_PREDS) {
        a->loose = 1;
        return;
    }
    memcpy(a->p + a->np, b->p, b->np * sizeof *b->p);
    a->np += b->np;
}

static uint32_t rec_mask(const char *chars)
{
    uint32_t m = 0;
    for (const char *c = chars; *c; c++)
        m |= 1u << (strchr(RECCHARS, *c) - RECCHARS);
    return m;
}

static void pred_cond(pred *q, size_t pos, const char *chars)
{
    if (q->n < MAX_CONDS) {
        q->c[q->n].pos = (uint32_t)pos;
        q->c[q->n].mask = rec_mask(chars);
        q->n++;
    }
}

/* A new predicate of fs, or NULL when it has too many (it is then loose). */
static pred *fs_pred(fset *fs)
{
    if (fs->np == MAX_PREDS) {
        fs->loose = 1;
        return NULL;
    }
    pred *q = &fs->p[fs->np++];
    memset(q, 0, sizeof *q);
    return q;
}

static void flag_cond(pred *q, size_t pos, int v, const char *yes)
{
    if (v)
        pred_cond(q, pos, v > 0 ? yes : "-");
}

/* f's constraints as a predicate on a record (what feat_emit writes). */
static void feat_pred(const parser *p, const feat *f, fset *fs)
{
    pred *q = fs_pred(fs);
    if (!q)
        return;
    if (strcmp(f->shapes, ALL_SHAPES) != 0)
        pred_cond(q, 1, f->shapes);
    flag_cond(q, 2, f->start, "^");
    flag_cond(q, 3, f->poss, "P");
    flag_cond(q, 4, f->common, "c");
    flag_cond(q, 5, f->hyph, "h");
    flag_cond(q, 6, f->plural, "s");
    flag_cond(q, 7, f->head, "H");
    for (size_t k = 0; k < p->r->ntypes; k++)
        if (f->type[k])
            pred_cond(q, REC_FIXED + k, f->type[k] == '+' ? "BI" : "-");
    for (size_t k = 0; k < p->r->nlits; k++)
        if (f->lit[k])
            pred_cond(q, REC_FIXED + p->r->ntypes + k, f->lit[k] == '+' ? "L" : "-");
}

/* The tokens one token's constraints f let through, as far as the start
 * features tell: the literal word it must be, else its allowed shapes. */
static void feat_first(const parser *p, const feat *f, fset *fs)
{
    for (size_t k = 0; k < p->r->nlits; k++) {
        if (f->lit[k] == '+') {
            fs_add(fs, NSHAPES + p->r->ntypes + k);
            return;
        }
    }
    for (const char *x = f->shapes; *x; x++)
        fs_add(fs, (size_t)(strchr(ALL_SHAPES, *x) - ALL_SHAPES));
}

/* Write a held-back run of n unconstrained record bytes. */
static void flush_dots(gz_buf *o, size_t *n)
{
    char b[32];
    if (*n == 1)
        gz_buf_addc(o, '.');
    else if (*n > 1) {
        snprintf(b, sizeof b, ".{%zu}", *n);
        gz_buf_adds(o, b);
    }
    *n = 0;
}

/* Append the condition want on one record byte to o; a run of unconstrained bytes
 * is held back in *dots and written as one ".{n}", which pcre2's JIT skips
 * in one step rather than one byte at a time. */
static void emit_byte(gz_buf *o, size_t *dots, const char *want)
{
    if (strcmp(want, ".") == 0) {
        (*dots)++;
        return;
    }
    flush_dots(o, dots);
    gz_buf_adds(o, want);
}

static void feat_emit(parser *p, const feat *f)
{
    gz_buf *o = p->out;
    size_t dots = 0;
    gz_buf_adds(o, "\\|");
    if (strcmp(f->shapes, ALL_SHAPES) == 0)
        dots++;
    else if (!f->shapes[0])
        gz_buf_adds(o, "(*FAIL)");
    else {
        gz_buf_addc(o, '[');
        gz_buf_adds(o, f->shapes);
        gz_buf_addc(o, ']');
    }
    emit_byte(o, &dots, f->start > 0 ? "\\^" : f->start < 0 ? "-" : ".");
    emit_byte(o, &dots, f->poss > 0 ? "P" : f->poss < 0 ? "-" : ".");
    emit_byte(o, &dots, f->common > 0 ? "c" : f->common < 0 ? "-" : ".");
    emit_byte(o, &dots, f->hyph > 0 ? "h" : f->hyph < 0 ? "-" : ".");
    emit_byte(o, &dots, f->plural > 0 ? "s" : f->plural < 0 ? "-" : ".");
    emit_byte(o, &dots, f->head > 0 ? "H" : f->head < 0 ? "-" : ".");
    for (size_t k = 0; k < p->r->ntypes; k++)
        emit_byte(o, &dots, f->type[k] == '+' ? "[BI]" : f->type[k] == '-' ? "-" : ".");
    for (size_t k = 0; k < p->r->nlits; k++)
        emit_byte(o, &dots, f->lit[k] == '+' ? "L" : f->lit[k] == '-' ? "-" : ".");
    flush_dots(o, &dots);
}

/* Register (collect pass) or look up (emit pass) a type or literal. */
static long type_slot(parser *p, const char *s, size_t len)
{
    long k = find_str(p->r->types, p->r->ntypes, s, len);
    if (k < 0 && !p->emit) {
        GZ_GROW(p->r->types, p->r->captypes, p->r->ntypes + 1);
        p->r->types[p->r->ntypes] = gz_xstrndup(s, len);
        k = (long)p->r->ntypes++;
    }
    return k;
}

static long lit_slot(parser *p, const char *s, size_t len)
{
    gz_norm scratch = {0};
    gz_buf b = {0};
    gz_normalize(&scratch, s, len, GZ_NORM_FOLD_CASE, &b);
    gz_norm_free(&scratch);
    long k = find_str(p->r->lits, p->r->nlits, b.data ? b.data : "", b.len);
    if (k < 0 && !p->emit) {
        GZ_GROW(p->r->lits, p->r->caplits, p->r->nlits + 1);
        p->r->lits[p->r->nlits] = gz_xstrndup(b.data ? b.data : "", b.len);
        k = (long)p->r->nlits++;
    }
    gz_buf_free(&b);
    return k;
}

/* "@TYPE" at the parser's position: the type's slot (-1 when the emit pass
 * meets a type it does not know, which cannot happen), or -2 after an error. */
static long read_type(parser *p)
{
    p->i++;
    size_t st = p->i, len = read_name(p);
    if (!len) {
        fail(p, "expected a type name after '@'");
        return -2;
    }
    return type_slot(p, p->s + st, len);
}

/* A single feature (shape name, Start, @TYPE, "word"), possibly negated,
 * applied to f. */
static int parse_feature(parser *p, feat *f, int neg)
{
    char c = p->s[p->i];
    if (c == '@') {
        long k = read_type(p);
        if (k == -2)
            return -1;
        if (k >= 0 && p->emit)
            f->type[k] = neg ? '-' : '+';
        return 0;
    }
    if (c == '"') {
        size_t st = ++p->i;
        while (p->i < p->n && p->s[p->i] != '"')
            p->i++;
        if (p->i >= p->n)
            return fail(p, "unterminated word in quotes");
        size_t len = p->i - st;
        p->i++;
        if (!len)
            return fail(p, "empty word in quotes");
        long k = lit_slot(p, p->s + st, len);
        if (k >= 0 && p->emit)
            f->lit[k] = neg ? '-' : '+';
        return 0;
    }
    size_t st = p->i, len = read_name(p);
    if (!len)
        return fail(p, "expected a token class, @TYPE or a \"word\"");
    for (size_t k = 0; k < sizeof MARKS / sizeof *MARKS; k++) {
        if (strlen(MARKS[k].name) == len && memcmp(MARKS[k].name, p->s + st, len) == 0) {
            *(int *)((char *)f + MARKS[k].field) = neg ? -1 : 1;
            return 0;
        }
    }
    for (size_t k = 0; k < sizeof SHAPES / sizeof *SHAPES; k++) {
        if (strlen(SHAPES[k].name) == len && memcmp(SHAPES[k].name, p->s + st, len) == 0) {
            char keep[16];
            size_t m = 0;
            for (const char *x = f->shapes; *x; x++)
                if ((strchr(SHAPES[k].chars, *x) != NULL) != neg)
                    keep[m++] = *x;
            keep[m] = '\0';
            strcpy(f->shapes, keep);
            return 0;
        }
    }
    p->i = st;
    return fail(p, "unknown token class (expected Cap, Upper, Lower, Mixed, InCap, Capital, Init, "
                   "Num, Punct, CJK, Word, Any, Start, Poss, Common, Hyph, Plural or Head)");
}

static int parse_alt(parser *p, item *g);

/* Wrap the atom it (its text runs from it->at to the end of the output)
 * in a group that starts with a callout, before its repetition is written:
 * each iteration then counts one step of the rule's budget
 * (gz_rule_budget).  Outside repetitions a pattern does a bounded amount of
 * work at each start, so counting iterations bounds the work over a text,
 * at a cost on ordinary text too small to measure (a callout on every
 * token record took 20% of the time of a run). */
static void count_iterations(parser *p, item *it)
{
    static const char co[] = "(?:(?C)";
    size_t pos = it->at, n = sizeof co - 1;
    gz_buf *o = p->out;
    gz_buf_reserve(o, n + 1);
    memmove(o->data + pos + n, o->data + pos, o->len - pos);
    memcpy(o->data + pos, co, n);
    o->len += n;
    gz_buf_addc(o, ')');
    for (size_t k = 0; k < it->nalt; k++) {
        it->alt[k][0] += n;
        it->alt[k][1] += n;
    }
}

/* A repetition (*, +, {m,}) looks at most this many tokens: a longer run
 * of capitalised words is no name, and an unbounded one made every start
 * in the run rescan it (quadratic time, and a JIT stack that overflowed
 * past about 50,000 words). */
#define MAX_RUN 32

static int parse_quant(parser *p, item *it)
{
    skip_ws(p);
    if (p->i >= p->n)
        return 0;
    char c = p->s[p->i];
    size_t times = 1;
    if (c == '?') {
        gz_buf_addc(p->out, c);
        p->i++;
        it->first.nullable = 1;
    } else if (c == '*' || c == '+') {
        times = MAX_RUN;
        if (c == '*')
            it->first.nullable = 1;
        if (p->emit)
            count_iterations(p, it);
        gz_buf_printf(p->out, "{%d,%d}", c == '*' ? 0 : 1, MAX_RUN);
        p->i++;
    } else if (c == '{') {
        size_t st = p->i++;
        while (p->i < p->n && ((p->s[p->i] >= '0' && p->s[p->i] <= '9') || p->s[p->i] == ','))
            p->i++;
        if (p->i >= p->n || p->s[p->i] != '}' || p->i == st + 1)
            return fail(p, "malformed {m,n} repetition");
        p->i++;
        if (p->emit)
            count_iterations(p, it);
        if (strtoul(p->s + st + 1, NULL, 10) == 0)
            it->first.nullable = 1;
        if (p->s[p->i - 2] == ',') {
            unsigned long m = strtoul(p->s + st + 1, NULL, 10);
            gz_buf_printf(p->out, "{%lu,%lu}", m, m > MAX_RUN ? m : (unsigned long)MAX_RUN);
            times = m > MAX_RUN ? m : MAX_RUN;
        } else {
            gz_buf_add(p->out, p->s + st, p->i - st);
            /* {m} or {m,n}: the last number */
            size_t k = p->i - 1;
            while (k > st + 1 && p->s[k - 1] >= '0' && p->s[k - 1] <= '9')
                k--;
            times = strtoul(p->s + k, NULL, 10);
        }
        if (times > WIDE)
            times = WIDE;
    } else {
        return 0;
    }
    it->maxw = it->maxw >= WIDE || times >= WIDE || it->maxw * times >= WIDE ? WIDE
                                                                          : it->maxw * times;
    it->quant = c;
    if (p->i < p->n && p->s[p->i] == '?') {  /* lazy */
        gz_buf_addc(p->out, '?');
        p->i++;
    }
    return 0;
}

static int parse_item(parser *p, item *it)
{
    memset(it, 0, sizeof *it);
    skip_ws(p);
    it->at = p->out->len;
    char c = p->s[p->i];
    if (c == '(') {
        p->i++;
        gz_buf_adds(p->out, "(?:");
        size_t at = it->at;
        p->depth++;
        int rc = parse_alt(p, it);
        p->depth--;
        it->at = at;
        if (rc < 0)
            return -1;
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != ')')
            return fail(p, "missing ')'");
        p->i++;
        gz_buf_addc(p->out, ')');
        return parse_quant(p, it);
    }
    if (c == '<' || c == '>') {
        if ((c == '<') != (p->marks == 0))
            return fail(p, c == '<' ? "a second '<'" : "'>' without '<'");
        p->marks++;
        p->i++;
        it->mark = 1;
        it->first.nullable = 1;
        gz_buf_adds(p->out, c == '<' ? "(?<m>" : ")");
        return 0;
    }
    if (c == '@') {
        /* one whole dictionary match: a 'B' record, then 'I' records */
        long k = read_type(p);
        if (k == -2)
            return -1;
        it->maxw = WIDE;
        if (p->emit) {
            fs_add(&it->first, NSHAPES + (size_t)k);
            pred *q = fs_pred(&it->first);
            if (q)
                pred_cond(q, REC_FIXED + (size_t)k, "B");
            size_t pos = REC_FIXED + (size_t)k;
            size_t w = width(p->r);
            gz_buf_adds(p->out, "(?:\\|");
            gz_buf_printf(p->out, ".{%zu}B.{%zu}", pos - 1, w - pos - 1);
            gz_buf_adds(p->out, "(?:\\|");
            gz_buf_printf(p->out, ".{%zu}I.{%zu})*)", pos - 1, w - pos - 1);
        }
        return parse_quant(p, it);
    }
    feat f;
    feat_init(p, &f);
    it->maxw = 1;
    int rc = 0;
    if (c == '[') {
        p->i++;
        for (;;) {
            skip_ws(p);
            if (p->i >= p->n) {
                rc = fail(p, "missing ']'");
                break;
            }
            if (p->s[p->i] == ']') {
                p->i++;
                break;
            }
            int neg = 0;
            if (p->s[p->i] == '!') {
                neg = 1;
                p->i++;
            }
            if ((rc = parse_feature(p, &f, neg)) < 0)
                break;
        }
    } else {
        rc = parse_feature(p, &f, 0);
    }
    if (rc == 0 && p->emit) {
        it->single = 1;
        it->nalt = 1;
        it->alt[0][0] = p->out->len;
        gz_buf_adds(p->out, "(?:");
        feat_emit(p, &f);
        gz_buf_addc(p->out, ')');
        it->alt[0][1] = p->out->len;
        feat_first(p, &f, &it->first);
        feat_pred(p, &f, &it->first);
    }
    feat_free(&f);
    if (rc < 0)
        return -1;
    return parse_quant(p, it);
}

/* Note a required token of the top-level sequence: item it, which cannot
 * be skipped, starts at most dist tokens after the first. */
static void add_req(parser *p, const item *it, size_t dist)
{
    if (!p->emit || p->depth || dist == 0 || dist >= WIDE || it->first.nullable ||
        it->first.loose || !it->first.np || p->nreq == MAX_REQ)
        return;
    req *q = &p->reqs[p->nreq];
    memset(q, 0, sizeof *q);
    /* worth looking for only when each way it can start is one literal
     * word or asks for a dictionary type, which most records lack */
    uint32_t none = 1u << (strchr(RECCHARS, '-') - RECCHARS);
    for (uint32_t i = 0; i < it->first.np; i++) {
        const pred *x = &it->first.p[i];
        uint32_t k = 0;
        while (k < x->n && (x->c[k].pos < REC_FIXED || (x->c[k].mask & none)))
            k++;
        if (k == x->n)
            return;
        q->key[i] = k;
    }
    memcpy(q->p, it->first.p, it->first.np * sizeof *q->p);
    q->np = it->first.np;
    p->req_dist[p->nreq++] = dist;
}

/* A sequence; *only describes it when it is one single-token item without
 * a quantifier (else only->single is 0); *fs, the tokens it can start at;
 * *width, the most tokens it can match. */
static int parse_seq(parser *p, item *only, fset *fs, size_t *width)
{
    int items = 0, atoms = 0;
    memset(only, 0, sizeof *only);
    memset(fs, 0, sizeof *fs);
    fs->nullable = 1;
    *width = 0;
    for (;;) {
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] == '|' || p->s[p->i] == ')')
            break;
        item it;
        if (parse_item(p, &it) < 0)
            return -1;
        items++;
        if (fs->nullable) {
            fs_union(fs, &it.first);
            fs->nullable = it.first.nullable;
        }
        add_req(p, &it, *width);
        *width = *width + it.maxw >= WIDE ? WIDE : *width + it.maxw;
        if (it.mark)
            continue;
        if (p->marks != 1)
            p->outside = 1;
        if (++atoms == 1)
            *only = it;
        if (p->depth == 0 && p->nlead < 2)
            p->lead[p->nlead++] = it;
    }
    if (!items)
        return fail(p, "empty pattern or alternative");
    if (atoms != 1 || only->quant)
        only->single = 0;
    return 0;
}

/* Alternatives; *g says whether each is one token, and lists them. */
static int parse_alt(parser *p, item *g)
{
    item one;
    fset fs, all;
    size_t w;
    if (parse_seq(p, &one, &all, &w) < 0)
        return -1;
    *g = one;
    g->first = all;
    g->maxw = w;
    while (p->i < p->n && p->s[p->i] == '|') {
        p->i++;
        if (p->depth == 0)
            p->top_alts = 1;
        gz_buf_addc(p->out, '|');
        if (parse_seq(p, &one, &fs, &w) < 0)
            return -1;
        if (w > g->maxw)
            g->maxw = w;
        fs_union(&g->first, &fs);
        g->first.nullable |= fs.nullable;
        if (!one.single || g->nalt + one.nalt > MAX_ALTS) {
            g->single = 0;
            continue;
        }
        if (g->single) {
            memcpy(g->alt[g->nalt], one.alt, one.nalt * sizeof *one.alt);
            g->nalt += one.nalt;
        }
    }
    return 0;
}

static int same_text(const gz_buf *b, const size_t x[2], const size_t y[2])
{
    return x[1] - x[0] == y[1] - y[0] && memcmp(b->data + x[0], b->data + y[0], x[1] - x[0]) == 0;
}

/* A pattern that opens with a repetition of single tokens X (X* R, X+ R, or
 * X Y* R where every token X takes Y also takes) cannot match from a token
 * whose previous token is an X when it failed from that previous token: the
 * previous token could have been one more repetition.  So after a failed
 * start, the rest of a run of X is skipped, and a run is scanned once rather
 * than once per word.  (Within the MAX_RUN bound this loses a match only
 * where the run is longer than the bound.)  The skip is a lookbehind on the
 * previous record, which does not apply at the first start of each search
 * (\G), whose previous token may belong to the match before.  Writes the
 * alternatives of X, as the body of that lookbehind, into a, or nothing. */
static void lead_anchor(const parser *p, gz_buf *a)
{
    if (p->top_alts || p->nlead == 0 || !p->lead[0].single)
        return;
    const item *x = &p->lead[0];
    if (x->quant != '*' && x->quant != '+') {
        const item *y = &p->lead[1];
        if (x->quant || p->nlead < 2 || !y->single || (y->quant != '*' && y->quant != '+'))
            return;
        for (size_t i = 0; i < x->nalt; i++) {
            size_t k = 0;
            while (k < y->nalt && !same_text(p->out, x->alt[i], y->alt[k]))
                k++;
            if (k == y->nalt)
                return;
        }
    }
    for (size_t i = 0; i < x->nalt; i++) {
        if (i)
            gz_buf_addc(a, '|');
        gz_buf_add(a, p->out->data + x->alt[i][0], x->alt[i][1] - x->alt[i][0]);
    }
}

/* Check (emit 0) or translate (emit 1) a pattern into out; when anchor is
 * not NULL, the lookbehind body of lead_anchor goes there, and when first
 * is not NULL, the tokens a match can start at. */
static int parse(gz_trules *r, const char *s, size_t n, int emit, gz_buf *out,
                 gz_buf *anchor, fset *first, parser *done, char *err, size_t errlen,
                 size_t *err_at, int *context)
{
    parser p = {0};
    p.r = r;
    p.s = s;
    p.n = n;
    p.emit = emit;
    p.out = out;
    item whole;
    int rc = parse_alt(&p, &whole);
    if (rc == 0 && p.i < p.n)
        rc = fail(&p, "unexpected ')'");
    if (rc == 0 && p.marks == 1)
        rc = fail(&p, "'<' without '>'");
    if (rc < 0) {
        snprintf(err, errlen, "%s", p.err);
        *err_at = p.err_at;
    } else if (anchor) {
        lead_anchor(&p, anchor);
    }
    if (first)
        *first = whole.first;
    if (done) {
        /* required tokens of one top-level alternative hold for none */
        if (p.top_alts)
            p.nreq = 0;
        *done = p;
    }
    if (context)
        *context = rc == 0 && p.marks == 2 && p.outside;
    return rc;
}

int gz_trules_add(gz_trules *r, const gz_rule_def *def, gz_error *err)
{
    gz_buf tmp = {0};
    char msg[200];
    size_t at = 0;
    int context = 0;
    if (parse(r, def->pattern, def->plen, 0, &tmp, NULL, NULL, NULL, msg, sizeof msg, &at,
              &context) < 0) {
        gz_buf_free(&tmp);
        gz_error_set(err, def->file, def->line, 0,
                     "rule '%s': token pattern error at offset %zu: %s", def->name, at, msg);
        return -1;
    }
    gz_buf_free(&tmp);
    GZ_GROW(r->r, r->cap, r->n + 1);
    trule *t = &r->r[r->n++];
    memset(t, 0, sizeof *t);
    t->pattern = gz_xstrndup(def->pattern, def->plen);
    t->plen = def->plen;
    t->has_mark = memchr(def->pattern, '<', def->plen) != NULL;
    gz_rule_from_def(&t->rule, def, r->arena);
    t->rule.context = context;
    return 0;
}

/* Every expression starts with this: dot matches all, and a match starts at
 * a record, which lets pcre2 look for a '|' before trying a start (without
 * it a pattern starting with a lookbehind or a callout took 20% longer on
 * ordinary text). */
#define PROLOGUE "(?s)(?=\\|)"

/* Compile PROLOGUE, then the pieces, then re; NULL when pcre2 refuses. */
static pcre2_code *compile3(const char *a, const char *b, size_t blen, const char *c,
                            const gz_buf *re, uint32_t options, int *ecode, int *jit)
{
    gz_buf full = {0};
    PCRE2_SIZE eoff;
    gz_buf_adds(&full, PROLOGUE);
    gz_buf_adds(&full, a);
    gz_buf_add(&full, b, blen);
    gz_buf_adds(&full, c);
    gz_buf_add(&full, re->data, re->len);
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)full.data, full.len, options, ecode, &eoff, NULL);
    gz_buf_free(&full);
    if (code && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) != 0)
        *jit = 0;
    return code;
}

/* Write q as an fpred into f. */
static void fpred_of(const pred *q, fpred *f)
{
    unsigned char m[MAX_CONDS][8], v[MAX_CONDS][8];
    memset(f, 0, sizeof *f);
    for (uint32_t k = 0; k < q->n; k++) {
        const cond *c = &q->c[k];
        uint32_t off = c->pos / 8 * 8, at = c->pos % 8, w = 0;
        while (w < f->nw && f->off[w] != off)
            w++;
        int one = c->mask && !(c->mask & (c->mask - 1)) && c->mask < (1u << strlen(RECCHARS));
        char want = 0;
        if (one)
            while (!((c->mask >> (uint32_t)want) & 1))
                want++;
        if (!one || (w < f->nw && m[w][at] && v[w][at] != (unsigned char)RECCHARS[(int)want])) {
            f->rest[f->nrest++] = *c;
            continue;
        }
        if (w == f->nw) {
            memset(m[w], 0, 8);
            memset(v[w], 0, 8);
            f->off[f->nw++] = off;
        }
        m[w][at] = 0xff;
        v[w][at] = (unsigned char)RECCHARS[(int)want];
    }
    for (uint32_t w = 0; w < f->nw; w++) {
        memcpy(&f->mask[w], m[w], 8);
        memcpy(&f->val[w], v[w], 8);
    }
}

/* The index of q among the rules' required tokens, added if new. */
static long req_slot(gz_trules *r, const req *q)
{
    for (size_t i = 0; i < r->nreqs; i++)
        if (memcmp(&r->reqs[i], q, sizeof *q) == 0)
            return (long)i;
    r->reqs = gz_xrealloc(r->reqs, (r->nreqs + 1) * sizeof *r->reqs);
    r->reqs[r->nreqs] = *q;
    return (long)r->nreqs++;
}

/* The index of fs among the rules' first sets, added if new. */
static long fset_slot(gz_trules *r, const fset *fs)
{
    for (size_t i = 0; i < r->nfsets; i++)
        if (memcmp(r->fsets[i].b, fs->b, sizeof fs->b) == 0)
            return (long)i;
    r->fsets = gz_xrealloc(r->fsets, (r->nfsets + 1) * sizeof *r->fsets);
    r->fsets[r->nfsets] = *fs;
    for (size_t w = 0; w < FS_WORDS; w++)
        r->fs_any[w] |= fs->b[w];
    return (long)r->nfsets++;
}

int gz_trules_freeze(gz_trules *r, gz_error *err)
{
    if (r->frozen)
        return 0;
    r->litlen = gz_xcalloc(r->nlits + 1, sizeof *r->litlen);
    r->lit_next = gz_xcalloc(r->nlits + 1, sizeof *r->lit_next);
    for (size_t c = 0; c < 256; c++)
        r->lit_first[c] = -1;
    for (size_t k = r->nlits; k-- > 0;) {
        unsigned char c = (unsigned char)r->lits[k][0];
        r->litlen[k] = strlen(r->lits[k]);
        r->lit_next[k] = r->lit_first[c];
        r->lit_first[c] = (long)k;
    }
    int fits = NSHAPES + r->ntypes + r->nlits <= FS_WORDS * 64;
    memset(r->recbit, 31, sizeof r->recbit);
    for (const char *c = RECCHARS; *c; c++)
        r->recbit[(unsigned char)*c] = (uint8_t)(c - RECCHARS);
    for (const char *c = ALL_SHAPES; *c; c++)
        r->shapebit[(unsigned char)*c] = (uint8_t)(c - ALL_SHAPES);
    parser *pr = gz_xmalloc(sizeof *pr);  /* large: the required tokens */
    for (size_t i = 0; i < r->n; i++) {
        trule *t = &r->r[i];
        gz_buf re = {0}, anchor = {0};
        fset first;
        char msg[200];
        size_t at = 0;
        if (parse(r, t->pattern, t->plen, 1, &re, &anchor, &first, pr, msg, sizeof msg, &at,
                  NULL) < 0) {
            gz_error_set(err, t->rule.file, t->rule.line, 0, "rule '%s': %s", t->rule.name,
                         msg);
            gz_buf_free(&re);
            gz_buf_free(&anchor);
            free(pr);
            return -1;
        }
        int ecode = 0;
        t->fs = -1;
        if (fits && !first.nullable) {
            /* tried only at the tokens of its first set, anchored: the
             * lead skip applies to every token but the search's first */
            t->jit = 1;
            t->at_start = compile3("", "", 0, "", &re, PCRE2_ANCHORED, &ecode, &t->jit);
            if (t->at_start && anchor.len)
                t->at_next = compile3("(?<!", anchor.data, anchor.len, ")", &re, PCRE2_ANCHORED,
                                      &ecode, &t->jit);
            if (t->at_start && !t->at_next)
                t->at_next = t->at_start;
            if (t->at_start)
                t->fs = fset_slot(r, &first);
            if (t->at_start && !first.loose && first.np) {
                t->preds = gz_xmalloc(first.np * sizeof *t->preds);
                for (size_t k = 0; k < first.np; k++)
                    fpred_of(&first.p[k], &t->preds[k]);
                t->npreds = first.np;
            }
            for (size_t k = 0; t->at_start && k < pr->nreq; k++) {
                t->req[t->nreq] = req_slot(r, &pr->reqs[k]);
                t->req_dist[t->nreq++] = pr->req_dist[k];
            }
        } else {
            /* the lookbehind needs records of one width; without it the
             * rule is slower on long runs, never wrong */
            int jit = 1;
            if (anchor.len)
                t->code =
                    compile3("(?:\\G|(?<!", anchor.data, anchor.len, "))", &re, 0, &ecode, &jit);
            if (!t->code)
                t->code = compile3("", "", 0, "", &re, 0, &ecode, &jit);
        }
        gz_buf_free(&anchor);
        gz_buf_free(&re);
        if (!t->code && !t->at_start) {
            PCRE2_UCHAR m[256];
            pcre2_get_error_message(ecode, m, sizeof m);
            gz_error_set(err, t->rule.file, t->rule.line, 0,
                         "rule '%s': token pattern cannot be compiled: %s", t->rule.name,
                         (char *)m);
            free(pr);
            return -1;
        }
    }
    free(pr);
    r->key_slot = gz_xcalloc(r->ntypes + r->nlits + 1, 1);
    r->req_key = gz_xmalloc((r->nreqs * MAX_PREDS + 1) * sizeof *r->req_key);
    for (size_t k = 0; k < r->nreqs; k++) {
        for (uint32_t i = 0; i < r->reqs[k].np; i++) {
            r->key_slot[r->reqs[k].p[i].c[r->reqs[k].key[i]].pos - REC_FIXED] = 1;
            fpred_of(&r->reqs[k].p[i], &r->req_key[k * MAX_PREDS + i]);
        }
    }
    r->frozen = 1;
    return 0;
}

gz_tstate *gz_tstate_new(const gz_trules *r)
{
    (void)r;
    gz_tstate *st = gz_xcalloc(1, sizeof *st);
    st->md = pcre2_match_data_create(4, NULL);
    if (!st->md)
        gz_oom();
    gz_rule_ctx_init(&st->ctx, step, &st->left);
    return st;
}

void gz_tstate_free(gz_tstate *st)
{
    if (!st)
        return;
    pcre2_match_data_free(st->md);
    gz_rule_ctx_free(&st->ctx);
    gz_buf_free(&st->s);
    free(st->rec_at);
    gz_norm_free(&st->norm);
    gz_buf_free(&st->lit);
    for (size_t i = 0; i < st->nsets; i++)
        free(st->cand[i]);
    free(st->cand);
    free(st->ncand);
    free(st->capcand);
    for (size_t i = 0; i < st->nreq_slots; i++)
        free(st->req_tok[i]);
    free(st->req_tok);
    for (size_t i = 0; i < st->nslots; i++)
        free(st->slot_tok[i]);
    free(st->slot_tok);
    free(st->nslot_tok);
    free(st->capslot_tok);
    free(st->nreq_tok);
    free(st->capreq_tok);
    free(st);
}

/* Does the word t begin with an upper-case letter? */
static int starts_upper(const gz_token *t, const char *text)
{
    int32_t cp;
    gz_utf8_decode((const unsigned char *)text + t->start, t->end - t->start, &cp);
    return cp >= 0 && utf8proc_isupper(cp);
}

/* Shape characters: C Cap, U Upper, l Lower, I Init, n Num, p Punct, j CJK;
 * a word with capitals after lower case letters is M when it begins with a
 * capital (McDonald, DeSantis, O'Neill: InCap) and m otherwise (iPhone). */
static char shape_of(const gz_token *t, const char *text)
{
    if (t->kind == GZ_TOK_PUNCT)
        return 'p';
    if (t->kind == GZ_TOK_CJK)
        return 'j';
    unsigned f = t->flags;
    int up = (f & GZ_TF_UPPER) != 0, low = (f & GZ_TF_LOWER) != 0;
    size_t len = t->end - t->start - t->poss;
    if (!up && !low)
        return 'n';
    if (up && !low)
        return len == 1 ? 'I' : 'U';
    if (f & GZ_TF_TITLE)
        return 'C';
    if (low && !up)
        return 'l';
    return starts_upper(t, text) ? 'M' : 'm';
}

/* Does the word t end like a regular plural: a lower-case s after a
 * letter that is not s ("Colts", "Jeffersons"; not "Ross", "US", "'s")? */
static int plural_ending(const gz_token *t, const char *text)
{
    size_t n = t->end - t->start - t->poss;
    if (t->kind != GZ_TOK_WORD || t->poss || n < 3)
        return 0;
    const char *w = text + t->start;
    char a = w[n - 2];
    return w[n - 1] == 's' && a != 's' && ((a >= 'a' && a <= 'z') || (unsigned char)a >= 0x80);
}

/* The token whose record starts at offset off of the feature string. */
static size_t token_at(const gz_tstate *st, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->rec_at[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Report rule ri's match in st->md (rc from pcre2_match) to hit. */
static void report(const trule *t, gz_tstate *st, const gz_tokens *tk, size_t ri, int rc,
                   gz_trule_hit hit, void *ctx)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
    size_t a = ov[0], b = ov[1];
    if (t->has_mark) {
        PCRE2_SIZE *g = ov + 2;
        if (rc > 1 && g[0] != PCRE2_UNSET) {
            a = g[0];
            b = g[1];
        } else {
            a = b;
        }
    }
    if (b > a && st->s.data[a] == '|') {
        size_t first = token_at(st, tk->n, a);
        /* the record holding the last byte of the mark */
        size_t lastrec = b - 1;
        while (st->s.data[lastrec] != '|')
            lastrec--;
        hit(ctx, ri, first, token_at(st, tk->n, lastrec));
    }
}

/* Note rule t's stop (rc < 0) in err when it is the first. */
static void stopped(const trule *t, int rc, int failed, gz_error *err)
{
    if (failed)
        return;
    PCRE2_UCHAR m[256];
    if (rc == GZ_RULE_BUDGET_SPENT)
        gz_rule_budget_message(m, sizeof m);
    else
        pcre2_get_error_message(rc, m, sizeof m);
    gz_error_set(err, t->rule.file, t->rule.line, 0, "rule '%s' stopped: %s", t->rule.name,
                 (char *)m);
}

/* Build the feature string in st->s and, per first set of r, the tokens
 * that can start a match of it. */
static void build_records(const gz_trules *r, gz_tstate *st, const gz_tokens *tk,
                          const char *text, const char *typefeat, const uint8_t *marks)
{
    size_t w = width(r);
    st->s.len = 0;
    gz_buf_reserve(&st->s, tk->n * (w + 1) + 8);
    size_t cap = st->cap_rec_at;
    GZ_GROW(st->rec_at, cap, tk->n + 1);
    st->cap_rec_at = cap;
    if (st->nsets < r->nfsets) {
        st->cand = gz_xrealloc(st->cand, r->nfsets * sizeof *st->cand);
        st->ncand = gz_xrealloc(st->ncand, r->nfsets * sizeof *st->ncand);
        st->capcand = gz_xrealloc(st->capcand, r->nfsets * sizeof *st->capcand);
        for (size_t k = st->nsets; k < r->nfsets; k++) {
            st->cand[k] = NULL;
            st->capcand[k] = 0;
        }
        st->nsets = r->nfsets;
    }
    for (size_t k = 0; k < r->nfsets; k++) {
        GZ_GROW(st->cand[k], st->capcand[k], tk->n + 1);
        st->ncand[k] = 0;
    }
    size_t nslots = r->nreqs ? r->ntypes + r->nlits : 0;
    if (st->nslots < nslots) {
        st->slot_tok = gz_xrealloc(st->slot_tok, nslots * sizeof *st->slot_tok);
        st->nslot_tok = gz_xrealloc(st->nslot_tok, nslots * sizeof *st->nslot_tok);
        st->capslot_tok = gz_xrealloc(st->capslot_tok, nslots * sizeof *st->capslot_tok);
        for (size_t k = st->nslots; k < nslots; k++) {
            st->slot_tok[k] = NULL;
            st->capslot_tok[k] = 0;
        }
        st->nslots = nslots;
    }
    for (size_t k = 0; k < nslots; k++)
        st->nslot_tok[k] = 0;
    for (size_t i = 0; i < tk->n; i++) {
        const gz_token *t = &tk->tok[i];
        if (i > 0 && t->gap == GZ_GAP_BREAK)
            gz_buf_addc(&st->s, '#');
        st->rec_at[i] = (uint32_t)st->s.len;
        char *x = st->s.data + st->s.len;
        uint64_t bits[FS_WORDS] = {0};
        x[0] = '|';
        x[1] = shape_of(t, text);
        x[2] = marks[i] & GZ_MK_START ? '^' : '-';
        x[3] = t->poss ? 'P' : '-';
        x[4] = marks[i] & GZ_MK_COMMON ? 'c' : '-';
        x[5] = i > 0 && t->gap == GZ_GAP_HYPHEN ? 'h' : '-';
        x[6] = plural_ending(t, text) ? 's' : '-';
        x[7] = marks[i] & GZ_MK_HEAD ? 'H' : '-';
        bit_add(bits, r->shapebit[(unsigned char)x[1]]);
        const char *tf = typefeat + i * r->ntypes;
        memcpy(x + REC_FIXED, tf, r->ntypes);
        /* most tokens are in no match of a referenced type: eight '-' at
         * a time */
        for (size_t k = 0; k < r->ntypes;) {
            uint64_t v;
            if (k + 8 <= r->ntypes && (memcpy(&v, tf + k, 8), v == 0x2d2d2d2d2d2d2d2dULL)) {
                k += 8;
                continue;
            }
            if (tf[k] != '-') {
                if (tf[k] == 'B')
                    bit_add(bits, NSHAPES + k);
                if (nslots && r->key_slot[k]) {
                    GZ_GROW(st->slot_tok[k], st->capslot_tok[k], st->nslot_tok[k] + 1);
                    st->slot_tok[k][st->nslot_tok[k]++] = i;
                }
            }
            k++;
        }
        const char *key = tk->keys.data + t->key;
        size_t kl = t->keylen;
        char *lx = x + REC_FIXED + r->ntypes;
        memset(lx, '-', r->nlits);
        /* lits are distinct, so at most one is the token's key */
        for (long k = r->lit_first[kl ? (unsigned char)key[0] : 0]; k >= 0; k = r->lit_next[k]) {
            if (r->litlen[k] == kl && memcmp(r->lits[k], key, kl) == 0) {
                lx[k] = 'L';
                bit_add(bits, NSHAPES + r->ntypes + (size_t)k);
                size_t slot = r->ntypes + (size_t)k;
                if (nslots && r->key_slot[slot]) {
                    GZ_GROW(st->slot_tok[slot], st->capslot_tok[slot], st->nslot_tok[slot] + 1);
                    st->slot_tok[slot][st->nslot_tok[slot]++] = i;
                }
                break;
            }
        }
        st->s.len += w;
        /* most tokens (lower-case words) open no rule at all */
        uint64_t some = 0;
        for (size_t b = 0; b < FS_WORDS; b++)
            some |= r->fs_any[b] & bits[b];
        for (size_t k = 0; some && k < r->nfsets; k++) {
            const fset *f = &r->fsets[k];
            uint64_t any = 0;
            for (size_t b = 0; b < FS_WORDS; b++)
                any |= f->b[b] & bits[b];
            if (any)
                st->cand[k][st->ncand[k]++] = i;
        }
    }
    /* preds_ok reads records eight bytes at a time */
    memset(st->s.data + st->s.len, 0, 8);
}

/* Rule ri by one search over the whole feature string. */
static int run_search(const trule *t, gz_tstate *st, const gz_tokens *tk, size_t ri,
                      gz_trule_hit hit, void *ctx)
{
    size_t off = 0;
    while (off < st->s.len) {
        int rc = pcre2_match(t->code, (PCRE2_SPTR)st->s.data, st->s.len, off, 0, st->md,
                             st->ctx.mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            return rc;
        report(t, st, tk, ri, rc, hit, ctx);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
        off = ov[1] > off ? ov[1] : off + 1;
    }
    return 0;
}

/* Does the record at rec meet one of the predicates p[0, np)?  The
 * feature string has eight bytes to spare after its last record. */
static int preds_ok(const gz_trules *r, const fpred *p, size_t np, const char *rec)
{
    for (size_t i = 0; i < np; i++) {
        const fpred *q = &p[i];
        uint32_t w = 0;
        for (; w < q->nw; w++) {
            uint64_t x;
            memcpy(&x, rec + q->off[w], 8);
            if ((x ^ q->val[w]) & q->mask[w])
                break;
        }
        if (w < q->nw)
            continue;
        uint32_t k = 0;
        while (k < q->nrest &&
               (q->rest[k].mask >> r->recbit[(unsigned char)rec[q->rest[k].pos]]) & 1)
            k++;
        if (k == q->nrest)
            return 1;
    }
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Per required token of r, the tokens that can be it. */
static void find_required(const gz_trules *r, gz_tstate *st, const gz_tokens *tk)
{
    if (st->nreq_slots < r->nreqs) {
        st->req_tok = gz_xrealloc(st->req_tok, r->nreqs * sizeof *st->req_tok);
        st->nreq_tok = gz_xrealloc(st->nreq_tok, r->nreqs * sizeof *st->nreq_tok);
        st->capreq_tok = gz_xrealloc(st->capreq_tok, r->nreqs * sizeof *st->capreq_tok);
        for (size_t k = st->nreq_slots; k < r->nreqs; k++) {
            st->req_tok[k] = NULL;
            st->capreq_tok[k] = 0;
        }
        st->nreq_slots = r->nreqs;
    }
    (void)tk;
    for (size_t k = 0; k < r->nreqs; k++) {
        const req *q = &r->reqs[k];
        st->nreq_tok[k] = 0;
        for (uint32_t p = 0; p < q->np; p++) {
            size_t slot = q->p[p].c[q->key[p]].pos - REC_FIXED;
            for (size_t x = 0; x < st->nslot_tok[slot]; x++) {
                size_t i = st->slot_tok[slot][x];
                if (preds_ok(r, &r->req_key[k * MAX_PREDS + p], 1,
                             st->s.data + st->rec_at[i])) {
                    GZ_GROW(st->req_tok[k], st->capreq_tok[k], st->nreq_tok[k] + 1);
                    st->req_tok[k][st->nreq_tok[k]++] = i;
                }
            }
        }
        /* several ways to start: the lists of their slots, in token order */
        if (q->np > 1 && st->nreq_tok[k] > 1) {
            size_t *v = st->req_tok[k], n = 0;
            gz_sort(v, st->nreq_tok[k], sizeof *v, cmp_size);
            for (size_t x = 0; x < st->nreq_tok[k]; x++)
                if (n == 0 || v[n - 1] != v[x])
                    v[n++] = v[x];
            st->nreq_tok[k] = n;
        }
    }
}

/* Rule ri tried only at its candidate tokens, anchored.  It finds what
 * run_search finds: a search from off tries each later record in turn,
 * and \G holds only at off itself.  A token whose record meets none of
 * the rule's first predicates cannot start a match and costs no call. */
static int run_candidates(const gz_trules *r, const trule *t, gz_tstate *st,
                          const gz_tokens *tk, size_t ri, gz_trule_hit hit, void *ctx)
{
    const size_t *cand = st->cand[t->fs];
    size_t ncand = st->ncand[t->fs], j = 0, off = 0;
    size_t at_req[MAX_REQ] = {0};  /* per required token: the next in its list */
    while (off < st->s.len) {
        while (j < ncand && st->rec_at[cand[j]] < off)
            j++;
        if (j == ncand)
            break;
        size_t at = st->rec_at[cand[j]];
        if (t->npreds && !preds_ok(r, t->preds, t->npreds, st->s.data + at)) {
            j++;
            continue;
        }
        /* a token the rule needs, too far away or nowhere after */
        size_t q = 0, i = cand[j];
        while (q < t->nreq) {
            const size_t *list = st->req_tok[t->req[q]];
            size_t nl = st->nreq_tok[t->req[q]];
            while (at_req[q] < nl && list[at_req[q]] < i)
                at_req[q]++;
            if (at_req[q] == nl)
                return 0;
            if (list[at_req[q]] - i > t->req_dist[q])
                break;
            q++;
        }
        if (q < t->nreq) {
            j++;
            continue;
        }
        const pcre2_code *code = at == off ? t->at_start : t->at_next;
        /* one call per candidate: pcre2_match's checks cost as much as
         * a failed attempt, and the JIT entry skips them */
        int rc = t->jit ? pcre2_jit_match(code, (PCRE2_SPTR)st->s.data, st->s.len, at, 0, st->md,
                                          st->ctx.mctx)
                        : pcre2_match(code, (PCRE2_SPTR)st->s.data, st->s.len, at, 0, st->md,
                                      st->ctx.mctx);
        if (rc == PCRE2_ERROR_NOMATCH) {
            j++;
            continue;
        }
        if (rc < 0)
            return rc;
        report(t, st, tk, ri, rc, hit, ctx);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
        off = ov[1] > off ? ov[1] : off + 1;
    }
    return 0;
}

int gz_trules_run(const gz_trules *r, gz_tstate *st, const gz_tokens *tk, const char *text,
                  const char *typefeat, const uint8_t *marks, gz_trule_hit hit, void *ctx,
                  gz_error *err)
{
    if (!r->n || !tk->n)
        return 0;
    build_records(r, st, tk, text, typefeat, marks);
    find_required(r, st, tk);
    int failed = 0;
    for (size_t ri = 0; ri < r->n; ri++) {
        const trule *t = &r->r[ri];
        st->left = gz_rule_budget(st->s.len);
        int rc = t->fs < 0 ? run_search(t, st, tk, ri, hit, ctx)
                           : run_candidates(r, t, st, tk, ri, hit, ctx);
        if (rc < 0)
            stopped(t, rc, failed++, err);
    }
    return failed;
}
