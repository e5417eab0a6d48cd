/* SPDX-License-Identifier: MIT */
/* patterns.h - regex rules (pcre2): load rule files, compile with UTF, UCP
 * and MATCH_INVALID_UTF, JIT when available, and run them over text with
 * match and heap limits, so a pattern that backtracks catastrophically stops
 * with an error instead of hanging.  A gz_patterns set is read-only after
 * loading; each thread runs it through its own gz_pstate. */
#ifndef GZ_PATTERNS_H
#define GZ_PATTERNS_H

#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"

typedef struct gz_patterns gz_patterns;
typedef struct gz_pstate gz_pstate;

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
} gz_rule;

gz_patterns *gz_patterns_new(void);
void gz_patterns_free(gz_patterns *p);

/* Load a rule file: columns type, name, pattern, optional id, priority and
 * kind (regex, the default, or tokens: see rules.h).  Returns 0, or -1 with err filled: file and line of the
 * bad row; for a pattern that does not compile, its offset and pcre2's
 * message. */
int gz_patterns_load(gz_patterns *p, const char *path, int user, gz_error *err);

size_t gz_patterns_count(const gz_patterns *p);

/* The rules of kind "tokens" (see rules.h), loaded from the same files. */
struct gz_trules;
struct gz_trules *gz_patterns_trules(gz_patterns *p);
const struct gz_trules *gz_patterns_trules_c(const gz_patterns *p);
const gz_rule *gz_patterns_rule(const gz_patterns *p, size_t i);

/* Per-thread matching state over a loaded set.  Never returns NULL. */
gz_pstate *gz_pstate_new(const gz_patterns *p);
void gz_pstate_free(gz_pstate *st);

/* Called for each match: rule index, byte range, and the group offsets
 * (ovector pairs, PCRE2_UNSET for unset groups) for id templates. */
typedef void (*gz_rule_hit)(void *ctx, size_t rule, size_t start, size_t end,
                            const size_t *ovector, size_t pairs);

/* Run every rule over text[0, len).  Returns the number of rules that
 * stopped early (match or heap limit, or another matching error); for the
 * first of them err says which rule and why.  Matches found before a rule
 * stopped are still reported. */
int gz_patterns_run(const gz_patterns *p, gz_pstate *st, const char *text, size_t len,
                    gz_rule_hit hit, void *ctx, gz_error *err);

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

/* Expand rule i's id template for a match into out. */
struct gz_buf;
void gz_rule_expand_id(const gz_rule *r, const char *text, const size_t *ovector,
                       size_t pairs, struct gz_buf *out);

#endif
