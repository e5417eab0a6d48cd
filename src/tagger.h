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

/* Add frozen gazetteer g (an image's tables) to e as a layer of its
 * dictionaries; e owns g from now on, and frees it on failure.  Its sources
 * rank as if loaded now (after the dictionaries loaded so far, before the
 * later ones).  name is for messages.  Returns 0, or -1 with err filled: e
 * is frozen, or g was built with other settings than e (GZ_GAZ_* flags). */
int gz_engine_add_gazetteer(gz_engine *e, gz_gazetteer *g, const char *name, gz_error *err);

/* The GZ_GAZ_* flags e's dictionaries are built with. */
unsigned gz_engine_gaz_flags(const gz_engine *e);

/* Tag text[0, len), a piece of a larger document that starts at byte offset
 * base of it: span offsets include base.  Otherwise as gz_tag. */
int gz_tag_chunk(gz_tagger *t, const char *text, size_t len, size_t base,
                 const gz_span **spans, size_t *n, gz_error *err);

/* Start a new document: forget per-document state.  Call it before the first
 * gz_tag_chunk of each document.  Not thread-safe for one tagger. */
void gz_tagger_begin_doc(gz_tagger *t);

#endif
