/* SPDX-License-Identifier: MIT */
/*
 * patterns.c - pcre2 rules: compile, JIT, limits, per-thread match data.
 *
 * Rule files are TSV (type, name, pattern, optional id and priority).  The
 * pattern column is taken byte for byte.  Patterns are compiled once with
 * PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, so invalid input bytes
 * never stop matching, and JIT-compiled when the platform allows (silently
 * falling back to the interpreter otherwise).  Every match runs under a
 * match limit and a heap limit, and every user rule under a budget of
 * steps for the whole text (gz_rule_budget), counted by pcre2's automatic
 * callouts: pcre2's own limits hold per match call (per start position
 * without JIT), which bounds nothing over a text.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "patterns.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"

#define MATCH_LIMIT 2000000u
#define HEAP_LIMIT_KIB 65536u
#define DEPTH_LIMIT 100000u
#define JIT_STACK_MAX (4u * 1024 * 1024)

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
    uint32_t files;
    gz_trules *tr;          /* rules of kind "tokens" */
};

struct gz_pstate {
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jstack;
    uint64_t left;          /* steps the current rule may still take */
    size_t pos;             /* where the match was at the last step */
    size_t spent_at;        /* where the attempt that spent them started */
};

uint64_t gz_rule_budget(size_t len)
{
    return (uint64_t)len * GZ_RULE_STEPS_PER_BYTE + GZ_RULE_STEPS_BASE;
}

void gz_rule_budget_message(unsigned char *buf, size_t size)
{
    snprintf((char *)buf, size, "step limit for the text exceeded (%u steps a byte)",
             GZ_RULE_STEPS_PER_BYTE);
}

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
    p->tr = gz_trules_new();
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
    gz_trules_free(p->tr);
    free(p);
}

size_t gz_patterns_count(const gz_patterns *p) { return p->n; }
gz_trules *gz_patterns_trules(gz_patterns *p) { return p->tr; }
const gz_trules *gz_patterns_trules_c(const gz_patterns *p) { return p->tr; }
const gz_rule *gz_patterns_rule(const gz_patterns *p, size_t i) { return &p->rules[i].rule; }

enum { C_TYPE, C_NAME, C_PATTERN, C_ID, C_PRIORITY, C_KIND, C_NCOLS };

int gz_patterns_load(gz_patterns *p, const char *path, int user, gz_error *err)
{
    gz_buf data = {0};
    if (gz_read_file(path, &data, err) < 0) {
        gz_buf_free(&data);
        return -1;
    }
    uint32_t seq = p->files++;
    int col[C_NCOLS] = {-1, -1, -1, -1, -1, -1};
    size_t ncols = 0;
    int have_header = 0, rc = 0;
    long lineno = 0;
    const char *s = data.data, *end = data.data + data.len;
    if (data.len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        const char *line = s;
        s = nl ? nl + 1 : end;
        lineno++;
        if (len && line[len - 1] == '\r')
            len--;
        if (len == 0 || line[0] == '#')
            continue;
        const char *f[64];
        size_t fl[64], nf = 0, start = 0;
        for (size_t i = 0; i <= len; i++) {
            if (i == len || line[i] == '\t') {
                if (nf < 64) {
                    f[nf] = line + start;
                    fl[nf] = i - start;
                }
                nf++;
                start = i + 1;
            }
        }
        if (nf > 64) {
            gz_error_set(err, path, lineno, 0, "too many columns");
            rc = -1;
            break;
        }
        if (!have_header) {
            static const char *names[C_NCOLS] = {"type", "name", "pattern", "id", "priority",
                                                 "kind"};
            for (size_t c = 0; c < nf; c++)
                for (int k = 0; k < C_NCOLS; k++)
                    if (fl[c] == strlen(names[k]) && !memcmp(f[c], names[k], fl[c]))
                        col[k] = (int)c;
            if (col[C_TYPE] < 0 || col[C_NAME] < 0 || col[C_PATTERN] < 0) {
                gz_error_set(err, path, lineno, 0,
                             "rule header must name the columns 'type', 'name' and 'pattern'");
                rc = -1;
                break;
            }
            ncols = nf;
            have_header = 1;
            continue;
        }
        if (nf != ncols) {
            gz_error_set(err, path, lineno, 0, "expected %zu fields as in the header, found %zu",
                         ncols, nf);
            rc = -1;
            break;
        }
        if (fl[col[C_TYPE]] == 0 || fl[col[C_NAME]] == 0 || fl[col[C_PATTERN]] == 0) {
            gz_error_set(err, path, lineno, 0, "empty %s",
                         fl[col[C_TYPE]] == 0 ? "type" : fl[col[C_NAME]] == 0 ? "rule name" : "pattern");
            rc = -1;
            break;
        }
        /* Type, name and id become C strings and are printed: a NUL byte
         * would cut them short (an empty type) and invalid UTF-8 would reach
         * the output, so both are refused, as in dictionaries. */
        static const int text_cols[] = {C_TYPE, C_NAME, C_ID};
        static const char *const text_names[] = {"type", "name", "id"};
        const char *bad = NULL;
        for (size_t k = 0; k < 3 && !bad; k++) {
            int c = col[text_cols[k]];
            if (c < 0)
                continue;
            if (memchr(f[c], '\0', fl[c]))
                bad = "NUL byte";
            for (size_t i = 0; i < fl[c] && !bad;) {
                int32_t cp;
                i += gz_utf8_decode((const unsigned char *)f[c] + i, fl[c] - i, &cp);
                if (cp < 0)
                    bad = "invalid UTF-8";
            }
            if (bad) {
                gz_error_set(err, path, lineno, 0, "%s in column '%s'", bad, text_names[k]);
                rc = -1;
            }
        }
        if (bad)
            break;
        long prio = 0;
        if (col[C_PRIORITY] >= 0 && fl[col[C_PRIORITY]]) {
            char tmp[32], *e;
            size_t n = fl[col[C_PRIORITY]];
            if (n >= sizeof tmp) n = sizeof tmp - 1;
            memcpy(tmp, f[col[C_PRIORITY]], n);
            tmp[n] = '\0';
            errno = 0;
            prio = strtol(tmp, &e, 10);
            if (*e || errno || prio > 1000000000 || prio < -1000000000) {
                gz_error_set(err, path, lineno, 0, "priority '%s' is not an integer", tmp);
                rc = -1;
                break;
            }
        }
        int tokens = 0;
        if (col[C_KIND] >= 0) {
            const char *k = f[col[C_KIND]];
            size_t kl = fl[col[C_KIND]];
            if (kl == 6 && !memcmp(k, "tokens", 6))
                tokens = 1;
            else if (!(kl == 0 || (kl == 5 && !memcmp(k, "regex", 5)))) {
                gz_error_set(err, path, lineno, 0, "kind must be 'regex' or 'tokens'");
                rc = -1;
                break;
            }
        }
        if (tokens) {
            char *type = gz_xstrndup(f[col[C_TYPE]], fl[col[C_TYPE]]);
            char *name = gz_xstrndup(f[col[C_NAME]], fl[col[C_NAME]]);
            char *id = col[C_ID] >= 0 ? gz_xstrndup(f[col[C_ID]], fl[col[C_ID]]) : gz_xstrdup("");
            int trc = gz_trules_add(p->tr, type, name, f[col[C_PATTERN]], fl[col[C_PATTERN]], id,
                                    (int)prio, path, lineno, seq, user, err);
            free(type);
            free(name);
            free(id);
            if (trc < 0) {
                rc = -1;
                break;
            }
            continue;
        }
        int ecode;
        PCRE2_SIZE eoff;
        /* The bundled rules are written to take linear time (see
         * dictionaries/rules/README.md) and run without the count, which
         * would cost three quarters of a run on ordinary text. */
        int counted = user;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)f[col[C_PATTERN]], fl[col[C_PATTERN]],
                                         PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
                                             (counted ? PCRE2_AUTO_CALLOUT : 0),
                                         &ecode, &eoff, NULL);
        if (!code) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ecode, msg, sizeof msg);
            gz_error_set(err, path, lineno, 0, "rule '%.*s': pattern error at offset %zu: %s",
                         (int)(fl[col[C_NAME]] > 100 ? 100 : fl[col[C_NAME]]), f[col[C_NAME]],
                         (size_t)eoff, (char *)msg);
            rc = -1;
            break;
        }
        GZ_GROW(p->rules, p->cap, p->n + 1);
        compiled *c = &p->rules[p->n++];
        memset(c, 0, sizeof *c);
        c->code = code;
        c->counted = counted;
        c->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
        gz_rule *r = &c->rule;
        r->type = gz_arena_strndup(p->arena, f[col[C_TYPE]], fl[col[C_TYPE]]);
        r->name = gz_arena_strndup(p->arena, f[col[C_NAME]], fl[col[C_NAME]]);
        size_t sl = fl[col[C_NAME]] + 6;
        char *src = gz_arena_alloc(p->arena, sl);
        snprintf(src, sl, "rule:%s", r->name);
        r->source = src;
        r->id = col[C_ID] >= 0 ? gz_arena_strndup(p->arena, f[col[C_ID]], fl[col[C_ID]]) : "";
        r->file = gz_arena_strndup(p->arena, path, strlen(path));
        r->line = lineno;
        r->priority = (int)prio;
        r->seq = seq;
        r->user = user;
        r->klass = r->type[0] == '_';
    }
    if (rc == 0 && !have_header) {
        gz_error_set(err, path, lineno ? lineno : 1, 0, "no header row");
        rc = -1;
    }
    gz_buf_free(&data);
    return rc;
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
    st->mctx = pcre2_match_context_create(NULL);
    if (!st->md || !st->mctx)
        gz_oom();
    pcre2_set_match_limit(st->mctx, MATCH_LIMIT);
    pcre2_set_heap_limit(st->mctx, HEAP_LIMIT_KIB);
    pcre2_set_depth_limit(st->mctx, DEPTH_LIMIT);
    pcre2_set_callout(st->mctx, step, st);
    st->jstack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
    if (st->jstack)
        pcre2_jit_stack_assign(st->mctx, NULL, st->jstack);
    return st;
}

void gz_pstate_free(gz_pstate *st)
{
    if (!st)
        return;
    pcre2_match_data_free(st->md);
    pcre2_match_context_free(st->mctx);
    pcre2_jit_stack_free(st->jstack);
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
            int rc = pcre2_match(c->code, (PCRE2_SPTR)subject, len, off, 0, st->md, st->mctx);
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
