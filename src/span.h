/* SPDX-License-Identifier: MIT */
/* span.h - the layout of gz_span, which gaztag.h keeps opaque: the library's
 * modules build and read spans directly; callers of the public API go
 * through the gz_span_* accessors, so the layout may grow without breaking
 * binary compatibility. */
#ifndef GZ_SPAN_H
#define GZ_SPAN_H

#include "gaztag.h"

struct gz_span {
    size_t start, end;
    const char *type;       /* e.g. "ORG" */
    const char *id;         /* entity id, "" when the entry has none */
    const char *name;       /* canonical name */
    const char *source;     /* dictionary stem, "entries", "rule:NAME" or "doc:..." */
    const char *matched;    /* the dictionary string that matched, or NULL */
    unsigned how;           /* GZ_HOW_* bits */
    int priority;
    const gz_attr *attrs;   /* the entry's attributes */
    size_t n_attrs;
    const struct gz_span *alts;  /* other candidates for the same span */
    size_t n_alts;
    unsigned char origin;   /* enum gz_origin: what found it */
    unsigned char role;     /* the role of its type (roles.h), for the passes */
    unsigned char local;    /* its id was made up for this document */
    unsigned char covered;  /* set aside by resolution (option overlapping) */
    const char *why;        /* the context rule that chose this reading, or NULL */
};

/* What found a mention: gz_span.origin. */
enum gz_origin {
    GZ_ORIGIN_DICTIONARY,
    GZ_ORIGIN_REGEX_RULE,
    GZ_ORIGIN_TOKEN_RULE,
    GZ_ORIGIN_ACRONYM,      /* the document passes: */
    GZ_ORIGIN_VARIANT,
    GZ_ORIGIN_PROPAGATION
};

#endif
