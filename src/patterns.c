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
 */
#include "patterns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct compiled {
    gz_rule rule;
    pcre2_code *code;
    int jit;
    int counted;            /* compiled with callouts that count its steps */
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

int gz_patterns_run(const gz_patterns *p, gz_pstate *st, const char *text, size_t len,
                    gz_rule_hit hit, void *ctx, gz_error *err)
{
    int failed = 0;
    const char *subject = text ? text : "";
    for (size_t i = 0; i < p->n; i++) {
        const compiled *c = &p->rules[i];
        size_t off = 0;
        st->left = gz_rule_budget(len);
        while (off <= len) {
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
