/* SPDX-License-Identifier: MIT */
/* tsv.h - the one reader of tab-separated input, and the undoing of the
 * field escapes that gz_tsv_escape (output.h) writes.
 *
 * Every tab-separated file gaztag reads goes through this reader:
 * dictionaries, rule files, lint word lists, eval's gold and predictions and
 * `--input=lines` records.  Its rules, the same for all of them:
 *
 *   - a UTF-8 byte order mark at the start is skipped;
 *   - lines end in LF or CRLF; a carriage return anywhere else is refused
 *     with its line and column (a file with lone-CR line ends would
 *     otherwise read as one long line);
 *   - blank lines are skipped, and so are lines starting with '#' when the
 *     caller asks for comments;
 *   - fields are split at every tab, so a row has one more field than tabs;
 *   - the header, when there is one, names each column once, in valid
 *     UTF-8, none empty;
 *   - data fields may hold the escapes \t \n \r \\ and \xHH (two hex
 *     digits); any other backslash is kept as written;
 *   - integers are decimal, within the range of int32.
 *
 * Rule patterns are the exception: a pattern is regex syntax and is taken
 * raw, never unescaped.  Nothing here allocates per field: fields point into
 * the caller's data, which must outlive the reader. */
#ifndef GZ_TSV_H
#define GZ_TSV_H

#include <stddef.h>
#include <stdint.h>

#include "gaztag.h"
#include "util.h"

/* One field of the current row: bytes s[0, n), starting at column col
 * (1-based, in bytes) of its line. */
typedef struct gz_tsv_field {
    const char *s;
    size_t n;
    long col;
} gz_tsv_field;

enum {
    GZ_TSV_COMMENTS = 1u << 0   /* lines starting with '#' are comments */
};

typedef struct gz_tsv {
    const char *path;          /* named in messages */
    const char *p, *end;       /* the data not read yet */
    unsigned flags;
    long line;                 /* the line of the current row (1-based) */
    gz_tsv_field *f;           /* the fields of the current row */
    size_t nf, capf;
    char **head;               /* the header's column names, once read */
    size_t nhead;
} gz_tsv;

/* Start reading data[0, len) of the file called path (both borrowed). */
void gz_tsv_init(gz_tsv *r, const char *path, const char *data, size_t len, unsigned flags);
void gz_tsv_free(gz_tsv *r);

/* Read the next row into r->f[0, r->nf).  Returns 1 for a row, 0 at the end
 * of the data, -1 for a line that cannot be a row (a stray carriage return)
 * with err filled (path, line, column).  After -1 the reader has moved past
 * the bad line, so a caller that collects problems may go on. */
int gz_tsv_next(gz_tsv *r, gz_error *err);

/* Read the next row as the header: every name non-empty, valid UTF-8 and
 * given once.  Returns 1, 0 when the data has no row at all, or -1 with err
 * filled. */
int gz_tsv_header(gz_tsv *r, gz_error *err);

/* The index of the header column called name, or -1. */
int gz_tsv_column(const gz_tsv *r, const char *name);

/* Check that field c of the current row is valid UTF-8 without NUL bytes,
 * as a field that becomes a C string must be.  Returns 0, or -1 with err
 * naming the column (header name, or what when there is no header) and the
 * position of the first bad byte. */
int gz_tsv_check_text(const gz_tsv *r, size_t c, const char *what, gz_error *err);

/* Parse field c of the current row as a decimal int32.  Returns 0, or -1
 * with err saying "WHAT 'FIELD' is not an integer" at the field. */
int gz_tsv_int32(const gz_tsv *r, size_t c, const char *what, int32_t *out, gz_error *err);

/* Append s[0, n) to out with the escapes undone; \x00 gives a NUL byte
 * (text, unlike names, may hold one).  Returns the number of bytes
 * appended. */
size_t gz_tsv_unescape(gz_buf *out, const char *s, size_t n);

/* The same into a NUL-terminated copy in the arena, for fields that become
 * C strings (names, ids, types): there \x00 stays as written, since a NUL
 * would cut the string.  *outlen (may be NULL) receives the length. */
char *gz_tsv_unescape_arena(gz_arena *a, const char *s, size_t n, size_t *outlen);

#endif
