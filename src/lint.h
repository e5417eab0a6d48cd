/* SPDX-License-Identifier: MIT */
/* lint.h - checking dictionaries: every problem a lenient load finds
 * (malformed rows), names shared by entries of different types and ids,
 * names that are common lower-case English words, and names that can never
 * match.  Findings go to a callback in a deterministic order (file, line,
 * column, message); nothing here prints. */
#ifndef GZ_LINT_H
#define GZ_LINT_H

#include <stddef.h>

#include "gaztag.h"

/* A set of common words, one per line ('#' starts a comment line). */
typedef struct gz_wordset gz_wordset;

/* Load a word list: one word a line in the first tab-separated column,
 * '#' comments, read by the shared TSV reader.  NULL with err filled when
 * it cannot be read or has a stray carriage return.  The caller frees it
 * with gz_wordset_free. */
gz_wordset *gz_wordset_load(const char *path, gz_error *err);

/* Build a word set from data[0, len) of the file called name, the same way. */
gz_wordset *gz_wordset_parse(const char *name, const char *data, size_t len, gz_error *err);
void gz_wordset_free(gz_wordset *w);

/* Is s[0, n), case-folded, in the set? */
int gz_wordset_has(const gz_wordset *w, const char *s, size_t n);

/* A finding: where and what.  column is 0 when none applies. */
typedef void (*gz_lint_fn)(void *ctx, const char *file, long line, long column,
                           const char *message);

/* Check the dictionaries paths[0, n) together (as one engine would load
 * them, in order), with the common-word check when words is not NULL.
 * fold_diacritics as for the engine.  Calls fn for each finding and returns
 * how many there were; a file that cannot be read is reported through
 * err_fn (a system error) and counted in *unreadable, and the others are
 * still checked. */
size_t gz_lint_dicts(const char *const *paths, size_t n, const gz_wordset *words,
                     int fold_diacritics, gz_lint_fn fn, gz_lint_fn err_fn, void *ctx,
                     size_t *unreadable);

#endif
