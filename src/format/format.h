/* SPDX-License-Identifier: MIT */
/* format.h - what an output format implements, and the helpers the
 * renderer (output.c) shares with every format.
 *
 * A format is one file in src/format/ defining one `const gz_format`, and
 * one row of the table in output.c; the format names in `--format`, in
 * `gaztag tag --help` and in the messages about options that do not fit a
 * format all come from that table and the format's capability bits.
 *
 * The renderer calls a format in the order of the rendering protocol
 * (output.h): run_begin once, then for each document doc_begin, piece for
 * each piece of its text, doc_end; then run_end.  Any hook may be NULL.
 * With --count only count_table is called, at the end of the run.  A
 * format keeps per-document state in r->st (state_size bytes, zeroed at
 * each doc_begin; state_clear frees what the state owns); per-run state
 * lives in the renderer (document name, character and text cursors,
 * aggregates), so a format never holds a pointer into a piece's text or
 * spans after its hook returns. */
#ifndef GZ_FORMAT_H
#define GZ_FORMAT_H

#include <stddef.h>

#include "output.h"

#define uthash_fatal(msg) gz_oom()
#include <uthash.h>

/* The text and spans of one piece, as gz_render_piece received them. */
typedef struct gz_piece {
    const char *text;
    size_t len, base, keep;
    const gz_span *spans;
    size_t n;
} gz_piece;

/* Per-run counts of one entity (type, id, name), for --count and html. */
typedef struct gz_agg {
    char *key;              /* type \0 id \0 name */
    size_t keylen;
    const char *type, *id, *name;  /* into key */
    size_t mentions, documents;
    UT_hash_handle hh;
} gz_agg;

struct gz_format {
    const char *name;       /* as --format takes it */
    const char *ext;        /* file name extension of --output-dir files */
    unsigned caps;          /* GZ_FMT_* */
    size_t state_size;
    void (*run_begin)(gz_render *run, gz_buf *out);
    void (*doc_begin)(gz_render *r, gz_buf *out);
    void (*piece)(gz_render *r, gz_buf *out, const gz_piece *p);
    void (*doc_end)(gz_render *r, gz_buf *out);
    void (*run_end)(gz_render *run, gz_buf *out);
    /* --count: the table of v[0, n), sorted by mentions */
    void (*count_table)(gz_render *run, gz_buf *out, gz_agg *const *v, size_t n);
    void (*state_clear)(void *st);
};

struct gz_render {
    gz_fmt_opts o;
    char *doc;              /* the document's name */
    size_t ndocs;           /* documents merged (run) */
    int begun;              /* a document was begun and not yet merged */
    /* character offsets: ccount code points in the document's [0, cpos) */
    size_t cpos, ccount;
    size_t ck_pos, ck_count;  /* the same at the start of the piece */
    size_t tpos;            /* formats that print the text: bytes before
                               tpos are printed */
    gz_agg *aggs;
    void *st;               /* the format's per-document state */
};

/* The formats, in the order of the table. */
extern const gz_format gz_format_tsv, gz_format_csv, gz_format_jsonl, gz_format_inline, gz_format_html,
    gz_format_brat, gz_format_conll;

/* ---- helpers shared by the formats (output.c) ---- */

/* s, NUL-terminated, as a TSV field (gz_tsv_escape). */
void gz_fmt_field(gz_buf *out, const char *s);
/* A JSON string with its quotes; sets *lossy when a byte was replaced. */
void gz_fmt_json_str(gz_buf *out, const char *s, size_t n, int *lossy);
/* ,"k":"s" */
void gz_fmt_json_key(gz_buf *out, const char *k, const char *s, int *lossy);
/* Text for people, HTML-escaped; and for a terminal, controls escaped. */
void gz_fmt_html_text(gz_buf *out, const char *s, size_t n);
void gz_fmt_html_str(gz_buf *out, const char *s);
void gz_fmt_term_text(gz_buf *out, const char *s, size_t n);

/* The tabular formats (tsv.c, csv.c): the same columns and rows, written
 * with a separator, a line end and a field writer of their own. */
typedef struct gz_fmt_dialect {
    const char *sep, *eol;
    void (*field)(gz_buf *out, const char *s, size_t n);
} gz_fmt_dialect;
/* The header row; each mention's rows; the --count table. */
void gz_fmt_table_header(const gz_fmt_dialect *d, gz_render *run, gz_buf *out);
void gz_fmt_table_piece(const gz_fmt_dialect *d, gz_render *r, gz_buf *out, const gz_piece *p);
void gz_fmt_table_count(const gz_fmt_dialect *d, gz_render *run, gz_buf *out, gz_agg *const *v,
                        size_t n);

/* Colours by type: an index below GZ_FMT_COLORS. */
#define GZ_FMT_COLORS 8
unsigned gz_fmt_type_color(const char *type);
extern const char *const gz_fmt_ansi_colors[GZ_FMT_COLORS];
extern const char *const gz_fmt_html_colors[GZ_FMT_COLORS];

/* The code-point offset of document byte b (in the piece, at or after its
 * start); cheapest in increasing order of b. */
size_t gz_fmt_char_off(gz_render *r, const gz_piece *p, size_t b);
/* "START<sep>END" of s, in bytes or (--offsets=chars) code points. */
void gz_fmt_offsets(gz_render *r, gz_buf *out, const gz_piece *p, const gz_span *s,
                    const char *sep);
/* --explain's text for s into tmp (NUL-terminated). */
void gz_fmt_explain(gz_buf *tmp, const gz_span *s);
/* The end of the piece's own bytes, never inside a character. */
size_t gz_fmt_own_end(const gz_piece *p);

/* Formats that print the text with marked mentions (inline, html): print
 * the piece's own bytes once, plain() for text and mark() for mentions. */
typedef void (*gz_fmt_plain_fn)(gz_buf *out, const char *s, size_t n);
typedef void (*gz_fmt_mark_fn)(gz_render *r, gz_buf *out, const gz_span *s, const char *t,
                               size_t n);
void gz_fmt_marked_text(gz_render *r, gz_buf *out, const gz_piece *p, gz_fmt_plain_fn plain,
                        gz_fmt_mark_fn mark);

/* Aggregates: add counts; the table as an array sorted by mentions, then
 * type, name and id (free the array, not its elements). */
void gz_fmt_agg_add(gz_agg **table, const char *type, const char *id, const char *name,
                    size_t mentions, size_t documents);
void gz_fmt_agg_clear(gz_agg **table);
gz_agg **gz_fmt_agg_sorted(gz_agg *table, size_t *n);

#endif
