/* SPDX-License-Identifier: MIT */
/* gazetteer.h - dictionary TSV files compiled into hash tables.
 *
 * Every name and alias is normalised (see normalize.h) and tokenised; its key
 * is the concatenation of its token keys with separators left out, so
 * "cyber-attack", "cyber attack" and "cyberattack" share one key.  Keys live
 * in one uthash table; the entries sharing a key form a chain of forms, so a
 * name in several dictionaries is kept, never overwritten.  A Bloom filter of
 * every key prefix that ends at a token boundary lets the tagger stop
 * extending a candidate as soon as no name can continue it.  Build, then
 * freeze: after gz_gaz_freeze the gazetteer is read-only and thread-safe. */
#ifndef GZ_GAZETTEER_H
#define GZ_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"

typedef struct gz_gazetteer gz_gazetteer;

enum gz_case_policy { GZ_CASE_SMART, GZ_CASE_EXACT, GZ_CASE_FOLDALL };

/* Case shape of a dictionary string. */
enum gz_shape { GZ_SHAPE_UNCASED, GZ_SHAPE_ALLCAPS, GZ_SHAPE_LOWER, GZ_SHAPE_MIXED };

typedef struct gz_entry {
    const char *type, *id, *name;
    const gz_attr *attrs;
    uint32_t n_attrs;
    uint32_t source;        /* index of the dictionary file */
    uint32_t row;           /* line number in that file */
    int32_t priority;
    uint8_t casepol;        /* enum gz_case_policy */
    uint8_t fold;           /* fold diacritics */
    uint8_t klass;          /* type starts with '_': for rules, not printed */
    uint8_t plural;         /* role keyword or a class list: the plural of
                               the last word matches (set at freeze) */
    uint8_t role;           /* enum gz_role of its type (set at freeze) */
} gz_entry;

#define GZ_NO_FORM UINT32_MAX

typedef struct gz_form {
    uint32_t entry;
    uint32_t next;          /* next form with the same key, or GZ_NO_FORM */
    const char *text;       /* the name or alias as written */
    uint8_t shape;          /* enum gz_shape */
    uint8_t ntok;
    uint8_t titled;         /* every cased word is in title case ("New York") */
    uint8_t spare[5];
} gz_form;

typedef struct gz_source {
    const char *path;
    const char *stem;       /* printed in the source column */
    int user;               /* named with -d */
    uint32_t seq;           /* load order */
} gz_source;

/* A problem found while reading a dictionary.  Returning nonzero from the
 * callback stops loading. */
typedef int (*gz_problem_fn)(void *ctx, const char *file, long line, long column,
                             const char *message);

/* Options for building. */
enum { GZ_GAZ_FOLD_DIACRITICS = 1 };

gz_gazetteer *gz_gaz_new(unsigned flags);
void gz_gaz_free(gz_gazetteer *g);

/* Load one dictionary file.  Without a problem callback the first malformed
 * row fails the load: -1 with err filled (file, line, column).  With one,
 * each problem is passed to it and the row skipped; the load returns -1 only
 * if the file cannot be read or the callback asked to stop. */
int gz_gaz_load(gz_gazetteer *g, const char *path, int user, gz_problem_fn cb,
                void *ctx, gz_error *err);

/* Add one entry from memory (gz_engine_add_entry): every such entry belongs
 * to one user source with the stem "entries".  Returns 0, or -1 with err
 * filled and g unchanged. */
int gz_gaz_add_entry(gz_gazetteer *g, const char *name, const char *type, const char *id,
                     const char *const *aliases, size_t n_aliases, const gz_attr *attrs,
                     size_t n_attrs, int priority, gz_error *err);

/* Build the prefix filter; afterwards the gazetteer is read-only. */
/* Freeze, giving every entry the role of its type (roles may be NULL). */
struct gz_roles;
void gz_gaz_freeze(gz_gazetteer *g, const struct gz_roles *roles);

/* The 64-bit key hash, computed incrementally over key bytes. */
#define gz_key_hash(h, s, n) gz_fnv1a((h), (s), (n))

/* May a key with hash h (of a prefix ending at a token boundary) start some
 * name?  False positives possible, false negatives not. */
int gz_gaz_maybe_prefix(const gz_gazetteer *g, uint64_t h);

/* The same test among the names that can match where their first word is
 * written all in lower case (lower-case keywords, case-folded entries): a
 * match starting at a lower-case word needs only this smaller filter. */
int gz_gaz_maybe_lower_prefix(const gz_gazetteer *g, uint64_t h);

/* First form for key[0, len) with hash h, or GZ_NO_FORM. */
uint32_t gz_gaz_find(const gz_gazetteer *g, const char *key, size_t len, uint64_t h);

const gz_form *gz_gaz_form(const gz_gazetteer *g, uint32_t i);
const gz_entry *gz_gaz_entry(const gz_gazetteer *g, uint32_t i);
size_t gz_gaz_entry_count(const gz_gazetteer *g);
const gz_source *gz_gaz_source(const gz_gazetteer *g, uint32_t i);
size_t gz_gaz_source_count(const gz_gazetteer *g);
int gz_gaz_max_tokens(const gz_gazetteer *g);
int gz_gaz_has_fold(const gz_gazetteer *g);     /* any entry folds diacritics */
int gz_gaz_has_plural(const gz_gazetteer *g);   /* any entry whose plural matches */
size_t gz_gaz_memory(const gz_gazetteer *g);    /* approximate bytes held */

/* Call fn for every (key, form) pair, for lint.  Not thread-safe with loads. */
void gz_gaz_each_key(const gz_gazetteer *g,
                     void (*fn)(void *ctx, const char *key, size_t keylen, uint32_t first),
                     void *ctx);

#endif
