/* SPDX-License-Identifier: MIT */
/* convert.h - other taggers' dictionaries turned into gaztag dictionaries:
 * spaCy entity-ruler patterns (JSON Lines), CoreNLP RegexNER mappings and
 * GATE gazetteers (lists.def with its .lst files).
 *
 * A converter collects entries from any number of inputs, then writes them
 * as one dictionary (and, for RegexNER patterns with regex tokens, one rule
 * file).  Whatever an input holds that a gaztag dictionary or rule cannot
 * express is passed to the problem callback with its file, line and column
 * and left out; nothing here prints.  A converter is used by one thread. */
#ifndef GZ_CONVERT_H
#define GZ_CONVERT_H

#include <stddef.h>

#include "gaztag.h"
#include "util.h"

enum gz_convert_from { GZ_FROM_SPACY, GZ_FROM_REGEXNER, GZ_FROM_GATE };

/* The format called s ("spacy", "regexner", "gate"), or -1. */
int gz_convert_from_parse(const char *s);

/* A problem in an input: where (column 0 when none applies) and what. */
typedef void (*gz_convert_fn)(void *ctx, const char *file, long line, long column,
                              const char *message);

typedef struct gz_convert_opts {
    int from;           /* enum gz_convert_from */
    int rules;          /* RegexNER: translate regex tokens into rules */
    char separator;     /* GATE: the feature separator; 0 detects ':', '&' or tab */
} gz_convert_opts;

typedef struct gz_convert gz_convert;

/* A converter reporting problems to fn (with ctx).  opts is copied.  Never
 * returns NULL (out of memory aborts). */
gz_convert *gz_convert_new(const gz_convert_opts *opts, gz_convert_fn fn, void *ctx);
void gz_convert_free(gz_convert *c);

/* Read a type map from data[0, len) (of the file called name): two
 * tab-separated columns, the other tool's type and the gaztag type, '#'
 * comment lines allowed.  Applies to every entry, also those added before.
 * Returns 0, or -1 with err filled (file, line, column) for a malformed
 * line; then the converter keeps the map's earlier lines. */
int gz_convert_type_map(gz_convert *c, const char *name, const char *data, size_t len,
                        gz_error *err);

/* Convert the input data[0, len) called name (spaCy or RegexNER; both
 * borrowed).  Returns the number of problems reported for it. */
size_t gz_convert_add(gz_convert *c, const char *name, const char *data, size_t len);

/* Convert the file at path: for GATE a lists.def, whose .lst files are read
 * from its folder; else as gz_convert_add.  A file that cannot be read is a
 * problem (for a .lst file, reported at its lists.def line), and the other
 * lists are still read.  Returns the number of problems. */
size_t gz_convert_add_file(gz_convert *c, const char *path);

/* Append the collected entries to out as a dictionary: header, then one row
 * per entry in input order.  Returns the number of rows. */
size_t gz_convert_write_dict(const gz_convert *c, gz_buf *out);

/* Append the collected regex rules to out as a rule file (a header even when
 * there is none).  Returns the number of rules. */
size_t gz_convert_write_rules(const gz_convert *c, gz_buf *out);

/* Translate one CoreNLP RegexNER pattern of regex tokens (separated by
 * white space) into a PCRE2 pattern for the token sequence in running
 * text.  Returns 0, or -1 with why (room for whylen bytes) saying which
 * token or construct cannot be translated. */
int gz_convert_regexner_pattern(const char *pat, size_t len, gz_buf *out, char *why,
                                size_t whylen);

#endif
