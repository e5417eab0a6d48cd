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
} compiled;

struct gz_patterns {
    compiled *rules;
    size_t n, cap;
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
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)def->pattern, def->plen,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
                                         (counted ? PCRE2_AUTO_CALLOUT : 0),
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
    for (size_t i = 0; i < p->n; i++) {
        const compiled *c = &p->rules[i];
        size_t off = 0;
        st->left = gz_rule_budget(len);
        while (off <= len && needs_met(c, st, subject, len, off)) {
            st->pos = off;
            int rc = pcre2_match(c->code, (PCRE2_SPTR)subject, len, off, 0, st->md, st->ctx.mctx);
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
