/* SPDX-License-Identifier: MIT */
/* docpass.h - document-level passes run after a chunk is resolved:
 * acronyms defined in the text, name variants (a later bare surname, the
 * distinctive part of an organisation's name) and propagation of a surface
 * tagged once to its other occurrences.  What a document has taught the
 * passes is kept in a gz_docmem that lives across the chunks of one document
 * (capped: the most recent GZ_DOCMEM_CAP names), and is reset between
 * documents.  One gz_docmem per thread. */
#ifndef GZ_DOCPASS_H
#define GZ_DOCPASS_H

#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"
#include "tokenize.h"

#define GZ_DOCMEM_CAP 10000
/* Bytes of strings the memory may hold before it considers dropping those of
 * forgotten names (see gz_docmem_set_arena_limit). */
#define GZ_DOCMEM_ARENA_LIMIT ((size_t)4 << 20)

enum {
    GZ_PASS_ACRONYMS = 1,
    GZ_PASS_VARIANTS = 2,
    GZ_PASS_PROPAGATION = 4
};

/* Per-token class bits, from the class lists of the bundled dictionaries. */
enum {
    GZ_TC_ORG_HEAD = 1,     /* _org_suffix: Agency, Ministry, University... */
    GZ_TC_PLACE_HEAD = 2,   /* _place_suffix: River, Province, County... */
    GZ_TC_FUNCTION = 4,     /* _function: the, of, and... */
    GZ_TC_TITLE = 8,        /* _title */
    GZ_TC_GIVEN = 16,       /* _given_name */
    GZ_TC_COMMON = 32,      /* capitalised, but the text uses it in lower case */
    GZ_TC_PLACED = 64,      /* an ordinary word capitalised only by its place:
                             * at a sentence start or on a headline */
    GZ_TC_SURNAME = 128,    /* _surname: a family name (may be a given name too) */
    GZ_TC_PARTICLE = 256    /* _particle: al, bin, van, de */
};

/* How strong the evidence of a mention is, for the one type a name has in a
 * document (a name learned with two types keeps the stronger's). */
enum {
    GZ_EV_PASS = 1,         /* found by a document pass */
    GZ_EV_SHAPE = 2,        /* a rule that reads the name's own words */
    GZ_EV_CONTEXT = 3,      /* a rule that needs words around the name ("Mr") */
    GZ_EV_DICT = 4          /* a dictionary entry, or a definition in the text */
};

typedef struct gz_docmem gz_docmem;

gz_docmem *gz_docmem_new(void);
void gz_docmem_reset(gz_docmem *m);
void gz_docmem_free(gz_docmem *m);
/* Compact the strings of m, at the start of a run, once they take at least
 * bytes (and more than four times what the names it still knows use);
 * GZ_DOCMEM_ARENA_LIMIT by default.
 * Tests and fuzzers lower it so that small inputs reach compaction. */
void gz_docmem_set_arena_limit(gz_docmem *m, size_t bytes);
/* How many times m has compacted its strings since it was made. */
size_t gz_docmem_compactions(const gz_docmem *m);
/* How many names the passes learned other than from acronym definitions
 * (only those are checked against ordinary words, GZ_TC_COMMON). */
size_t gz_docmem_words(const gz_docmem *m);

typedef struct gz_docview {
    const char *text;           /* the chunk */
    size_t base;                /* its offset in the document */
    const gz_tokens *tok;       /* its tokens (offsets relative to text) */
    gz_span *spans;             /* resolved mentions, sorted by start; a
                                 * made-up name the document has learned as
                                 * a known entity is relabelled in place */
    size_t nspans;
    const uint16_t *tokclass;   /* GZ_TC_* bits per token */
    const uint8_t *evidence;    /* GZ_EV_* per span (NULL: judged by source) */
    unsigned passes;            /* GZ_PASS_* bits */
    const struct gz_roles *roles;   /* what the types mean (roles.h) */
} gz_docview;

/* Learn from the chunk's mentions, then tag the tokens no mention covers.
 * New mentions are appended to *out (grown as needed), unsorted.  The
 * strings of the mentions added or relabelled belong to m and stay valid
 * until the next gz_docpass_run, gz_docmem_reset or gz_docmem_free on m
 * (the start of a run may drop strings that only earlier chunks used). */
void gz_docpass_run(gz_docmem *m, const gz_docview *v, gz_span **out, size_t *nout,
                    size_t *capout);

#endif
