/* SPDX-License-Identifier: MIT */
/* corpus.h - a corpus run: walking the paths given, reading documents (files,
 * stdin, or one document per line) in bounded chunks, tagging them on worker
 * threads and writing the rendered output in input order.  The library never
 * prints: problems go to the caller's diagnostic callback, always from the
 * calling thread and in input order. */
#ifndef GZ_CORPUS_H
#define GZ_CORPUS_H

#include <signal.h>

#include "gaztag.h"
#include "output.h"

/* What the inputs hold. */
enum gz_input {
    GZ_INPUT_TEXT = 0,   /* each file (or stdin) is one document */
    GZ_INPUT_LINES,      /* one document a line: ID<TAB>TEXT, TSV-escaped */
    GZ_INPUT_JSONL       /* one document a line: {"id": ..., "text": ...} */
};

/* Counters of a run, for progress lines and the final summary. */
typedef struct gz_run_stats {
    size_t docs_done;           /* documents written or skipped so far */
    size_t docs_total;          /* documents found so far */
    int total_final;            /* the walk is over: docs_total is final */
    unsigned long long bytes_done;
    unsigned long long bytes_total;  /* sizes of the regular files found */
    int bytes_total_known;      /* total_final and every input had a size */
    size_t mentions;            /* rows' mentions written */
    size_t errors;              /* inputs unread or not completely tagged */
    size_t skipped;             /* documents skipped by policy (binary, FIFO) */
    double seconds;             /* since the run started */
} gz_run_stats;

/* Progress report: called from the calling thread about five times a second
 * while the run goes on (final 0), and once at the end (final 1). */
typedef void (*gz_progress_fn)(void *ctx, const gz_run_stats *st, int final);

typedef struct gz_run_opts {
    gz_fmt_opts fmt;
    size_t chunk;           /* bytes read per chunk (0: 1 MiB); a chunk ends at
                             * a paragraph break in its last 40 KiB if any */
    int jobs;               /* worker threads (0: the number of CPUs) */
    int input;              /* enum gz_input */
    size_t max_line;        /* longest JSON Lines line (or lines id) accepted,
                             * in bytes (0: 64 MiB); a longer lines record is
                             * read in chunks, never held whole */
    int hidden;             /* walk into entries whose name starts with '.' */
    int follow;             /* follow symbolic links met while walking */
    int binary_tag;         /* tag binary files instead of skipping them */
    unsigned long shard_i;  /* with shard_n > 1: keep documents of shard i (1..n) */
    unsigned long shard_n;
    gz_progress_fn progress;  /* may be NULL */
    /* may be NULL; when *interrupted becomes non-zero (a signal handler sets
     * it), the run stops at a record boundary: the rows already rendered
     * are written, the rest is not, and gz_corpus_run returns
     * GZ_RUN_INTERRUPTED */
    volatile sig_atomic_t *interrupted;
} gz_run_opts;

/* Diagnostic: doc is the document the message is about (or NULL when the
 * message names what it is about), msg the text to show. */
typedef void (*gz_diag_fn)(void *ctx, const char *doc, const char *msg);

/* Outcome of a run, worst first. */
enum gz_run_status {
    GZ_RUN_OK = 0,          /* every document tagged */
    GZ_RUN_PARTIAL = 1,     /* some document unread or not completely tagged */
    GZ_RUN_WRITE_ERROR = 2, /* output could not be written (errno in *werr) */
    GZ_RUN_CLOSED = 3,      /* the reader closed the pipe: stop quietly */
    GZ_RUN_INTERRUPTED = 4  /* stopped by *o->interrupted */
};

/* The shard (1..n) of a document named doc: FNV-1a (64 bits) of its bytes,
 * modulo n, plus one. */
unsigned long gz_shard_of(const char *doc, unsigned long n);

/* Tag every path in order ("-" is stdin; directories are walked, entries in
 * byte order of their names) and write to out.  No paths means stdin.
 * Returns an enum gz_run_status; for GZ_RUN_WRITE_ERROR, *werr holds errno.
 * diag and o->progress are called from the calling thread only, with ctx. */
int gz_corpus_run(const gz_engine *e, const gz_run_opts *o, char *const *paths, size_t npaths,
                  gz_out *out, gz_diag_fn diag, void *ctx, int *werr);

#endif
