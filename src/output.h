/* SPDX-License-Identifier: MIT */
/* output.h - rendering span lists into memory buffers in any of the output
 * formats (the table of the files in src/format/: TSV, CSV, JSON Lines, inline markup,
 * HTML, brat standoff, CoNLL IOB2, and frequency tables), the escapes they
 * share, and a buffered writer to a file descriptor that reports write
 * errors.  Renderers never write to a descriptor themselves: each worker
 * renders a whole document into its own buffer and the writer emits
 * buffers in order. */
#ifndef GZ_OUTPUT_H
#define GZ_OUTPUT_H

#include <stddef.h>

#include "gaztag.h"
#include "util.h"

/* An output format (src/format/format.h says how to add one). */
typedef struct gz_format gz_format;

/* What a format can do: the options that apply to it. */
enum {
    GZ_FMT_TABULAR = 1u << 0,       /* a record per mention: --count, --explain, --offsets */
    GZ_FMT_HEADER = 1u << 1,        /* --no-header applies: it leaves out the
                                       header row (jsonl has none to leave) */
    GZ_FMT_CANDIDATE_ROWS = 1u << 2, /* --all-candidates: a row per candidate */
    GZ_FMT_COLOR = 1u << 3,         /* --color */
    GZ_FMT_TEXT_COPY = 1u << 4,     /* --output-dir also writes the text beside */
    GZ_FMT_CHARS = 1u << 5,         /* offsets always count characters */
    GZ_FMT_AGGS = 1u << 6,          /* per-run aggregates (legend, frequencies) */
    GZ_FMT_OVERLAPS = 1u << 7,      /* --overlapping: shows covered mentions */
    GZ_FMT_ATTR_COLUMNS = 1u << 8   /* --attrs: attributes as extra columns */
};

/* The format named s ("tsv", "jsonl", ...), or NULL. */
const gz_format *gz_format_find(const char *s);
/* The i-th format of the table (the first is the default), or NULL past
 * the end. */
const gz_format *gz_format_at(size_t i);
const char *gz_format_name(const gz_format *f);
/* The file name extension (with its dot) for format f's output files. */
const char *gz_format_ext(const gz_format *f);
unsigned gz_format_caps(const gz_format *f);
/* Append the names of the formats with all the capability bits caps (0:
 * every format) as an English list: "tsv, jsonl or conll" (conj "or"), or
 * "tsv and jsonl" (conj "and"); mark_default adds " (default)" to the
 * first format of the table. */
void gz_format_list(gz_buf *out, unsigned caps, const char *conj, int mark_default);

typedef struct gz_fmt_opts {
    const gz_format *format;
    int all_candidates;   /* one row per candidate (tsv) */
    int overlapping;      /* the spans include covered ones (GZ_FMT_OVERLAPS) */
    int header;           /* print the header row (tsv, --count) */
    int chars;            /* offsets in code points, not bytes (tsv, jsonl) */
    int count;            /* only the per-run frequency table (tsv, jsonl) */
    int explain;          /* add how each match was made (tsv, jsonl) */
    int color;            /* ANSI colours in inline output (the caller has
                             decided: terminal, --color, NO_COLOR) */
    char *const *attrs;   /* --attrs: these attributes as extra columns, after
                             alternatives (tsv, csv); the caller owns them */
    size_t n_attrs;
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
 * by gz_render_merge, which the writer calls in document order.
 *
 * A gz_render holds no pointer into spans or text after a call returns, and
 * shares nothing with other gz_render objects, so workers may each use their
 * own without locks.  gz_render_doc_begin drops the aggregates of the
 * previous document: merge a worker's state before its next document. */
typedef struct gz_render gz_render;

/* A renderer for options o (copied).  Never returns NULL. */
gz_render *gz_render_new(const gz_fmt_opts *o);
void gz_render_free(gz_render *r);
void gz_render_run_begin(gz_render *run, gz_buf *out);
void gz_render_doc_begin(gz_render *r, gz_buf *out, const char *doc);
void gz_render_piece(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                     size_t keep, const gz_span *spans, size_t n);
void gz_render_doc_end(gz_render *r, gz_buf *out);
/* Fold the aggregates of worker state r (its last document) into run, and
 * clear them in r. */
void gz_render_merge(gz_render *run, gz_render *r);
void gz_render_run_end(gz_render *run, gz_buf *out);

/* Character offsets: a document's code points are counted as Python counts
 * the string bytes.decode("utf-8", "replace"): a valid sequence is one code
 * point, and so is each maximal subpart of an ill-formed sequence (Unicode's
 * "substitution of maximal subparts").  Brat offsets and --offsets=chars use
 * this count; it runs across the pieces of a document.
 *
 * gz_utf8_unit returns the length (>= 1, <= n) of the unit at s[0, n) -- one
 * character, or one maximal ill-formed subpart -- and stores the code point,
 * or -1 for an ill-formed unit, in *cp. */
size_t gz_utf8_unit(const unsigned char *s, size_t n, int *cp);

/* Append s[0, n) with each ill-formed unit replaced by U+FFFD.  Unless final,
 * an incomplete character at the end is left alone: the return value is the
 * number of bytes consumed, and the caller passes the rest again with the
 * following bytes. */
size_t gz_utf8_sanitize(gz_buf *out, const char *s, size_t n, int final);

/* Append s[0, n) escaped as a TSV field: \t \n \r \\ as two characters,
 * other C0 controls and DEL as \xHH, C1 controls (U+0080..U+009F) and each
 * byte of an ill-formed UTF-8 unit as the \xHH of each of their bytes,
 * everything else as is.  The result is valid UTF-8, and gz_tsv_unescape
 * gives back s exactly. */
void gz_tsv_escape(gz_buf *out, const char *s, size_t n);

/* Append s[0, n) as an RFC 4180 field: quoted (with each '"' doubled) when
 * it holds a comma, a quote or a line break; tab and line breaks as they
 * are; every other control character (C0, DEL, C1) and each ill-formed
 * UTF-8 unit replaced by U+FFFD, so the field is valid UTF-8 but lossy. */
void gz_csv_field(gz_buf *out, const char *s, size_t n);

/* Append s[0, n) made safe for a terminal: C0 controls, DEL, C1 controls
 * (U+0080..U+009F) and ill-formed UTF-8 bytes as \xHH (each byte),
 * bidirectional controls as \uHHHH, everything else as is.  lines: keep
 * tab, line feed and the carriage return of a CR LF pair (text); else they
 * are escaped too (a one-line message). */
void gz_term_escape(gz_buf *out, const char *s, size_t n, int lines);

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
