/* SPDX-License-Identifier: MIT */
/* eval.h - scoring mentions against gold annotations, and building a
 * dictionary from a CoNLL training file.
 *
 * Gold comes as CoNLL (one token per line, its tag in the last column,
 * IOB1, IOB2 or IOBES; -DOCSTART- lines or, without them, blank-line groups
 * separate documents), as brat standoff (.ann beside its .txt) or as gaztag
 * TSV.  For CoNLL gold each document's text is rebuilt as its tokens joined
 * by single spaces, one sentence per line, so gaztag TSV predictions (byte
 * offsets into that text) can be mapped back to tokens.  Scoring follows
 * conlleval: a prediction is correct when its span and its type both equal a
 * gold mention's.  Nothing here prints: reports are appended to a gz_buf. */
#ifndef GZ_EVAL_H
#define GZ_EVAL_H

#include <stddef.h>

#include "gaztag.h"
#include "util.h"

enum gz_gold_format { GZ_GOLD_CONLL, GZ_GOLD_BRAT, GZ_GOLD_TSV };

/* The map from predicted types to gold types, "PERSON=PER,PLACE=LOC". */
#define GZ_EVAL_DEFAULT_MAP "PERSON=PER,PLACE=LOC,ORG=ORG,NORP=MISC,MISC=MISC"

typedef struct gz_typemap gz_typemap;

/* Parse a map spec (NULL: the default).  Returns NULL with err->message set
 * on a malformed spec.  The caller frees the result with gz_typemap_free. */
gz_typemap *gz_typemap_parse(const char *spec, gz_error *err);
void gz_typemap_free(gz_typemap *m);

/* The gold type for predicted type t: the map's value when the map names t
 * on its left, t itself when t is one of the map's values, else NULL (the
 * prediction is left out of the scoring).  The result lives in m or is t. */
const char *gz_typemap_apply(const gz_typemap *m, const char *t);

typedef struct gz_gold gz_gold;

/* Parse gold annotations data[0, len) read from the file called name (used
 * in messages and, for brat, to find the .txt beside the .ann).  Returns
 * NULL with err filled (name, line) when the data is malformed.  The caller
 * frees the result with gz_gold_free.  Not thread-safe with itself only in
 * the sense that each gold object belongs to one thread. */
gz_gold *gz_gold_parse(const char *name, const char *data, size_t len, int format,
                       gz_error *err);
void gz_gold_free(gz_gold *g);

size_t gz_gold_doc_count(const gz_gold *g);
size_t gz_gold_mention_count(const gz_gold *g);

/* The rebuilt (CoNLL) or read (brat) text of document i, or NULL for TSV
 * gold.  Owned by g. */
const char *gz_gold_doc_text(const gz_gold *g, size_t i, size_t *len);

typedef struct gz_eval gz_eval;

/* Start scoring against g with map m; both must outlive the result. */
gz_eval *gz_eval_new(const gz_gold *g, const gz_typemap *m);
void gz_eval_free(gz_eval *ev);

/* Add predictions read from the file called name: gaztag TSV (recognised by
 * its header, or by numeric second and third columns) or CoNLL (aligned
 * token by token with CoNLL gold).  TSV documents are matched to CoNLL gold
 * by number (a document named DIR/0042.txt is the 42nd, counting from 1),
 * to other gold by name (or, failing that, by file name).  Returns 0, or -1
 * with err filled (name, line). */
int gz_eval_add_pred(gz_eval *ev, const char *name, const char *data, size_t len,
                     gz_error *err);

/* Tag the gold's own documents (CoNLL or brat gold) with engine e and add
 * the result as predictions.  Returns 0, 1 when some document was tagged
 * only in part (err says the first), -1 for TSV gold (err filled). */
int gz_eval_tag(gz_eval *ev, const gz_engine *e, gz_error *err);

/* Figures for one gold type (NULL: over all types). */
typedef struct gz_eval_counts {
    size_t gold, pred, correct;
    double precision, recall, f1;   /* in percent; 0 when undefined */
} gz_eval_counts;
void gz_eval_counts_for(gz_eval *ev, const char *type, gz_eval_counts *c);

/* Append the report to out: with errors != 0 first one line per false
 * negative and false positive, with its place and context; then the table
 * of precision, recall and F1 per type and overall. */
void gz_eval_report(gz_eval *ev, int errors, gz_buf *out);

/* Write the entities of CoNLL training data data[0, len) (file name for
 * messages) as a gaztag dictionary into out: columns name, type, id; one
 * row per distinct name with its most frequent type (PER -> PERSON,
 * LOC -> PLACE, other types kept; ties go to the type first in byte order),
 * id "conll:" + the case-folded name; rows sorted by name.  Returns the
 * number of rows, or -1 with err filled on malformed data. */
long gz_dict_from_conll(const char *name, const char *data, size_t len, gz_buf *out,
                        gz_error *err);

#endif
