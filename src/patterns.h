/* SPDX-License-Identifier: MIT */
/* patterns.h - regex rules (pcre2): compile with UTF, UCP and
 * MATCH_INVALID_UTF, JIT when available, and run them over text under the
 * limits of rule.h, so a pattern that backtracks catastrophically stops
 * with an error instead of hanging.  A gz_patterns set is read-only after
 * loading; each thread runs it through its own gz_pstate. */
#ifndef GZ_PATTERNS_H
#define GZ_PATTERNS_H

#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"
#include "rule.h"

typedef struct gz_patterns gz_patterns;
typedef struct gz_pstate gz_pstate;

gz_patterns *gz_patterns_new(void);
void gz_patterns_free(gz_patterns *p);

/* Compile and keep one regex rule (strings copied).  Returns 0, or -1 with
 * err filled: the rule's file and line, the offset in the pattern and
 * pcre2's message. */
int gz_patterns_add(gz_patterns *p, const gz_rule_def *def, gz_error *err);

size_t gz_patterns_count(const gz_patterns *p);

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

/* Expand rule i's id template for a match into out. */
struct gz_buf;
void gz_rule_expand_id(const gz_rule *r, const char *text, const size_t *ovector,
                       size_t pairs, struct gz_buf *out);

#endif
