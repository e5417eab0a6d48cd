/* SPDX-License-Identifier: MIT */
/* context.h - document context: which countries a document is about and
 * what kind of story it is, counted from its mentions (never from a second
 * pass over the bytes), and the choices that profile makes among the readings
 * of a mention: a namesake that fits a "City, State" pattern or the
 * document's country, a city or country acting as a team in a sports story,
 * an institution or party named by its short form ("the Senate", "Labor")
 * in a story about its country, the news agency of a credit line, and the
 * place under a lower-case geographic word ("the Nile delta").  Every choice
 * names its reason (gz_span.why).  The profile lives across the chunks of one
 * document and is reset between documents.  One gz_ctx per thread. */
#ifndef GZ_CONTEXT_H
#define GZ_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"
#include "tokenize.h"
#include "util.h"

/* What a story is about, from class and cue-word counts. */
enum gz_subject {
    GZ_SUBJECT_OTHER,
    GZ_SUBJECT_SPORTS,
    GZ_SUBJECT_POLITICS,
    GZ_SUBJECT_BUSINESS,
    GZ_SUBJECT_COUNT
};

typedef struct gz_ctx gz_ctx;

gz_ctx *gz_ctx_new(void);
void gz_ctx_reset(gz_ctx *c);
void gz_ctx_free(gz_ctx *c);    /* accepts NULL */

typedef struct gz_ctxview {
    const char *text;           /* the chunk */
    size_t len;                 /* its length in bytes */
    size_t base;                /* its offset in the document */
    const gz_tokens *tok;       /* its tokens (offsets relative to text) */
    gz_span *spans;             /* resolved mentions, sorted by start */
    size_t nspans;
    uint8_t *evidence;          /* one byte per span, kept in step when spans
                                 * are dropped (may be NULL) */
    const char *org_type;       /* the type of a team made from a place */
    gz_arena *arena;            /* the chunk's: new lists of alternatives */
    const uint8_t *marks;       /* GZ_MK_* per token (tokenize.h), or NULL */
    /* The one sports team named by tokens first..last and "FC" ("Burnley"
     * -> "Burnley FC"), into *out: 1, or 0 when none or two bear it.  May
     * be NULL. */
    int (*find_club)(void *ud, size_t first, size_t last, gz_span *out);
    void *ud;
} gz_ctxview;

/* Count the chunk's mentions and cue words into c's profile. */
void gz_ctx_learn(gz_ctx *c, const gz_ctxview *v);

/* Choose among the readings of the chunk's mentions by c's profile: a
 * mention may take one of its alternatives (the reading it had becomes an
 * alternative), become a team, or be dropped when it stands only in a
 * context the document does not give (an entry with attribute
 * context = country).  Returns the new number of spans (the dropped ones
 * are removed, the order kept). */
size_t gz_ctx_choose(const gz_ctx *c, gz_ctxview *v);

/* In a sports story, the capitalised words no mention covers that name a
 * club with "FC" ("Everton" for Everton FC), appended to *out (grown as
 * needed) in order of start; none outside a sports story or without
 * v->find_club. */
void gz_ctx_clubs(const gz_ctx *c, const gz_ctxview *v, gz_span **out, size_t *nout,
                  size_t *capout);

/* The profile, for tests and --explain. */
/* The document's weight of country code cc ("US"): mentions that place it. */
int gz_ctx_country_weight(const gz_ctx *c, const char *cc);
/* The document's weight of region name (an admin1: "Ohio") of country cc. */
int gz_ctx_region_weight(const gz_ctx *c, const char *cc, const char *name);
/* The country the document is about (a two-letter code in c), or NULL when
 * no country has clearly more mentions than the others. */
const char *gz_ctx_country(const gz_ctx *c);
/* The story's subject (enum gz_subject); GZ_SUBJECT_OTHER when no subject
 * has enough evidence. */
int gz_ctx_subject(const gz_ctx *c);

#endif
