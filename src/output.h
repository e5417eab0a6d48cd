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

/* Append the header (if the format has one and o->header is set). */
void gz_fmt_begin(gz_buf *out, const gz_fmt_opts *o);

/* Append the rows for spans of document doc.  text[0, len) is the piece of
 * the document the spans were found in, starting at document offset base. */
void gz_fmt_spans(gz_buf *out, const gz_fmt_opts *o, const char *doc, const char *text,
                  size_t base, const gz_span *spans, size_t n);

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
