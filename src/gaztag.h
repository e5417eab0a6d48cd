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
 *
 * Binary compatibility: libgaztag.so.0 exports exactly the functions declared
 * here.  Spans are opaque (read through the gz_span_* accessors), options
 * carry their own size, and gz_error and gz_attr keep their layout for as
 * long as the soname is libgaztag.so.0.  Adding a function or an option keeps
 * the soname; removing or changing one bumps it.
 */
#ifndef GAZTAG_H
#define GAZTAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GAZTAG_VERSION "0.2.0"

/* Marks the functions libgaztag.so exports; everything else in the library
 * is built with hidden visibility. */
#if defined(__GNUC__) && __GNUC__ >= 4
#define GZ_API __attribute__((visibility("default")))
#else
#define GZ_API
#endif

typedef struct gz_engine gz_engine;
typedef struct gz_tagger gz_tagger;
typedef struct gz_span gz_span;

/* What went wrong, for functions that fail: a message, and where applicable
 * the file, line and column (0 when unknown).  Filled by the library, owned
 * by the caller.  Its layout is fixed for soname libgaztag.so.0. */
typedef struct gz_error {
    char message[512];
    char file[512];
    long line;
    long column;
} gz_error;

/* One attribute of a dictionary entry (an extra column of its row).  Its
 * layout is fixed for soname libgaztag.so.0. */
typedef struct gz_attr {
    const char *key;
    const char *value;
} gz_attr;

/* How a mention was matched: the bits gz_span_how returns. */
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

/* A mention (gz_span, opaque): byte offsets [start, end) into the caller's
 * text, and the entity.  gz_tag returns them as an array whose element size
 * is private: reach the i-th with gz_span_at.  Every accessor reads only and
 * is thread-safe; strings follow the ownership rule above. */
GZ_API const gz_span *gz_span_at(const gz_span *spans, size_t i);
GZ_API size_t gz_span_start(const gz_span *s);
GZ_API size_t gz_span_end(const gz_span *s);
GZ_API const char *gz_span_type(const gz_span *s);     /* e.g. "ORG" */
GZ_API const char *gz_span_id(const gz_span *s);       /* "" when the entry has none */
GZ_API const char *gz_span_name(const gz_span *s);     /* canonical name */
/* The dictionary's file stem, "entries" for gz_engine_add_entry,
 * "rule:NAME" or "doc:..." */
GZ_API const char *gz_span_source(const gz_span *s);
/* The dictionary string that matched, or NULL (rules, passes). */
GZ_API const char *gz_span_matched(const gz_span *s);
GZ_API unsigned gz_span_how(const gz_span *s);          /* GZ_HOW_* bits */
GZ_API int gz_span_priority(const gz_span *s);
/* The entry's attributes: count, and the i-th (i < count). */
GZ_API size_t gz_span_attr_count(const gz_span *s);
GZ_API const gz_attr *gz_span_attr(const gz_span *s, size_t i);
/* The other candidates for the same text (none of them has alternatives of
 * its own): count, and the i-th (i < count). */
GZ_API size_t gz_span_alt_count(const gz_span *s);
GZ_API const gz_span *gz_span_alt(const gz_span *s, size_t i);
/* Was s set aside by resolution because a longer mention covers (or crosses)
 * it?  Only with the engine option overlapping. */
GZ_API int gz_span_covered(const gz_span *s);
/* The document-context rule that chose this reading ("context: City,
 * State"; gaztag(1), CONTEXT), or NULL when none did. */
GZ_API const char *gz_span_why(const gz_span *s);

/* Engine options, versioned by their leading size: start from
 * GZ_ENGINE_OPTIONS_INIT (or set size to sizeof(gz_engine_options)), then set
 * what you need.  Options added later go at the end; the library reads only
 * the fields that size covers.  size 0 (a zero-initialised struct) stands for
 * the first layout: the four fields below. */
typedef struct gz_engine_options {
    size_t size;
    int fold_diacritics;    /* fold diacritics for every entry */
    int no_acronyms;        /* do not resolve acronyms defined in the text */
    int no_variants;        /* do not tag later name variants ("Kato") */
    int no_propagation;     /* do not propagate a tagged surface */
    int overlapping;        /* also return the mentions resolution set aside
                               (gz_span_covered), sorted among the others */
    int no_context;         /* decide every mention alone: no document
                               context (gaztag(1), CONTEXT) */
} gz_engine_options;

#define GZ_ENGINE_OPTIONS_INIT { sizeof(gz_engine_options), 0, 0, 0, 0, 0, 0 }

/* Create an empty engine.  opts may be NULL (all defaults) and is copied, so
 * the caller keeps it.  Never returns NULL: out of memory prints a message
 * and aborts.  Safe to call from any thread; engines are independent. */
GZ_API gz_engine *gz_engine_new(const gz_engine_options *opts);

/* Load a dictionary TSV file (format: gaztag(1), DICTIONARY FORMAT).  path
 * stays the caller's; the engine copies what it keeps.  user != 0 marks a
 * dictionary the user named (it outranks bundled ones; the later one first).
 * Returns 0, or -1 with err filled: the file cannot be read, or the file,
 * line and column of its first malformed row, or the engine is already
 * frozen.  After a failure the engine is still valid and must still be freed
 * (it may keep the rows read before the error).  Building is single-threaded:
 * no other call may use e at the same time. */
GZ_API int gz_engine_add_dictionary(gz_engine *e, const char *path, int user, gz_error *err);

/* Add the dictionaries compiled into an image file by `gaztag compile`
 * (gaztag(1), IMAGES).  The file is mapped read-only and used in place; the
 * engine keeps the mapping until it is freed.  Its dictionaries rank as if
 * loaded now: before the dictionaries added later, which outrank them in a
 * tie as a later -d file does.  path stays the caller's.  Returns 0, or -1
 * with err filled (its message names the file): the file cannot be read, is
 * not an image, was written by another gaztag or image format version, is
 * truncated or corrupted, was compiled with another fold_diacritics setting
 * than the engine's, or the engine is frozen.  Single-threaded like every
 * building call. */
GZ_API int gz_engine_add_image(gz_engine *e, const char *path, gz_error *err);

/* Add the bundled dictionaries of folder dir (an installed dictionaries
 * folder, as gaztag tag finds it) the way gaztag tag does: from the image
 * dir/bundled.gzi that `make` compiles, while it is current (compiled by this
 * gaztag, with the engine's fold_diacritics setting, from exactly the
 * folder's *.tsv files as they are now, and not older than its types.txt),
 * else from the *.tsv files in byte order of their names.  Returns 1 when
 * the image was used, 0 when the files were read (err->message then says
 * why a damaged image was passed over, or is empty), or -1 with err filled:
 * the folder or one of its files cannot be read or is malformed.  Add the
 * folder's types.txt first.  Single-threaded like every building call. */
GZ_API int gz_engine_add_bundled(gz_engine *e, const char *dir, gz_error *err);

/* Load a rule file (TSV of type, name, pattern[, id, priority]; gaztag(1),
 * RULE FORMAT).  path and user as for gz_engine_add_dictionary.  Returns 0,
 * or -1 with err filled: the file cannot be read, a malformed row, a pattern
 * pcre2 rejects (file:line, the offset in the pattern, pcre2's message), or
 * the engine is already frozen.  Single-threaded like every building call. */
GZ_API int gz_engine_add_rules(gz_engine *e, const char *path, int user, gz_error *err);

/* Add one dictionary entry from memory, as a row of a dictionary the user
 * named (source "entries"; all entries added this way rank as one such
 * dictionary, placed where the first of them was added).  name and type are
 * required, id may be NULL (none); aliases[0, n_aliases) are further names;
 * attrs[0, n_attrs) become the entry's attributes, except the keys "case"
 * and "diacritics", which set those policies as the dictionary columns of
 * the same name do.  All strings are NUL-terminated UTF-8 and stay the
 * caller's (the engine copies them).  Returns 0, or -1 with err filled (an
 * empty name or type, invalid UTF-8, a bad case or diacritics value, a
 * frozen engine); the engine is then unchanged.  Single-threaded like every
 * building call. */
GZ_API int gz_engine_add_entry(gz_engine *e, const char *name, const char *type,
                               const char *id, const char *const *aliases, size_t n_aliases,
                               const gz_attr *attrs, size_t n_attrs, int priority,
                               gz_error *err);

/* Load a types file: the role of each type for the document passes and the
 * rules (tab-separated type and role; gaztag(1), TYPES).  The bundled
 * dictionaries/types.txt gives PERSON, ORG, PLACE, NORP, MISC, KEYWORD and
 * the rules' class lists their roles; without any types file no type has a
 * role, so no name variants are learned and no keyword plural matches.
 * Returns 0, or -1 with err filled (an unknown role, a type given two
 * roles, or the engine is already frozen).  Single-threaded. */
GZ_API int gz_engine_add_types(gz_engine *e, const char *path, gz_error *err);

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
GZ_API int gz_engine_add_words(gz_engine *e, const char *path, gz_error *err);

/* Finish building: after this the engine is read-only, no dictionary or
 * rule can be added, and any number of threads may share it through their
 * own taggers.  Call once, from one thread.  Returns 0, or -1 with err
 * filled (the engine must then only be freed). */
GZ_API int gz_engine_freeze(gz_engine *e, gz_error *err);

/* Release an engine and everything it owns, including every string that
 * spans point to.  Free its taggers first.  Accepts NULL. */
GZ_API void gz_engine_free(gz_engine *e);

/* Create a tagger over a frozen engine.  A tagger holds one document's
 * working state and is used by one thread at a time; create one per worker
 * thread.  The engine must outlive the tagger.  Reads GAZTAG_ARENA_LIMIT
 * from the environment (see gaztag(1)).  Never returns NULL (out of memory
 * aborts). */
GZ_API gz_tagger *gz_tagger_new(const gz_engine *e);

/* Release a tagger, and with it the spans of its last document.  Accepts
 * NULL. */
GZ_API void gz_tagger_free(gz_tagger *t);

/* Tag one whole document text[0, len); text may hold NUL bytes and invalid
 * UTF-8, is only read, and need not outlive the call.  On return *spans points
 * to *n spans sorted by start (the i-th is gz_span_at(*spans, i)), with byte offsets into text; the array and its
 * per-document strings belong to the tagger and stay valid until its next
 * gz_tag or gz_tagger_free.  Returns 0 when the document was completely
 * tagged, 1 when it was tagged only in part (a rule hit its match limit; the
 * spans found are still returned and err says which rule), -1 on failure
 * (err filled).  Thread-safe for distinct taggers, even over one engine. */
GZ_API int gz_tag(gz_tagger *t, const char *text, size_t len,
                  const gz_span **spans, size_t *n, gz_error *err);

#ifdef __cplusplus
}
#endif

#endif
