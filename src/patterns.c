/* SPDX-License-Identifier: MIT */
/*
 * patterns.c - pcre2 rules: compile, JIT, limits, per-thread match data.
 *
 * The engine reads rule files and hands each regex rule here; its pattern
 * is taken byte for byte.  Patterns are compiled once with
 * PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, so invalid input bytes
 * never stop matching, and JIT-compiled when the platform allows (silently
 * falling back to the interpreter otherwise).  Every match runs under the
 * limits of rule.h, and every user rule under a budget of
 * steps for the whole text (gz_rule_budget), counted by pcre2's automatic
 * callouts: pcre2's own limits hold per match call (per start position
 * without JIT), which bounds nothing over a text.
 *
 * Most rules look for something rare (an '@', "CVE", "Unit"), and a text
 * without it needs no search at all.  Each pattern keeps the bytes every
 * match contains (need): pcre2's first and last required code units, and
 * the literal characters at the top level of the pattern outside any
 * group, class or repetition that may be absent (top_literals).  A rule
 * stops as soon as one of them does not occur in the rest of the text;
 * rules that need the same byte share one memchr over it.
 *
 * A bundled rule also keeps its alphabet: every byte any consuming part of
 * the pattern (lookarounds aside) can match, when that leaves out most
 * letters (alphabet).  A match then lies inside a run of alphabet bytes at
 * least pcre2's minimum match length long, so the rule is searched only
 * from such runs, with pcre2's offset limit at the last start a run
 * allows.  Rules with one alphabet share its list of runs: a hash or an
 * IPv6 address is a run of hex digits, which ordinary words seldom are.
 */
#include "patterns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* One byte every match contains, in one of two spellings (a letter pcre2
 * may match without case). */
typedef struct need {
    unsigned char b[2];
} need;
#define MAX_NEED 8

typedef struct compiled {
    gz_rule rule;
    pcre2_code *code;
    int jit;
    int counted;            /* compiled with callouts that count its steps */
    need need[MAX_NEED];
    int nneed;
    long alpha;             /* index of its alphabet in gz_patterns, -1 none */
    size_t minlen;          /* pcre2's minimum match length, in characters */
} compiled;

/* A set of bytes. */
typedef struct byteset {
    uint8_t b[32];
} byteset;

/* The runs of bytes of one alphabet in the text being tagged. */
typedef struct runs {
    size_t (*r)[2];         /* [start, end) */
    size_t n, cap;
    int built;
} runs;

struct gz_patterns {
    compiled *rules;
    size_t n, cap;
    byteset *alpha;         /* the distinct alphabets of the rules */
    size_t *alpha_min;      /* the shortest minimum length among their rules */
    size_t nalpha;
    gz_arena *arena;
};

struct gz_pstate {
    pcre2_match_data *md;
    gz_rule_ctx ctx;
    uint64_t left;          /* steps the current rule may still take */
    size_t pos;             /* where the match was at the last step */
    size_t spent_at;        /* where the attempt that spent them started */
    size_t from[256];       /* per byte: where its last search started ... */
    size_t at[256];         /* ... and the next occurrence from there (len: none) */
    runs *runs;             /* per alphabet */
    size_t nruns;
};

/* Charge the running rule for the item about to be tried and for the
 * distance the match moved since the last one: JIT scans a repeated
 * character class (.*+) without any callout, and that scan is the work
 * of a(?=.*+Z).  Stop the rule when its budget is spent. */
static int step(pcre2_callout_block *b, void *data)
{
    gz_pstate *st = data;
    size_t pos = b->current_position;
    uint64_t cost = 1 + (pos > st->pos ? pos - st->pos : st->pos - pos);
    st->pos = pos;
    if (cost > st->left) {
        st->spent_at = b->start_match;
        return GZ_RULE_BUDGET_SPENT;
    }
    st->left -= cost;
    return 0;
}

gz_patterns *gz_patterns_new(void)
{
    gz_patterns *p = gz_xcalloc(1, sizeof *p);
    p->arena = gz_arena_new();
    return p;
}

void gz_patterns_free(gz_patterns *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        pcre2_code_free(p->rules[i].code);
    free(p->rules);
    free(p->alpha);
    free(p->alpha_min);
    gz_arena_free(p->arena);
    free(p);
}

size_t gz_patterns_count(const gz_patterns *p) { return p->n; }
const gz_rule *gz_patterns_rule(const gz_patterns *p, size_t i) { return &p->rules[i].rule; }

static void add_need(compiled *c, unsigned char b, int anycase)
{
    unsigned char o = b;
    if (anycase && b >= 'a' && b <= 'z')
        o = (unsigned char)(b - 'a' + 'A');
    else if (anycase && b >= 'A' && b <= 'Z')
        o = (unsigned char)(b - 'A' + 'a');
    for (int i = 0; i < c->nneed; i++)
        if (c->need[i].b[0] == b && c->need[i].b[1] == o)
            return;
    if (c->nneed < MAX_NEED) {
        c->need[c->nneed].b[0] = b;
        c->need[c->nneed].b[1] = o;
        c->nneed++;
    }
}

/* The index just past the group or class that opens at s[i] ('(' or '['),
 * or 0 when the pattern is one this reader does not follow. */
static size_t skip_nested(const char *s, size_t n, size_t i)
{
    int depth = 0, in_class = 0;
    for (; i < n; i++) {
        char ch = s[i];
        if (ch == '\\') {
            i++;
        } else if (in_class) {
            if (ch == '[' && i + 1 < n && s[i + 1] == ':') {
                const char *e = strstr(s + i, ":]");
                if (!e || (size_t)(e - s) >= n)
                    return 0;
                i = (size_t)(e - s) + 1;
            } else if (ch == ']' && !(s[i - 1] == '[' || (s[i - 1] == '^' && s[i - 2] == '['))) {
                in_class = 0;
                if (!depth)
                    return i + 1;
            }
        } else if (ch == '[') {
            in_class = 1;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return 0;
}

/* ASCII characters at the top level of pattern s, outside groups and
 * classes and not under a quantifier that allows none: every match holds
 * them.  Gives up (adds nothing) on anything it does not follow: a
 * top-level '|', an option setting such as (?i), \Q...\E, escapes other
 * than a few classes and quoted punctuation. */
static void top_literals(compiled *c, const char *s, size_t n)
{
    if (memchr(s, '\0', n))
        return;
    /* \Q...\E, comments and extended mode can hide brackets; a verb such
     * as (*ACCEPT) can end a match early */
    for (size_t i = 0; i + 1 < n; i++) {
        if ((s[i] == '\\' && s[i + 1] == 'Q') || (s[i] == '(' && s[i + 1] == '*'))
            return;
        if (s[i] == '(' && s[i + 1] == '?') {
            size_t k = i + 2;
            if (k < n && s[k] == '#')
                return;
            for (; k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
                             s[k] == '^' || s[k] == '-');
                 k++)
                if (s[k] == 'x')
                    return;
        }
    }
    unsigned char lits[MAX_NEED];
    int nlits = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        int lit = -1;       /* the literal byte this item is, if any */
        if (ch == '(') {
            if (i + 2 < n && s[i + 1] == '?' &&
                ((s[i + 2] >= 'a' && s[i + 2] <= 'z') || (s[i + 2] >= 'A' && s[i + 2] <= 'Z') ||
                 s[i + 2] == '^' || s[i + 2] == '-')) {
                /* (?i) sets options for the rest; (?i:...) is a group */
                size_t k = i + 2;
                while (k < n && s[k] != ')' && s[k] != ':')
                    k++;
                if (k >= n || s[k] == ')')
                    return;
            }
            i = skip_nested(s, n, i);
            if (!i)
                return;
        } else if (ch == '[') {
            i = skip_nested(s, n, i);
            if (!i)
                return;
        } else if (ch == '|' || ch == ')' || ch == '{' || ch == '#') {
            return;
        } else if (ch == '\\') {
            if (i + 1 >= n)
                return;
            unsigned char e = (unsigned char)s[i + 1];
            if (strchr("dDsSwWbBAzZGhHvVRXNK", e) == NULL) {
                if ((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
                    e >= 0x80)
                    return;
                lit = e;
            }
            i += 2;
        } else if (ch >= 0x80) {
            i++;
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
        } else {
            if (!strchr("^$.?*+", ch))
                lit = ch;
            else if (strchr("?*+", ch))
                return; /* a quantifier with nothing before it */
            i++;
        }
        /* the item's quantifier, if any */
        int optional = 0;
        if (i < n && (s[i] == '?' || s[i] == '*')) {
            optional = 1;
            i++;
        } else if (i < n && s[i] == '+') {
            i++;
        } else if (i < n && s[i] == '{') {
            size_t k = i + 1;
            if (k >= n || s[k] < '0' || s[k] > '9')
                return;
            optional = strtoul(s + k, NULL, 10) == 0;
            while (k < n && s[k] != '}')
                k++;
            if (k >= n)
                return;
            i = k + 1;
        }
        if (i < n && (s[i] == '?' || s[i] == '+'))
            i++;  /* lazy or possessive */
        if (lit >= 0 && !optional && nlits < MAX_NEED)
            lits[nlits++] = (unsigned char)lit;
    }
    for (int k = 0; k < nlits; k++)
        add_need(c, lits[k], 0);
}

static void set_add(byteset *a, unsigned c)
{
    a->b[c / 8] |= (uint8_t)(1u << (c % 8));
}

static void set_range(byteset *a, unsigned lo, unsigned hi)
{
    for (unsigned c = lo; c <= hi; c++)
        set_add(a, c);
}

static int set_has(const byteset *a, unsigned char c)
{
    return (a->b[c / 8] >> (c % 8)) & 1;
}

/* Add what the escape at s (just after its backslash) matches to a, in a
 * class or not; returns its length, or 0 when unsure. */
static size_t escape_set(const char *s, size_t n, int in_class, byteset *a)
{
    unsigned char e = (unsigned char)s[0];
    switch (e) {
    case 'd':
        set_range(a, '0', '9');
        set_range(a, 0x80, 0xFF);
        return 1;
    case 'w':
        set_range(a, '0', '9');
        set_range(a, 'A', 'Z');
        set_range(a, 'a', 'z');
        set_add(a, '_');
        set_range(a, 0x80, 0xFF);
        return 1;
    case 's':
    case 'h':
    case 'v':
        set_range(a, '\t', '\r');
        set_add(a, ' ');
        set_range(a, 0x80, 0xFF);
        return 1;
    case 'b':
        if (in_class)
            set_add(a, '\b');
        return 1;
    case 'B': case 'A': case 'z': case 'Z': case 'G':
        return in_class ? 0 : 1;
    case 't':
        set_add(a, '\t');
        return 1;
    case 'n':
        set_add(a, '\n');
        return 1;
    case 'r':
        set_add(a, '\r');
        return 1;
    case 'f':
        set_add(a, '\f');
        return 1;
    case 'x': {
        const char *close = n > 1 && s[1] == '{' ? memchr(s, '}', n) : NULL;
        if (!close)
            return 0;
        unsigned long v = strtoul(s + 2, NULL, 16);
        if (v < 0x80)
            set_add(a, (unsigned)v);
        else
            set_range(a, 0x80, 0xFF);
        return (size_t)(close - s) + 1;
    }
    default:
        if (e < 0x80 && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
                          (e >= 'A' && e <= 'Z'))) {
            set_add(a, e);
            return 1;
        }
        return 0;
    }
}

/* Add the bytes the class at s[i] == '[' matches to a; returns the index
 * past it, or 0 when unsure (a negated class, a POSIX class, a range
 * from an escape). */
static size_t class_set(const char *s, size_t n, size_t i, byteset *a)
{
    i++;
    if (i < n && s[i] == '^')
        return 0;
    int first = 1;
    unsigned prev = 256;    /* the last ASCII character, which may open a range */
    int after_escape = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ']' && !first)
            return i + 1;
        first = 0;
        if (ch == '[' && i + 1 < n && (s[i + 1] == ':' || s[i + 1] == '.' || s[i + 1] == '='))
            return 0;
        if (ch == '-' && i + 1 < n && s[i + 1] != ']' && (prev < 256 || after_escape)) {
            unsigned char hi = (unsigned char)s[i + 1];
            if (after_escape || hi == '\\' || hi == '[')
                return 0;
            if (hi >= 0x80) {
                set_range(a, prev, 0x7F);
                set_range(a, 0x80, 0xFF);
                i++;
                while (i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80)
                    i++;
            } else if (hi >= prev) {
                set_range(a, prev, hi);
            } else {
                return 0;
            }
            prev = 256;
            i += 2;
            continue;
        }
        after_escape = 0;
        prev = 256;
        if (ch == '\\') {
            if (i + 1 >= n)
                return 0;
            size_t len = escape_set(s + i + 1, n - i - 1, 1, a);
            if (!len)
                return 0;
            after_escape = 1;
            i += 1 + len;
            continue;
        }
        if (ch >= 0x80)
            set_range(a, 0x80, 0xFF);
        else {
            set_add(a, ch);
            prev = ch;
        }
        i++;
    }
    return 0;
}

/* The bytes any consuming item of pattern s can match, lookarounds left
 * out, into a.  Returns 0, or -1 when this reader is unsure (verbs,
 * comments, extended mode, recursion, back references, escapes it does
 * not know) or the alphabet holds most letters. */
static int alphabet(const char *s, size_t n, byteset *a)
{
    memset(a, 0, sizeof *a);
    if (memchr(s, '\0', n))
        return -1;
    int caseless = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if ((s[i] == '\\' && (s[i + 1] == 'Q' || s[i + 1] == 'E')) ||
            (s[i] == '(' && s[i + 1] == '*'))
            return -1;
        if (s[i] == '(' && s[i + 1] == '?') {
            size_t k = i + 2;
            if (k < n && strchr("#RC&+-0123456789", s[k]) && !(s[k] == '-' && k + 1 < n &&
                                                               !(s[k + 1] >= '0' && s[k + 1] <= '9')))
                return -1;
            if (k + 1 < n && s[k] == 'P' && (s[k + 1] == '=' || s[k + 1] == '>'))
                return -1;
            for (; k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
                             s[k] == '^' || s[k] == '-');
                 k++) {
                if (s[k] == 'x')
                    return -1;
                if (s[k] == 'i')
                    caseless = 1;
            }
        }
    }
    int look[64];           /* per open group: inside a lookaround */
    int depth = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        int in_look = depth > 0 && look[depth - 1];
        byteset item = {{0}};
        if (ch == '(') {
            if (depth == (int)(sizeof look / sizeof *look))
                return -1;
            int l = in_look;
            i++;
            if (i < n && s[i] == '?') {
                i++;
                if (i < n && (s[i] == '=' || s[i] == '!')) {
                    l = 1;
                    i++;
                } else if (i + 1 < n && s[i] == '<' && (s[i + 1] == '=' || s[i + 1] == '!')) {
                    l = 1;
                    i += 2;
                } else if (i < n && (s[i] == '<' || s[i] == '\'' || s[i] == 'P')) {
                    char close = s[i] == '\'' ? '\'' : '>';
                    while (i < n && s[i] != close)
                        i++;
                    i++;
                } else {
                    /* options, (?: (?| (?> */
                    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                                     s[i] == '^' || s[i] == '-'))
                        i++;
                    if (i < n && (s[i] == ':' || s[i] == '|' || s[i] == '>'))
                        i++;
                }
            }
            look[depth++] = l;
            continue;
        }
        if (ch == ')') {
            if (!depth)
                return -1;
            depth--;
            i++;
            continue;
        }
        if (ch == '|' || ch == '^' || ch == '$' || ch == '?' || ch == '*' || ch == '+') {
            i++;
            continue;
        }
        if (ch == '{' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
            while (i < n && s[i] != '}')
                i++;
            i++;
            continue;
        }
        if (ch == '.')
            return -1;
        if (ch == '[') {
            i = class_set(s, n, i, &item);
            if (!i)
                return -1;
        } else if (ch == '\\') {
            if (i + 1 >= n)
                return -1;
            size_t len = escape_set(s + i + 1, n - i - 1, 0, &item);
            if (!len)
                return -1;
            i += 1 + len;
        } else if (ch >= 0x80) {
            set_range(&item, 0x80, 0xFF);
            i++;
        } else {
            set_add(&item, ch);
            i++;
        }
        if (in_look)
            continue;
        for (size_t k = 0; k < 32; k++)
            a->b[k] |= item.b[k];
    }
    if (depth)
        return -1;
    if (caseless) {
        for (unsigned c = 'a'; c <= 'z'; c++) {
            if (set_has(a, (unsigned char)c) || set_has(a, (unsigned char)(c - 32))) {
                set_add(a, c);
                set_add(a, c - 32);
            }
        }
        /* pcre2 folds some ASCII letters to non-ASCII ones (k, s) */
        set_range(a, 0x80, 0xFF);
    }
    /* ordinary words are runs of letters: an alphabet with most of them
     * finds a run at nearly every word */
    size_t letters = 0;
    for (unsigned c = 'a'; c <= 'z'; c++)
        letters += (size_t)set_has(a, (unsigned char)c) + (size_t)set_has(a, (unsigned char)(c - 32));
    return letters > 26 ? -1 : 0;
}

/* The index of a among p's alphabets, added if new. */
static long alpha_slot(gz_patterns *p, const byteset *a, size_t minlen)
{
    for (size_t i = 0; i < p->nalpha; i++) {
        if (memcmp(&p->alpha[i], a, sizeof *a) == 0) {
            if (minlen < p->alpha_min[i])
                p->alpha_min[i] = minlen;
            return (long)i;
        }
    }
    p->alpha = gz_xrealloc(p->alpha, (p->nalpha + 1) * sizeof *p->alpha);
    p->alpha_min = gz_xrealloc(p->alpha_min, (p->nalpha + 1) * sizeof *p->alpha_min);
    p->alpha[p->nalpha] = *a;
    p->alpha_min[p->nalpha] = minlen;
    return (long)p->nalpha++;
}

/* The bytes every match of c contains (see need). */
static void find_needs(compiled *c, const gz_rule_def *def)
{
    uint32_t type = 0, unit = 0;
    pcre2_pattern_info(c->code, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 1 && pcre2_pattern_info(c->code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
        unit < 256)
        add_need(c, (unsigned char)unit, 1);
    type = 0;
    pcre2_pattern_info(c->code, PCRE2_INFO_LASTCODETYPE, &type);
    if (type == 1 && pcre2_pattern_info(c->code, PCRE2_INFO_LASTCODEUNIT, &unit) == 0 &&
        unit < 256)
        add_need(c, (unsigned char)unit, 1);
    top_literals(c, def->pattern, def->plen);
}

int gz_patterns_add(gz_patterns *p, const gz_rule_def *def, gz_error *err)
{
    int ecode;
    PCRE2_SIZE eoff;
    /* The bundled rules are written to take linear time (see
     * dictionaries/rules/README.md) and run without the count, which
     * would cost three quarters of a run on ordinary text. */
    int counted = def->user;
    byteset alpha;
    int has_alpha = !counted && alphabet(def->pattern, def->plen, &alpha) == 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)def->pattern, def->plen,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
                                         (counted ? PCRE2_AUTO_CALLOUT : 0) |
                                         (has_alpha ? PCRE2_USE_OFFSET_LIMIT : 0),
                                     &ecode, &eoff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ecode, msg, sizeof msg);
        gz_error_set(err, def->file, def->line, 0, "rule '%.100s': pattern error at offset %zu: %s",
                     def->name, (size_t)eoff, (char *)msg);
        return -1;
    }
    GZ_GROW(p->rules, p->cap, p->n + 1);
    compiled *c = &p->rules[p->n++];
    memset(c, 0, sizeof *c);
    c->code = code;
    c->counted = counted;
    c->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    find_needs(c, def);
    c->alpha = -1;
    uint32_t minlen = 0;
    pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
    c->minlen = minlen;
    /* a run of one byte is no filter */
    if (has_alpha && minlen >= 2)
        c->alpha = alpha_slot(p, &alpha, minlen);
    gz_rule_from_def(&c->rule, def, p->arena);
    return 0;
}

gz_pstate *gz_pstate_new(const gz_patterns *p)
{
    gz_pstate *st = gz_xcalloc(1, sizeof *st);
    uint32_t maxpairs = 1;
    for (size_t i = 0; i < p->n; i++) {
        uint32_t cap = 0;
        pcre2_pattern_info(p->rules[i].code, PCRE2_INFO_CAPTURECOUNT, &cap);
        if (cap + 1 > maxpairs)
            maxpairs = cap + 1;
    }
    st->md = pcre2_match_data_create(maxpairs, NULL);
    if (!st->md)
        gz_oom();
    gz_rule_ctx_init(&st->ctx, step, st);
    return st;
}

void gz_pstate_free(gz_pstate *st)
{
    if (!st)
        return;
    pcre2_match_data_free(st->md);
    gz_rule_ctx_free(&st->ctx);
    for (size_t i = 0; i < st->nruns; i++)
        free(st->runs[i].r);
    free(st->runs);
    free(st);
}

/* Does byte b occur in s[off, len)?  Searches start where the last one
 * for b did when its answer still holds. */
static int occurs(gz_pstate *st, const char *s, size_t len, size_t off, unsigned char b)
{
    if (st->from[b] > off || st->at[b] < off) {
        const char *q = off < len ? memchr(s + off, b, len - off) : NULL;
        st->from[b] = off;
        st->at[b] = q ? (size_t)(q - s) : len;
    }
    return st->at[b] < len;
}

/* The runs of alphabet k at least p->alpha_min[k] bytes long in s. */
static const runs *runs_of(const gz_patterns *p, gz_pstate *st, size_t k, const char *s,
                           size_t len)
{
    runs *r = &st->runs[k];
    if (r->built)
        return r;
    r->built = 1;
    r->n = 0;
    const byteset *a = &p->alpha[k];
    size_t min = p->alpha_min[k];
    size_t i = 0;
    while (i + min <= len) {
        /* a run long enough from i covers s[i + min - 1]: when that byte
         * is not in the set, no run starting before it is */
        if (!set_has(a, (unsigned char)s[i + min - 1])) {
            i += min;
            continue;
        }
        size_t b = i + min - 1, e = i + min;
        while (b > i && set_has(a, (unsigned char)s[b - 1]))
            b--;
        while (e < len && set_has(a, (unsigned char)s[e]))
            e++;
        if (e - b >= min) {
            GZ_GROW(r->r, r->cap, r->n + 1);
            r->r[r->n][0] = b;
            r->r[r->n][1] = e;
            r->n++;
        }
        i = e + 1;
    }
    return r;
}

/* Can c still match in s[off, len)? */
static int needs_met(const compiled *c, gz_pstate *st, const char *s, size_t len, size_t off)
{
    for (int i = 0; i < c->nneed; i++) {
        const need *d = &c->need[i];
        if (!occurs(st, s, len, off, d->b[0]) &&
            (d->b[1] == d->b[0] || !occurs(st, s, len, off, d->b[1])))
            return 0;
    }
    return 1;
}

int gz_patterns_run(const gz_patterns *p, gz_pstate *st, const char *text, size_t len,
                    gz_rule_hit hit, void *ctx, gz_error *err)
{
    int failed = 0;
    const char *subject = text ? text : "";
    for (size_t b = 0; b < 256; b++) {
        st->from[b] = SIZE_MAX;
        st->at[b] = 0;
    }
    if (st->nruns < p->nalpha) {
        st->runs = gz_xrealloc(st->runs, p->nalpha * sizeof *st->runs);
        memset(st->runs + st->nruns, 0, (p->nalpha - st->nruns) * sizeof *st->runs);
        st->nruns = p->nalpha;
    }
    for (size_t k = 0; k < st->nruns; k++)
        st->runs[k].built = 0;
    for (size_t i = 0; i < p->n; i++) {
        const compiled *c = &p->rules[i];
        const runs *rn = c->alpha >= 0 ? runs_of(p, st, (size_t)c->alpha, subject, len) : NULL;
        size_t off = 0, k = 0;
        st->left = gz_rule_budget(len);
        while (off <= len && needs_met(c, st, subject, len, off)) {
            size_t from = off;
            if (rn) {
                /* the next run that a match starting at or after off fits in */
                while (k < rn->n && (rn->r[k][1] <= off ||
                                     rn->r[k][1] - (rn->r[k][0] > off ? rn->r[k][0] : off) <
                                         c->minlen))
                    k++;
                if (k == rn->n)
                    break;
                if (rn->r[k][0] > from)
                    from = rn->r[k][0];
                pcre2_set_offset_limit(st->ctx.mctx, rn->r[k][1] - c->minlen);
            }
            st->pos = from;
            int rc = pcre2_match(c->code, (PCRE2_SPTR)subject, len, from, 0, st->md, st->ctx.mctx);
            if (rn)
                pcre2_set_offset_limit(st->ctx.mctx, PCRE2_UNSET);
            if (rc == PCRE2_ERROR_NOMATCH && rn) {
                k++;
                continue;
            }
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0) {
                if (!failed) {
                    PCRE2_UCHAR msg[256];
                    if (rc == GZ_RULE_BUDGET_SPENT) {
                        off = st->spent_at;
                        gz_rule_budget_message(msg, sizeof msg);
                    } else {
                        pcre2_get_error_message(rc, msg, sizeof msg);
                    }
                    gz_error_set(err, c->rule.file, c->rule.line, 0,
                                 "rule '%s' stopped at byte %zu: %s", c->rule.name, off,
                                 (char *)msg);
                }
                failed++;
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
            size_t s = ov[0], e = ov[1];
            if (e > s)
                hit(ctx, i, s, e, (const size_t *)ov, (size_t)rc);
            if (e > off)
                off = e;
            else {
                /* empty match: step over one character */
                off++;
                while (off < len && ((unsigned char)subject[off] & 0xC0) == 0x80)
                    off++;
            }
        }
    }
    return failed;
}

void gz_rule_expand_id(const gz_rule *r, const char *text, const size_t *ov, size_t pairs,
                       gz_buf *out)
{
    const char *t = r->id;
    if (!*t) {
        gz_buf_add(out, text + ov[0], ov[1] - ov[0]);
        return;
    }
    for (; *t; t++) {
        if (*t == '$' && t[1] == '$') {
            gz_buf_addc(out, '$');
            t++;
        } else if (*t == '$' && t[1] >= '0' && t[1] <= '9') {
            size_t g = (size_t)(t[1] - '0');
            if (g < pairs && ov[2 * g] != PCRE2_UNSET)
                gz_buf_add(out, text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
            t++;
        } else {
            gz_buf_addc(out, *t);
        }
    }
}
