/* SPDX-License-Identifier: MIT */
/* gazetteer.h - dictionary TSV files compiled into hash tables.
 *
 * Every name and alias is normalised (see normalize.h) and tokenised; its key
 * is the concatenation of its token keys with separators left out, so
 * "cyber-attack", "cyber attack" and "cyberattack" share one key.  Keys live
 * in one open-addressing hash table; the entries sharing a key form a chain
 * of forms, so a name in several dictionaries is kept, never overwritten.  A
 * Bloom filter of every key prefix that ends at a token boundary lets the
 * tagger stop extending a candidate as soon as no name can continue it, and
 * says in the same word whether the prefix may be a whole key worth looking
 * up.  Build, then
 * freeze: after gz_gaz_freeze the gazetteer is read-only and thread-safe.
 *
 * Every table is a flat array of fixed-size records that refer to each other
 * by index and to strings by offset into one string pool, never by pointer:
 * the frozen tables can be written to a file as they are and used in place
 * from a mapping of it (image.h).  The accessors below check every index and
 * offset they follow, so tables read from a damaged file are never read out
 * of bounds: a bad index reads as an empty record. */
#ifndef GZ_GAZETTEER_H
#define GZ_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"

typedef struct gz_gazetteer gz_gazetteer;

enum gz_case_policy { GZ_CASE_SMART, GZ_CASE_EXACT, GZ_CASE_FOLDALL };

/* Case shape of a dictionary string. */
enum gz_shape { GZ_SHAPE_UNCASED, GZ_SHAPE_ALLCAPS, GZ_SHAPE_LOWER, GZ_SHAPE_MIXED };

/* The records are stored in image files as they are: fixed-size fields only,
 * no pointers, no padding left to chance. */
typedef struct gz_entry {
    uint32_t type, id, name;    /* string offsets (gz_gaz_str) */
    uint32_t attrs;             /* index of the first attribute */
    uint32_t n_attrs;
    uint32_t source;            /* index of the dictionary file */
    uint32_t row;               /* line number in that file */
    int32_t priority;
    uint8_t casepol;            /* enum gz_case_policy */
    uint8_t fold;               /* fold diacritics */
    uint8_t klass;              /* type starts with '_': for rules, not printed */
    uint8_t plural;             /* role keyword or a class list: the plural of
                                   the last word matches (set at freeze) */
    uint8_t role;               /* enum gz_role of its type (set at freeze) */
    uint8_t spare[3];
} gz_entry;

#define GZ_NO_FORM UINT32_MAX

typedef struct gz_form {
    uint32_t entry;
    uint32_t next;              /* next form with the same key (a smaller index), or GZ_NO_FORM */
    uint32_t text;              /* the name or alias as written; the entry's name offset for the name */
    uint8_t shape;              /* enum gz_shape */
    uint8_t ntok;
    uint8_t titled;             /* every cased word is in title case ("New York") */
    uint8_t spare;
} gz_form;

typedef struct gz_source {
    uint32_t path;              /* string offsets */
    uint32_t stem;              /* printed in the source column */
    uint32_t user;              /* named with -d */
    uint32_t seq;               /* load order */
    uint64_t size;              /* the file as it was read: size and */
    int64_t mtime_sec;          /* modification time, so that an image */
    int64_t mtime_nsec;         /* built from it can tell it is current */
} gz_source;

typedef struct gz_attr_rec {
    uint32_t key, value;        /* string offsets */
} gz_attr_rec;

typedef struct gz_key {
    uint32_t key;               /* string offset of the key bytes */
    uint32_t keylen;
    uint32_t first;             /* first form, or GZ_NO_FORM */
} gz_key;

/* A problem found while reading a dictionary.  Returning nonzero from the
 * callback stops loading. */
typedef int (*gz_problem_fn)(void *ctx, const char *file, long line, long column,
                             const char *message);

/* Options for building. */
enum { GZ_GAZ_FOLD_DIACRITICS = 1 };

gz_gazetteer *gz_gaz_new(unsigned flags);
void gz_gaz_free(gz_gazetteer *g);

/* The load order (gz_source.seq) of the next dictionary loaded; by default
 * the number of dictionaries loaded so far. */
void gz_gaz_set_next_seq(gz_gazetteer *g, uint32_t seq);

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

/* Give every entry the role of its type (roles may be NULL: none) and
 * build the prefix filter; afterwards the gazetteer is read-only.  An image
 * keeps the roles its entries had when it was compiled. */
struct gz_roles;
void gz_gaz_freeze(gz_gazetteer *g, const struct gz_roles *roles);

/* The 64-bit key hash, computed incrementally over key bytes. */
#define gz_key_hash(h, s, n) gz_fnv1a((h), (s), (n))

/* May a key with hash h (of a prefix ending at a token boundary) start some
 * name (GZ_MAYBE_PREFIX), and may it be a whole name's key as well
 * (GZ_MAYBE_KEY: worth a look-up)?  0 when neither.  False positives
 * possible, false negatives not. */
enum { GZ_MAYBE_PREFIX = 1, GZ_MAYBE_KEY = 2 };
int gz_gaz_maybe_prefix(const gz_gazetteer *g, uint64_t h);

/* The same test among the names that can match where their first word is
 * written all in lower case (lower-case keywords, case-folded entries): a
 * match starting at a lower-case word needs only this smaller filter. */
int gz_gaz_maybe_lower_prefix(const gz_gazetteer *g, uint64_t h);

/* First form for key[0, len) with hash h, or GZ_NO_FORM. */
uint32_t gz_gaz_find(const gz_gazetteer *g, const char *key, size_t len, uint64_t h);

/* Records by index; an index out of range gives an empty record (no
 * entry, no text, no next form). */
const gz_form *gz_gaz_form(const gz_gazetteer *g, uint32_t i);
const gz_entry *gz_gaz_entry(const gz_gazetteer *g, uint32_t i);
const gz_source *gz_gaz_source(const gz_gazetteer *g, uint32_t i);

/* The form after form i with the same key, or GZ_NO_FORM.  Chains only go
 * to smaller indices, so a walk always ends. */
uint32_t gz_gaz_next(const gz_gazetteer *g, uint32_t i);

/* The NUL-terminated string at offset off of the pool ("" when out of
 * range). */
const char *gz_gaz_str(const gz_gazetteer *g, uint32_t off);

/* The number of attributes of entry e (0 when its range is out of bounds),
 * and the n-th of them as strings: 0, or -1 when out of range. */
uint32_t gz_gaz_attr_count(const gz_gazetteer *g, const gz_entry *e);
int gz_gaz_attr(const gz_gazetteer *g, const gz_entry *e, uint32_t n, const char **key,
                const char **value);

size_t gz_gaz_entry_count(const gz_gazetteer *g);
size_t gz_gaz_source_count(const gz_gazetteer *g);
int gz_gaz_max_tokens(const gz_gazetteer *g);
int gz_gaz_has_fold(const gz_gazetteer *g);     /* any entry folds diacritics */
int gz_gaz_has_plural(const gz_gazetteer *g);   /* any entry whose plural matches */
unsigned gz_gaz_flags(const gz_gazetteer *g);   /* the GZ_GAZ_* flags it was built with */
size_t gz_gaz_memory(const gz_gazetteer *g);    /* approximate bytes held */

/* The frozen tables, as arrays: what an image file holds. */
typedef struct gz_gaz_tables {
    const char *pool;
    uint64_t pool_len;          /* bytes; the pool starts and ends with NUL */
    const gz_key *keys;
    uint64_t n_keys;
    const uint64_t *slots;      /* hash tag << 32 | (key index + 1), 0 empty */
    uint64_t n_slots;           /* a power of two, or 0 */
    const gz_entry *entries;
    uint64_t n_entries;
    const gz_form *forms;
    uint64_t n_forms;
    const gz_source *sources;
    uint64_t n_sources;
    const gz_attr_rec *attrs;
    uint64_t n_attrs;
    const uint64_t *bloom, *lbloom;  /* prefix filters: all names, lower-case starts */
    uint64_t bloom_words, lbloom_words;  /* powers of two */
    uint32_t flags, max_tokens, has_fold, has_plural;
} gz_gaz_tables;

/* Fill t with views of frozen g's tables (valid while g lives). */
void gz_gaz_get_tables(const gz_gazetteer *g, gz_gaz_tables *t);

/* A frozen, read-only gazetteer over tables held elsewhere (an image file's
 * mapping).  Checks what can be checked without reading the tables: sizes,
 * powers of two, the pool's terminating NUL; the rest is checked on use.
 * release(ctx) is called by gz_gaz_free.  NULL with err filled (message
 * only) when the tables are inconsistent. */
gz_gazetteer *gz_gaz_from_tables(const gz_gaz_tables *t, void (*release)(void *ctx),
                                 void *ctx, gz_error *err);

/* Call fn for every (key, form) pair, for lint.  Not thread-safe with loads. */
void gz_gaz_each_key(const gz_gazetteer *g,
                     void (*fn)(void *ctx, const char *key, size_t keylen, uint32_t first),
                     void *ctx);

#endif
