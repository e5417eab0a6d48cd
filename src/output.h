/* SPDX-License-Identifier: MIT */
/* output.h - rendering span lists (TSV, ...) into memory buffers, and a
 * buffered writer to a file descriptor that reports write errors.  Renderers
 * never write to a descriptor themselves: each worker renders a whole
 * document into its own buffer and the writer emits buffers in order. */
#ifndef GZ_OUTPUT_H
#define GZ_OUTPUT_H

#include <stddef.h>

#include "gaztag.h"
#include "util.h"

enum gz_format { GZ_FMT_TSV };

typedef struct gz_fmt_opts {
    int format;           /* enum gz_format */
    int all_candidates;   /* one row per candidate */
    int header;           /* print the header row */
} gz_fmt_opts;

/* Rendering protocol, the same for every format.  The writer (one thread)
 * calls gz_render_run_begin once, then for each document in input order
 * appends what a worker rendered for it, then gz_render_run_end.  A worker
 * renders one document into its own buffer through a gz_render:
 *   gz_render_doc_begin, gz_render_piece for each piece of text in order,
 *   gz_render_doc_end.
 * A piece is text[0, len) at document offset base; the piece owns the
 * document bytes [base, base + keep) (keep <= len: the bytes after keep come
 * again in the next piece), and spans are the mentions to print for it,
 * sorted, with offsets into the document.  Per-run aggregates (frequency
 * tables) are collected in the gz_render and folded into the run's totals
 * by gz_render_merge, which the writer calls in document order. */
typedef struct gz_render gz_render;

gz_render *gz_render_new(const gz_fmt_opts *o);
void gz_render_free(gz_render *r);
void gz_render_run_begin(gz_render *run, gz_buf *out);
void gz_render_doc_begin(gz_render *r, gz_buf *out, const char *doc);
void gz_render_piece(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                     size_t keep, const gz_span *spans, size_t n);
void gz_render_doc_end(gz_render *r, gz_buf *out);
/* Fold the aggregates of worker state r (its last document) into run. */
void gz_render_merge(gz_render *run, gz_render *r);
void gz_render_run_end(gz_render *run, gz_buf *out);

/* Append s[0, n) escaped as a TSV field: \t \n \r \\ as two characters,
 * other C0 controls and DEL as \xHH, everything else as is. */
void gz_tsv_escape(gz_buf *out, const char *s, size_t n);

/* A buffered writer on a file descriptor. */
typedef struct gz_out gz_out;
gz_out *gz_out_new(int fd);
/* Write n bytes (buffered).  Returns 0, or -1 after a write error (errno in
 * gz_out_errno; EPIPE means the reader went away). */
int gz_out_write(gz_out *o, const void *s, size_t n);
int gz_out_flush(gz_out *o);
int gz_out_errno(const gz_out *o);
/* Flush and free; returns 0 or -1 as gz_out_flush.  Does not close fd. */
int gz_out_free(gz_out *o);

#endif
