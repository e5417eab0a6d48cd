/* SPDX-License-Identifier: MIT */
/*
 * output.c - TSV writer, escaping, and buffered output.
 *
 * Every field is escaped the same way in every row, terminal or not, so
 * Python's csv module (tab delimiter, no quoting) reads the output as is and
 * no control character from the input reaches a terminal raw.
 */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void gz_tsv_escape(gz_buf *out, const char *s, size_t n)
{
    gz_buf_reserve(out, n);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != 0x7F && c != '\\')
            continue;
        if (i > run)
            gz_buf_add(out, s + run, i - run);
        switch (c) {
        case '\t': gz_buf_add(out, "\\t", 2); break;
        case '\n': gz_buf_add(out, "\\n", 2); break;
        case '\r': gz_buf_add(out, "\\r", 2); break;
        case '\\': gz_buf_add(out, "\\\\", 2); break;
        default: gz_buf_printf(out, "\\x%02X", c); break;
        }
        run = i + 1;
    }
    if (n > run)
        gz_buf_add(out, s + run, n - run);
}

static void field(gz_buf *out, const char *s)
{
    gz_tsv_escape(out, s, strlen(s));
}

static void tsv_row(gz_buf *out, const char *doc, const char *text, size_t base,
                    const gz_span *s, const gz_span *alts, size_t n_alts, const gz_span *skip)
{
    field(out, doc);
    gz_buf_printf(out, "\t%zu\t%zu\t", s->start, s->end);
    gz_tsv_escape(out, text + (s->start - base), s->end - s->start);
    gz_buf_addc(out, '\t');
    field(out, s->type);
    gz_buf_addc(out, '\t');
    field(out, s->id);
    gz_buf_addc(out, '\t');
    field(out, s->name);
    gz_buf_addc(out, '\t');
    field(out, s->source);
    gz_buf_addc(out, '\t');
    int firstalt = 1;
    for (size_t k = 0; k < n_alts; k++) {
        if (&alts[k] == skip)
            continue;
        if (!firstalt)
            gz_buf_addc(out, '|');
        field(out, alts[k].id);
        firstalt = 0;
    }
    gz_buf_addc(out, '\n');
}

static void tsv_spans(gz_buf *out, const gz_fmt_opts *o, const char *doc, const char *text,
                      size_t base, const gz_span *spans, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = &spans[i];
        tsv_row(out, doc, text, base, s, s->alts, s->n_alts, NULL);
        if (!o->all_candidates)
            continue;
        /* one row per other candidate; its alternatives are the winner and
         * the rest */
        for (size_t k = 0; k < s->n_alts; k++) {
            const gz_span *a = &s->alts[k];
            gz_span row = *a;
            row.start = s->start;
            row.end = s->end;
            field(out, doc);
            gz_buf_printf(out, "\t%zu\t%zu\t", row.start, row.end);
            gz_tsv_escape(out, text + (s->start - base), s->end - s->start);
            gz_buf_addc(out, '\t');
            field(out, row.type);
            gz_buf_addc(out, '\t');
            field(out, row.id);
            gz_buf_addc(out, '\t');
            field(out, row.name);
            gz_buf_addc(out, '\t');
            field(out, row.source);
            gz_buf_addc(out, '\t');
            field(out, s->id);
            for (size_t m = 0; m < s->n_alts; m++) {
                if (m == k)
                    continue;
                gz_buf_addc(out, '|');
                field(out, s->alts[m].id);
            }
            gz_buf_addc(out, '\n');
        }
    }
}

struct gz_render {
    gz_fmt_opts o;
    char *doc;
};

gz_render *gz_render_new(const gz_fmt_opts *o)
{
    gz_render *r = gz_xcalloc(1, sizeof *r);
    r->o = *o;
    return r;
}

void gz_render_free(gz_render *r)
{
    if (!r)
        return;
    free(r->doc);
    free(r);
}

void gz_render_run_begin(gz_render *run, gz_buf *out)
{
    if (run->o.header)
        gz_buf_adds(out, "doc\tstart\tend\ttext\ttype\tid\tname\tsource\talternatives\n");
}

void gz_render_doc_begin(gz_render *r, gz_buf *out, const char *doc)
{
    (void)out;
    free(r->doc);
    r->doc = gz_xstrdup(doc);
}

void gz_render_piece(gz_render *r, gz_buf *out, const char *text, size_t len, size_t base,
                     size_t keep, const gz_span *spans, size_t n)
{
    (void)len;
    (void)keep;
    tsv_spans(out, &r->o, r->doc, text, base, spans, n);
}

void gz_render_doc_end(gz_render *r, gz_buf *out)
{
    (void)r;
    (void)out;
}

void gz_render_merge(gz_render *run, gz_render *r)
{
    (void)run;
    (void)r;
}

void gz_render_run_end(gz_render *run, gz_buf *out)
{
    (void)run;
    (void)out;
}

#define OUT_BUF (1u << 20)

struct gz_out {
    int fd;
    int err;
    size_t len;
    char *buf;
};

gz_out *gz_out_new(int fd)
{
    gz_out *o = gz_xcalloc(1, sizeof *o);
    o->fd = fd;
    o->buf = gz_xmalloc(OUT_BUF);
    return o;
}

static int write_all(gz_out *o, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(o->fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            o->err = errno;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int gz_out_flush(gz_out *o)
{
    if (o->err)
        return -1;
    if (o->len && write_all(o, o->buf, o->len) < 0)
        return -1;
    o->len = 0;
    return 0;
}

int gz_out_write(gz_out *o, const void *s, size_t n)
{
    if (o->err)
        return -1;
    if (o->len + n > OUT_BUF) {
        if (gz_out_flush(o) < 0)
            return -1;
        if (n >= OUT_BUF)
            return write_all(o, s, n);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return 0;
}

int gz_out_errno(const gz_out *o)
{
    return o->err;
}

int gz_out_free(gz_out *o)
{
    if (!o)
        return 0;
    int rc = gz_out_flush(o);
    free(o->buf);
    free(o);
    return rc;
}
