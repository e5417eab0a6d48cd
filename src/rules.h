/* SPDX-License-Identifier: MIT */
/* rules.h - rules over token classes.  A token pattern names token shapes
 * (Cap, Upper, Lower, Mixed, InCap, Capital,
 * Init, Num, Punct, CJK, Word, Any) and marks
 * (Start: first word of a sentence; Poss: ends in a possessive 's; Common:
 * a capitalised word the text also uses in lower case; Hyph: joined to the
 * word before by a hyphen or dash; Plural: ends in a lower-case s after a
 * letter other than s; Head: on a headline line),
 * dictionary types (@_given_name, @_title, @PERSON: one dictionary match of
 * that type, possibly several tokens long), literal words ("of"),
 * conjunctions of single-token features ([Cap @_given_name !Start]),
 * grouping, alternation, the quantifiers ? * + {m,n} (at most 32 repeats),
 * and < > around the part that becomes the mention.  Patterns are translated into pcre2
 * regular expressions over a string with one fixed-width feature record per
 * token, so pcre2 does the matching and every match maps back to a token
 * range, hence to byte offsets in the original text.  Build (add, freeze),
 * then share read-only; each thread matches through its own gz_tstate. */
#ifndef GZ_RULES_H
#define GZ_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"
#include "rule.h"
#include "tokenize.h"

typedef struct gz_trules gz_trules;
typedef struct gz_tstate gz_tstate;

gz_trules *gz_trules_new(void);
void gz_trules_free(gz_trules *r);

/* Check and keep a token rule; it is compiled by gz_trules_freeze.  The
 * strings are copied.  Returns 0, or -1 with err filled (file:line and the
 * offset in the pattern). */
int gz_trules_add(gz_trules *r, const gz_rule_def *def, gz_error *err);

/* Compile every rule.  Returns 0, or -1 with err filled. */
int gz_trules_freeze(gz_trules *r, gz_error *err);

size_t gz_trules_count(const gz_trules *r);

/* The rule's metadata (shared layout with regex rules). */
const gz_rule *gz_trules_rule(const gz_trules *r, size_t i);

/* The dictionary types the rules refer to, in feature order. */
size_t gz_trules_ntypes(const gz_trules *r);
const char *gz_trules_type(const gz_trules *r, size_t k);

gz_tstate *gz_tstate_new(const gz_trules *r);
void gz_tstate_free(gz_tstate *st);

/* Called for each match: the rule, and the first and last token of the
 * mention (inclusive). */
typedef void (*gz_trule_hit)(void *ctx, size_t rule, size_t first, size_t last);

/* Run every rule over the tokens of text.  typefeat holds, for each token i
 * and referenced type k, typefeat[i * ntypes + k]: 'B' where a dictionary
 * match of that type begins, 'I' inside one, '-' otherwise.  Returns the
 * number of rules that stopped at a limit (err says which).  marks[i] holds
 * token i's GZ_MK_* bits (tokenize.h: gz_token_marks, plus GZ_MK_COMMON). */
int gz_trules_run(const gz_trules *r, gz_tstate *st, const gz_tokens *tk, const char *text,
                  const char *typefeat, const uint8_t *marks, gz_trule_hit hit, void *ctx,
                  gz_error *err);

#endif
