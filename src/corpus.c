/* SPDX-License-Identifier: MIT */
/*
 * corpus.c - documents in, rendered output out, in input order.
 *
 * A document is read in chunks, never mapped: a file that shrinks while read
 * simply ends early.  A chunk ends at a paragraph break when one exists in
 * its second half; otherwise the chunk is tagged whole but only mentions that
 * start before a cut point near its end are kept, and the next chunk starts
 * at that cut point, so a name straddling the boundary is found exactly once.
 * Memory per document is therefore bounded by the chunk size, whatever the
 * input's size.
 */
#include "corpus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tagger.h"
#include "util.h"

#define DEFAULT_CHUNK (1u << 20)
#define TAIL_MIN 4096u          /* a kept mention may reach this far past the cut */
#define TAIL_MAX 65536u

typedef struct run {
    const gz_engine *e;
    const gz_run_opts *o;
    gz_tagger *t;
    gz_out *out;
    gz_diag_fn diag;
    void *ctx;
    gz_buf render;
    gz_render *rs;          /* the run's renderer (writer side) */
    gz_render *rd;          /* the document renderer (worker side) */
    int status;
    int werr;
} run;

static void diagf(run *r, const char *doc, const char *fmt, ...) GZ_PRINTF(3, 4);
static void diagf(run *r, const char *doc, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->diag)
        r->diag(r->ctx, doc, msg);
}

static int flush_render(run *r)
{
    if (r->render.len && gz_out_write(r->out, r->render.data, r->render.len) < 0) {
        r->werr = gz_out_errno(r->out);
        return -1;
    }
    r->render.len = 0;
    return 0;
}

/* Where to cut buf[0, len): returns the cut; *clean says it is a paragraph
 * break (the chunk ends there) rather than a point inside the tagged text. */
static size_t find_cut(const char *buf, size_t len, size_t chunk, int *clean)
{
    size_t lo = chunk / 2;
    for (size_t i = len; i > lo + 1; i--) {
        if (buf[i - 1] == '\n' && (buf[i - 2] == '\n' ||
                                   (buf[i - 2] == '\r' && i >= 3 && buf[i - 3] == '\n'))) {
            *clean = 1;
            return i;
        }
    }
    *clean = 0;
    size_t hi = len > TAIL_MIN ? len - TAIL_MIN : 0;
    size_t floor = len > TAIL_MAX ? len - TAIL_MAX : 0;
    for (size_t i = hi; i > floor; i--) {
        char c = buf[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
            return i;
    }
    /* no white space: any character boundary */
    size_t i = hi;
    while (i > 0 && ((unsigned char)buf[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* Tag one document read from fd.  Returns 0 when fully read and tagged, 1 when
 * incomplete (a read error or a rule limit; already reported), -1 when output
 * failed. */
static int tag_fd(run *r, int fd, const char *doc)
{
    size_t chunk = r->o->chunk ? r->o->chunk : DEFAULT_CHUNK;
    gz_buf buf = {0};
    size_t base = 0, emitted_end = 0;
    int eof = 0, rc = 0, limit_reported = 0;
    gz_buf_reserve(&buf, chunk + TAIL_MAX + 1);
    gz_render_doc_begin(r->rd, &r->render, doc);
    while (!eof || buf.len) {
        while (!eof && buf.len < chunk) {
            gz_buf_reserve(&buf, chunk);
            ssize_t n = read(fd, buf.data + buf.len, chunk - buf.len);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                diagf(r, doc, "read error: %s", strerror(errno));
                rc = 1;
                eof = 1;
                break;
            }
            if (n == 0) {
                eof = 1;
                break;
            }
            buf.len += (size_t)n;
        }
        if (!buf.len)
            break;
        size_t cut, keep_until;
        if (eof) {
            cut = keep_until = buf.len;
        } else {
            int clean;
            size_t c = find_cut(buf.data, buf.len, chunk, &clean);
            if (clean) {
                cut = keep_until = c;
            } else {
                cut = buf.len;
                keep_until = c;
            }
        }
        const gz_span *spans;
        size_t n;
        gz_error err = {0};
        int trc = gz_tag_chunk(r->t, buf.data, cut, base, &spans, &n, &err);
        if (trc != 0) {
            if (!limit_reported)
                diagf(r, doc, "not completely tagged: %s (%s:%ld)", err.message, err.file,
                      err.line);
            limit_reported = 1;
            rc = 1;
        }
        /* keep spans that start in [emitted_end, base + keep_until) */
        size_t a = 0;
        while (a < n && spans[a].start < emitted_end)
            a++;
        size_t b = a;
        while (b < n && spans[b].start < base + keep_until)
            b++;
        gz_render_piece(r->rd, &r->render, buf.data, cut, base, keep_until, spans + a, b - a);
        if (b > a)
            emitted_end = spans[b - 1].end;
        if (flush_render(r) < 0) {
            rc = -1;
            break;
        }
        memmove(buf.data, buf.data + keep_until, buf.len - keep_until);
        buf.len -= keep_until;
        base += keep_until;
    }
    if (rc >= 0) {
        gz_render_doc_end(r->rd, &r->render);
        gz_render_merge(r->rs, r->rd);
        if (flush_render(r) < 0)
            rc = -1;
    }
    gz_buf_free(&buf);
    return rc;
}

static int tag_path(run *r, const char *path)
{
    if (strcmp(path, "-") == 0)
        return tag_fd(r, STDIN_FILENO, "-");
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        diagf(r, NULL, "cannot open '%s': %s", path, strerror(errno));
        return 1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        diagf(r, NULL, "'%s' is a directory", path);
        close(fd);
        return 1;
    }
    int rc = tag_fd(r, fd, path);
    close(fd);
    return rc;
}

int gz_corpus_run(const gz_engine *e, const gz_run_opts *o, char *const *paths, size_t npaths,
                  gz_out *out, gz_diag_fn diag, void *ctx, int *werr)
{
    run r = {0};
    r.e = e;
    r.o = o;
    r.out = out;
    r.diag = diag;
    r.ctx = ctx;
    r.t = gz_tagger_new(e);
    int status = GZ_RUN_OK;
    r.rs = gz_render_new(&o->fmt);
    r.rd = gz_render_new(&o->fmt);
    gz_render_run_begin(r.rs, &r.render);
    if (flush_render(&r) < 0)
        status = -1;
    static char *const stdin_only[] = {"-"};
    if (npaths == 0) {
        paths = stdin_only;
        npaths = 1;
    }
    for (size_t i = 0; i < npaths && status >= 0; i++) {
        int rc = tag_path(&r, paths[i]);
        if (rc < 0)
            status = -1;
        else if (rc > 0)
            status = GZ_RUN_PARTIAL;
    }
    if (status >= 0) {
        gz_render_run_end(r.rs, &r.render);
        if (flush_render(&r) < 0)
            status = -1;
    }
    if (status >= 0 && gz_out_flush(out) < 0) {
        r.werr = gz_out_errno(out);
        status = -1;
    }
    if (status < 0) {
        *werr = r.werr;
        status = r.werr == EPIPE ? GZ_RUN_CLOSED : GZ_RUN_WRITE_ERROR;
    }
    gz_tagger_free(r.t);
    gz_render_free(r.rs);
    gz_render_free(r.rd);
    gz_buf_free(&r.render);
    return status;
}
