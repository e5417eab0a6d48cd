/* SPDX-License-Identifier: MIT */
/* rule.h - what the two kinds of rule share: regex rules (patterns.c) run
 * pcre2 over the bytes of a text, token rules (rules.c) run pcre2 over one
 * feature record per token.  Both take their definition from a row of a
 * rule file (read by the engine), describe themselves with one gz_rule,
 * and run under the same pcre2 limits and the same step budget over a
 * whole text, so that no rule of either kind can take more than linear
 * time or unbounded memory. */
#ifndef GZ_RULE_H
#define GZ_RULE_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"

/* A rule as one row of a rule file gives it (strings borrowed). */
typedef struct gz_rule_def {
    const char *type;
    const char *name;
    const char *pattern;    /* raw: regex syntax, never unescaped */
    size_t plen;
    const char *id;         /* id template, "" for none */
    int priority;
    const char *file;
    long line;
    uint32_t seq;           /* the file's load order */
    int user;               /* from -r, not bundled */
} gz_rule_def;

/* A loaded rule, as the tagger sees it (strings owned by the rule set). */
typedef struct gz_rule {
    const char *type;
    const char *name;
    const char *source;     /* "rule:NAME" */
    const char *id;         /* id template: $0 match, $1..$9 groups, $$ dollar */
    const char *file;
    long line;
    int priority;
    uint32_t seq;           /* file load order */
    int user;               /* from -r */
    int klass;              /* type starts with '_' */
    int context;            /* a token rule that needs words outside its
                             * mention ("@_title < Cap >"): stronger
                             * evidence than the shape of a name alone */
} gz_rule;

/* The match steps one rule may take over a subject of len bytes: so many
 * per byte plus a constant, so the cost of a rule over a whole text is
 * bounded by its length (a pattern cheap per match call can still be
 * quadratic over a text: a(?=.*Z) on a long run of a's), while no text
 * trips it by length alone.  For a regex rule from a user's file, a step
 * is one pattern item tried or one byte the match moved (pcre2's automatic
 * callouts); for a token rule, one iteration of a repetition. */
#define GZ_RULE_STEPS_PER_BYTE 64u
#define GZ_RULE_STEPS_BASE 2000000u
uint64_t gz_rule_budget(size_t len);

/* What a callout returns, and the match call then, when a rule has spent
 * its budget; the message that says so, into buf. */
#define GZ_RULE_BUDGET_SPENT (-1000)
void gz_rule_budget_message(unsigned char *buf, size_t size);

/* The pcre2 limits of every match call of every rule (match steps, heap,
 * recursion depth) and its JIT stack. */
#define GZ_RULE_MATCH_LIMIT 2000000u
#define GZ_RULE_HEAP_LIMIT_KIB 65536u
#define GZ_RULE_DEPTH_LIMIT 100000u
#define GZ_RULE_JIT_STACK_MAX (4u * 1024 * 1024)

/* A thread's match context with those limits, a JIT stack and the callout
 * fn(data) that counts steps.  Aborts when out of memory. */
typedef struct gz_rule_ctx {
    pcre2_match_context *mctx;
    pcre2_jit_stack *jstack;
} gz_rule_ctx;
void gz_rule_ctx_init(gz_rule_ctx *c, int (*fn)(pcre2_callout_block *, void *), void *data);
void gz_rule_ctx_free(gz_rule_ctx *c);

/* Fill r from def, copying its strings into arena a. */
struct gz_arena;
void gz_rule_from_def(gz_rule *r, const gz_rule_def *def, struct gz_arena *a);

#endif
