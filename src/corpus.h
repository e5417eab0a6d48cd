/* SPDX-License-Identifier: MIT */
/* corpus.h - reading documents (files, stdin) in bounded chunks, tagging
 * them and writing the rendered output in input order.  The library never
 * prints: problems go to the caller's diagnostic callback. */
#ifndef GZ_CORPUS_H
#define GZ_CORPUS_H

#include "gaztag.h"
#include "output.h"

typedef struct gz_run_opts {
    gz_fmt_opts fmt;
    size_t chunk;           /* target chunk size in bytes (0: 1 MiB) */
} gz_run_opts;

/* Diagnostic: doc is the document (or NULL), msg the text to show. */
typedef void (*gz_diag_fn)(void *ctx, const char *doc, const char *msg);

/* Outcome of a run, worst first. */
enum gz_run_status {
    GZ_RUN_OK = 0,          /* every document tagged */
    GZ_RUN_PARTIAL = 1,     /* some document unread or not completely tagged */
    GZ_RUN_WRITE_ERROR = 2, /* output could not be written (errno in *werr) */
    GZ_RUN_CLOSED = 3       /* the reader closed the pipe: stop quietly */
};

/* Tag every path in order ("-" is stdin) and write to out.  Returns an
 * enum gz_run_status; for GZ_RUN_WRITE_ERROR, *werr holds errno. */
int gz_corpus_run(const gz_engine *e, const gz_run_opts *o, char *const *paths, size_t npaths,
                  gz_out *out, gz_diag_fn diag, void *ctx, int *werr);

#endif
