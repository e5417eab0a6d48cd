/* SPDX-License-Identifier: MIT */
/* engine.h - the engine: dictionaries (gazetteer.h), regex rules
 * (patterns.h) and token rules (rules.h), built from files, then frozen and
 * shared read-only by every tagger.  The public half of this contract is
 * gaztag.h (gz_engine_new, _add_dictionary, _add_rules, _freeze, _free);
 * this half gives the library's other modules the parts. */
#ifndef GZ_ENGINE_H
#define GZ_ENGINE_H

#include "gaztag.h"
#include "gazetteer.h"
#include "patterns.h"
#include "rules.h"

const gz_engine_options *gz_engine_opts(const gz_engine *e);
const gz_gazetteer *gz_engine_gazetteer(const gz_engine *e);
const gz_patterns *gz_engine_patterns(const gz_engine *e);
const gz_trules *gz_engine_trules(const gz_engine *e);

/* Is the case-folded word key[0, len) on one of the engine's lists of
 * ordinary words (gz_engine_add_words)?  Thread-safe once frozen. */
int gz_engine_ordinary(const gz_engine *e, const char *key, size_t len);

#endif
