/* SPDX-License-Identifier: MIT */
/* engine.h - the engine: dictionaries (gazetteer.h), regex rules
 * (patterns.h) and token rules (rules.h), built from files, then frozen and
 * shared read-only by every tagger.  The public half of this contract is
 * gaztag.h (gz_engine_new, _add_dictionary, _add_rules, _add_entry, _freeze,
 * _free);
 * this half gives the library's other modules the parts. */
#ifndef GZ_ENGINE_H
#define GZ_ENGINE_H

#include "gaztag.h"
#include "gazetteer.h"
#include "patterns.h"
#include "roles.h"
#include "rules.h"

/* One set of dictionary tables: those loaded from TSV files, or an
 * image's.  Entry idents and load orders run on across layers, so that
 * the layers together rank as one set. */
typedef struct gz_layer {
    const gz_gazetteer *gaz;
    uint32_t entry_base;    /* ident of its entry 0 */
    uint32_t seq_base;      /* added to its sources' load order */
} gz_layer;

/* The dictionaries of a frozen engine: its layers that hold entries, and
 * what the tagger needs to know of all of them together. */
typedef struct gz_dicts {
    const gz_layer *layers;
    size_t nlayers;
    size_t nentries;
    int max_tokens, has_fold, has_plural;
} gz_dicts;
const gz_dicts *gz_engine_dicts(const gz_engine *e);

/* Add frozen gazetteer g (an image's tables) to e as a layer of its
 * dictionaries; e owns g from now on, and frees it on failure.  Its sources
 * rank as if loaded now (after the dictionaries loaded so far, before the
 * later ones).  name is for messages.  Returns 0, or -1 with err filled: e
 * is frozen, or g was built with other settings than e (GZ_GAZ_* flags). */
int gz_engine_add_gazetteer(gz_engine *e, gz_gazetteer *g, const char *name, gz_error *err);

/* The GZ_GAZ_* flags e's dictionaries are built with. */
unsigned gz_engine_gaz_flags(const gz_engine *e);

const gz_engine_options *gz_engine_opts(const gz_engine *e);
const gz_roles *gz_engine_roles(const gz_engine *e);
const gz_gazetteer *gz_engine_gazetteer(const gz_engine *e);
const gz_patterns *gz_engine_patterns(const gz_engine *e);
const gz_trules *gz_engine_trules(const gz_engine *e);

/* Is the case-folded word key[0, len) on one of the engine's lists of
 * ordinary words (gz_engine_add_words)?  Thread-safe once frozen. */
int gz_engine_ordinary(const gz_engine *e, const char *key, size_t len);

#endif
