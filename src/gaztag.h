/* SPDX-License-Identifier: MIT */
/*
 * gaztag.h - the public library API of gaztag, a gazetteer and rule based
 * named-entity tagger.
 *
 * Ownership rule, stated once: every object returned by a *_new or *_load
 * function belongs to the caller and is released with the matching *_free
 * (which accepts NULL).  Strings reachable from a gz_span belong to the engine
 * (dictionary data) or to the tagger (per-document data) and stay valid until
 * the engine is freed or the tagger tags its next document, whichever comes
 * first.  Text always travels as (pointer, length) and may contain NUL bytes.
 *
 * Threads: an engine is built, then frozen; a frozen engine is read-only and
 * may be shared by any number of threads, each with its own gz_tagger.
 */
#ifndef GAZTAG_H
#define GAZTAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GAZTAG_VERSION "0.1.0"

typedef struct gz_engine gz_engine;
typedef struct gz_tagger gz_tagger;

/* What went wrong, for functions that fail: a message, and where applicable
 * the file, line and column (0 when unknown).  Filled by the library, owned
 * by the caller. */
typedef struct gz_error {
    char message[512];
    char file[512];
    long line;
    long column;
} gz_error;

/* One attribute of a dictionary entry (an extra column of its row). */
typedef struct gz_attr {
    const char *key;
    const char *value;
} gz_attr;

/* How a mention was matched: bits of gz_span.how. */
enum {
    GZ_HOW_CASE = 1u << 0,        /* the surface differs in case from the entry */
    GZ_HOW_POSSESSIVE = 1u << 1,  /* a possessive 's was left out of the span */
    GZ_HOW_SPACE = 1u << 2,       /* white space other than one space joined the words */
    GZ_HOW_HYPHEN = 1u << 3,      /* hyphen/space/no-space between parts differ */
    GZ_HOW_PLURAL = 1u << 4,      /* the plural of the entry's last word */
    GZ_HOW_DIACRITICS = 1u << 5,  /* diacritics were folded */
    GZ_HOW_QUOTE = 1u << 6,       /* curly and straight quotes differ */
    GZ_HOW_NFC = 1u << 7          /* the surface was decomposed, not NFC */
};

/* A mention: byte offsets [start, end) into the caller's text, and the entity. */
typedef struct gz_span {
    size_t start, end;
    const char *type;       /* e.g. "ORG" */
    const char *id;         /* entity id, "" when the entry has none */
    const char *name;       /* canonical name */
    const char *source;     /* dictionary stem, "rule:NAME" or "doc:..." */
    const char *matched;    /* the dictionary string that matched, or NULL */
    unsigned how;           /* GZ_HOW_* bits */
    int priority;
    const gz_attr *attrs;   /* the entry's attributes */
    size_t n_attrs;
    const struct gz_span *alts;  /* other candidates for the same span */
    size_t n_alts;
} gz_span;

/* Engine options; zero-initialise, then set what you need. */
typedef struct gz_engine_options {
    int fold_diacritics;    /* fold diacritics for every entry */
    int no_acronyms;        /* do not resolve acronyms defined in the text */
    int no_variants;        /* do not tag later name variants ("Kato") */
    int no_propagation;     /* do not propagate a tagged surface */
} gz_engine_options;

/* Create an empty engine.  opts may be NULL (all defaults) and is copied, so
 * the caller keeps it.  Never returns NULL: out of memory prints a message
 * and aborts.  Safe to call from any thread; engines are independent. */
gz_engine *gz_engine_new(const gz_engine_options *opts);

/* Load a dictionary TSV file (format: gaztag(1), DICTIONARY FORMAT).  path
 * stays the caller's; the engine copies what it keeps.  user != 0 marks a
 * dictionary the user named (it outranks bundled ones; the later one first).
 * Returns 0, or -1 with err filled: the file cannot be read, or the file,
 * line and column of its first malformed row, or the engine is already
 * frozen.  After a failure the engine is still valid and must still be freed
 * (it may keep the rows read before the error).  Building is single-threaded:
 * no other call may use e at the same time. */
int gz_engine_add_dictionary(gz_engine *e, const char *path, int user, gz_error *err);

/* Load a rule file (TSV of type, name, pattern[, id, priority]; gaztag(1),
 * RULE FORMAT).  path and user as for gz_engine_add_dictionary.  Returns 0,
 * or -1 with err filled: the file cannot be read, a malformed row, a pattern
 * pcre2 rejects (file:line, the offset in the pattern, pcre2's message), or
 * the engine is already frozen.  Single-threaded like every building call. */
int gz_engine_add_rules(gz_engine *e, const char *path, int user, gz_error *err);

/* Load a list of ordinary words: one a line in the first tab-separated
 * column, '#' comment lines (the bundled list is lint-common-words.txt).  A
 * one-word name of any type but KEYWORD that is one of these words (or a
 * word of the _function class list) is not found where its capital comes
 * from its place, at the start of a sentence or on a headline ("The",
 * "May", "Bill"), unless the text also writes it capitalised mid-sentence
 * (a function word, never).
 * The lists of several calls add up.  Returns 0, or -1 with err filled: the
 * file cannot be read, a stray carriage return, or the engine is already
 * frozen.  Single-threaded like every building call. */
int gz_engine_add_words(gz_engine *e, const char *path, gz_error *err);

/* Finish building: after this the engine is read-only, no dictionary or
 * rule can be added, and any number of threads may share it through their
 * own taggers.  Call once, from one thread.  Returns 0, or -1 with err
 * filled (the engine must then only be freed). */
int gz_engine_freeze(gz_engine *e, gz_error *err);

/* Release an engine and everything it owns, including every string that
 * spans point to.  Free its taggers first.  Accepts NULL. */
void gz_engine_free(gz_engine *e);

/* Create a tagger over a frozen engine.  A tagger holds one document's
 * working state and is used by one thread at a time; create one per worker
 * thread.  The engine must outlive the tagger.  Reads GAZTAG_ARENA_LIMIT
 * from the environment (see gaztag(1)).  Never returns NULL (out of memory
 * aborts). */
gz_tagger *gz_tagger_new(const gz_engine *e);

/* Release a tagger, and with it the spans of its last document.  Accepts
 * NULL. */
void gz_tagger_free(gz_tagger *t);

/* Tag one whole document text[0, len); text may hold NUL bytes and invalid
 * UTF-8, is only read, and need not outlive the call.  On return *spans points
 * to *n spans sorted by start, with byte offsets into text; the array and its
 * per-document strings belong to the tagger and stay valid until its next
 * gz_tag or gz_tagger_free.  Returns 0 when the document was completely
 * tagged, 1 when it was tagged only in part (a rule hit its match limit; the
 * spans found are still returned and err says which rule), -1 on failure
 * (err filled).  Thread-safe for distinct taggers, even over one engine. */
int gz_tag(gz_tagger *t, const char *text, size_t len,
           const gz_span **spans, size_t *n, gz_error *err);

#ifdef __cplusplus
}
#endif

#endif
