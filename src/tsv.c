/* SPDX-License-Identifier: MIT */
/*
 * tsv.c - the one reader of tab-separated input (see tsv.h for its rules).
 *
 * The reader walks a buffer the caller owns and keeps one row of fields at
 * a time, each a (pointer, length, column) into that buffer; it never
 * copies a field.  The header's names are the only strings it owns.  Line
 * numbers count every line, blank and comment lines included, so messages
 * point where an editor shows the line.
 */
#include "tsv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gz_tsv_init(gz_tsv *r, const char *path, const char *data, size_t len, unsigned flags)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->p = data;
    r->end = data + len;
    r->flags = flags;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
}

void gz_tsv_free(gz_tsv *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhead; i++)
        free(r->head[i]);
    free(r->head);
    free(r->f);
    memset(r, 0, sizeof *r);
}

static void split(gz_tsv *r, const char *line, size_t len)
{
    r->nf = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && line[i] != '\t')
            continue;
        GZ_GROW(r->f, r->capf, r->nf + 1);
        r->f[r->nf].s = line + start;
        r->f[r->nf].n = i - start;
        r->f[r->nf].col = (long)start + 1;
        r->nf++;
        start = i + 1;
    }
}

int gz_tsv_next(gz_tsv *r, gz_error *err)
{
    while (r->p < r->end) {
        const char *line = r->p;
        const char *nl = memchr(line, '\n', (size_t)(r->end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(r->end - line);
        r->p = nl ? nl + 1 : r->end;
        r->line++;
        if (len && line[len - 1] == '\r')
            len--;
        const char *cr = memchr(line, '\r', len);
        if (cr) {
            r->nf = 0;
            gz_error_set(err, r->path, r->line, (long)(cr - line) + 1,
                         "carriage return inside a line (line ends must be LF or CRLF; "
                         "write \\r for a CR in a field)");
            return -1;
        }
        if (len == 0 || ((r->flags & GZ_TSV_COMMENTS) && line[0] == '#'))
            continue;
        split(r, line, len);
        return 1;
    }
    r->nf = 0;
    return 0;
}

/* Offset of the first invalid UTF-8 sequence in s[0, n), or n. */
static size_t invalid_utf8_at(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {   /* eight ASCII bytes at a time */
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t k = gz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp < 0)
            return i;
        i += k;
    }
    return n;
}

int gz_tsv_header(gz_tsv *r, gz_error *err)
{
    int rc = gz_tsv_next(r, err);
    if (rc <= 0)
        return rc;
    char **head = gz_xcalloc(r->nf, sizeof *head);
    for (size_t c = 0; c < r->nf; c++) {
        const gz_tsv_field *f = &r->f[c];
        size_t bad = invalid_utf8_at(f->s, f->n);
        const char *why = NULL;
        if (bad < f->n)
            why = "invalid UTF-8 in header";
        else if (f->n == 0)
            why = "empty column name in header";
        else if (memchr(f->s, '\0', f->n))
            why = "NUL byte in header";
        if (why) {
            gz_error_set(err, r->path, r->line, f->col + (long)(bad < f->n ? bad : 0), "%s", why);
            rc = -1;
            break;
        }
        head[c] = gz_xstrndup(f->s, f->n);
        for (size_t d = 0; d < c; d++) {
            if (strcmp(head[d], head[c]) == 0) {
                gz_error_set(err, r->path, r->line, f->col, "column '%s' appears twice in header",
                             head[c]);
                rc = -1;
                break;
            }
        }
        if (rc < 0) {
            free(head[c]);
            head[c] = NULL;
            break;
        }
    }
    if (rc < 0) {
        for (size_t c = 0; c < r->nf; c++)
            free(head[c]);
        free(head);
        return -1;
    }
    r->head = head;
    r->nhead = r->nf;
    return 1;
}

int gz_tsv_column(const gz_tsv *r, const char *name)
{
    for (size_t c = 0; c < r->nhead; c++)
        if (strcmp(r->head[c], name) == 0)
            return (int)c;
    return -1;
}

static const char *column_name(const gz_tsv *r, size_t c, const char *what)
{
    return c < r->nhead ? r->head[c] : what;
}

int gz_tsv_check_text(const gz_tsv *r, size_t c, const char *what, gz_error *err)
{
    const gz_tsv_field *f = &r->f[c];
    size_t bad = invalid_utf8_at(f->s, f->n);
    if (bad < f->n) {
        gz_error_set(err, r->path, r->line, f->col + (long)bad, "invalid UTF-8 in column '%s'",
                     column_name(r, c, what));
        return -1;
    }
    const char *nul = memchr(f->s, '\0', f->n);
    if (nul) {
        gz_error_set(err, r->path, r->line, f->col + (long)(nul - f->s),
                     "NUL byte in column '%s'", column_name(r, c, what));
        return -1;
    }
    return 0;
}

int gz_tsv_int32(const gz_tsv *r, size_t c, const char *what, int32_t *out, gz_error *err)
{
    const gz_tsv_field *f = &r->f[c];
    char tmp[24];
    size_t n = f->n < sizeof tmp - 1 ? f->n : sizeof tmp - 1;
    memcpy(tmp, f->s, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (f->n == 0 || f->n >= sizeof tmp || *end || errno || v > INT32_MAX || v < INT32_MIN ||
        memchr(f->s, '\0', f->n) || tmp[0] == ' ' || tmp[0] == '\t' || tmp[0] == '\n') {
        gz_error_set(err, r->path, r->line, f->col, "%s '%.*s' is not an integer", what,
                     (int)(f->n > 20 ? 20 : f->n), f->s);
        return -1;
    }
    *out = (int32_t)v;
    return 0;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode the escape at s[i] (a backslash) into *byte; returns the length of
 * the escape, or 0 when the backslash starts none and is kept as written. */
static size_t escape_at(const char *s, size_t n, size_t i, char *byte)
{
    if (i + 1 >= n)
        return 0;
    switch (s[i + 1]) {
    case 't': *byte = '\t'; return 2;
    case 'n': *byte = '\n'; return 2;
    case 'r': *byte = '\r'; return 2;
    case '\\': *byte = '\\'; return 2;
    case 'x': {
        int hi = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
        int lo = i + 3 < n ? hexval((unsigned char)s[i + 3]) : -1;
        if (hi < 0 || lo < 0)
            return 0;
        *byte = (char)(hi * 16 + lo);
        return 4;
    }
    default:
        return 0;
    }
}

/* Undo the escapes of s[0, n) into o (room for n bytes); keep_nul leaves
 * \x00 as written.  Returns the length written. */
static size_t unescape_into(char *o, const char *s, size_t n, int keep_nul)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        char b;
        size_t e = s[i] == '\\' ? escape_at(s, n, i, &b) : 0;
        if (e && !(keep_nul && b == '\0')) {
            o[k++] = b;
            i += e;
        } else {
            o[k++] = s[i++];
        }
    }
    return k;
}

size_t gz_tsv_unescape(gz_buf *out, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    gz_buf_reserve(out, n);
    size_t k = n;
    if (memchr(s, '\\', n))
        k = unescape_into(out->data + out->len, s, n, 0);
    else
        memcpy(out->data + out->len, s, n);
    out->len += k;
    out->data[out->len] = '\0';
    return k;
}

char *gz_tsv_unescape_arena(gz_arena *a, const char *s, size_t n, size_t *outlen)
{
    char *o = gz_arena_alloc(a, n + 1);
    size_t k = n;
    if (n && memchr(s, '\\', n))
        k = unescape_into(o, s, n, 1);
    else if (n)
        memcpy(o, s, n);
    o[k] = '\0';
    if (outlen)
        *outlen = k;
    return o;
}
