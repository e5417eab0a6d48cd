/* SPDX-License-Identifier: MIT */
/* tagger.h - the per-thread tagger that turns one text into a resolved span
 * list over a frozen engine (engine.h): dictionary look-up over tokens,
 * regex rules over bytes, token rules over token records, the document
 * passes, then leftmost-longest resolution with the documented tie-break.
 * The public half of this contract is gaztag.h. */
#ifndef GZ_TAGGER_H
#define GZ_TAGGER_H

#include "engine.h"
#include "gaztag.h"
#include "span.h"

/* Tag text[0, len), a piece of a larger document that starts at byte offset
 * base of it: span offsets include base.  Otherwise as gz_tag. */
int gz_tag_chunk(gz_tagger *t, const char *text, size_t len, size_t base,
                 const gz_span **spans, size_t *n, gz_error *err);

/* Start a new document: forget per-document state.  Call it before the first
 * gz_tag_chunk of each document.  Not thread-safe for one tagger. */
void gz_tagger_begin_doc(gz_tagger *t);

#endif
