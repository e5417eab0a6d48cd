/* SPDX-License-Identifier: MIT */
/*
 * rule.c - the limits and metadata that regex rules and token rules share
 * (see rule.h).  One place sets the pcre2 limits, so both kinds of rule
 * stop at the same bounds.
 */
#include "rule.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

uint64_t gz_rule_budget(size_t len)
{
    return (uint64_t)len * GZ_RULE_STEPS_PER_BYTE + GZ_RULE_STEPS_BASE;
}

void gz_rule_budget_message(unsigned char *buf, size_t size)
{
    snprintf((char *)buf, size, "step limit for the text exceeded (%u steps a byte)",
             GZ_RULE_STEPS_PER_BYTE);
}

void gz_rule_ctx_init(gz_rule_ctx *c, int (*fn)(pcre2_callout_block *, void *), void *data)
{
    c->mctx = pcre2_match_context_create(NULL);
    if (!c->mctx)
        gz_oom();
    pcre2_set_match_limit(c->mctx, GZ_RULE_MATCH_LIMIT);
    pcre2_set_heap_limit(c->mctx, GZ_RULE_HEAP_LIMIT_KIB);
    pcre2_set_depth_limit(c->mctx, GZ_RULE_DEPTH_LIMIT);
    pcre2_set_callout(c->mctx, fn, data);
    /* without a JIT stack of its own a pattern runs on pcre2's 32 KiB one */
    c->jstack = pcre2_jit_stack_create(32 * 1024, GZ_RULE_JIT_STACK_MAX, NULL);
    if (c->jstack)
        pcre2_jit_stack_assign(c->mctx, NULL, c->jstack);
}

void gz_rule_ctx_free(gz_rule_ctx *c)
{
    pcre2_match_context_free(c->mctx);
    pcre2_jit_stack_free(c->jstack);
    memset(c, 0, sizeof *c);
}

void gz_rule_from_def(gz_rule *r, const gz_rule_def *def, gz_arena *a)
{
    memset(r, 0, sizeof *r);
    r->type = gz_arena_strndup(a, def->type, strlen(def->type));
    r->name = gz_arena_strndup(a, def->name, strlen(def->name));
    size_t sl = strlen(def->name) + 6;
    char *src = gz_arena_alloc(a, sl);
    snprintf(src, sl, "rule:%s", r->name);
    r->source = src;
    r->id = gz_arena_strndup(a, def->id, strlen(def->id));
    r->file = gz_arena_strndup(a, def->file, strlen(def->file));
    r->line = def->line;
    r->priority = def->priority;
    r->seq = def->seq;
    r->user = def->user;
    r->klass = r->type[0] == '_';
}
