/* SPDX-License-Identifier: MIT */
/*
 * corpus.c - documents in, rendered output out, in input order.
 *
 * Three roles.  The producer thread walks the paths (fts, entries sorted by
 * byte value of their names) or splits line-per-document inputs, and queues
 * documents; at most 4 x jobs documents are in flight, so a slow writer makes
 * the producer wait instead of memory grow.  Each worker thread owns a
 * gz_tagger, claims the oldest unclaimed document, reads and tags it chunk by
 * chunk and renders it through a gz_render of the document's own.  The
 * calling thread is the writer: it writes the oldest document's output as it
 * comes, then prints its messages and merges its gz_render into the run's,
 * and moves on to the next one; so output, messages and aggregates follow
 * input order whatever the number of workers.  A worker whose document has
 * more than OUT_LIMIT bytes waiting waits for the writer, which bounds memory
 * for documents of any size.
 *
 * A document is read in chunks, never mapped: a file that shrinks while read
 * simply ends early.  A chunk ends at a paragraph break when one exists in
 * its last 40 KiB (so a default chunk holds more than 1 MB); otherwise the chunk is tagged whole but only mentions that
 * start before a cut point near its end are kept, and the next chunk starts
 * at that cut point, so a name straddling the boundary is found exactly once.
 *
 * After a write error (a closed pipe) the writer raises `stop`; every wait
 * checks it, workers give up between chunks and the producer between
 * documents, so the run ends promptly.
 */
#include "corpus.h"

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tagger.h"
#include "tsv.h"
#include "util.h"

#define DEFAULT_CHUNK (1u << 20)
#define PARA_WINDOW 40960u      /* a paragraph break is looked for this near the end */
#define TAIL_MIN 4096u          /* a kept mention may reach this far past the cut */
#define TAIL_MAX 65536u
#define BINARY_PROBE 8192u      /* NUL bytes in this many first bytes: binary */
#define OUT_LIMIT (1u << 20)    /* rendered bytes a document may have waiting */
#define LINE_BLOCK 65536u
#define DEFAULT_MAX_LINE ((size_t)64 << 20)
#define PROGRESS_NS 200000000L

/* K_PIPE: a line-per-document record too long to hold, streamed by the
 * producer through a pipe (fd) while a worker tags it. */
enum doc_kind { K_FILE, K_STDIN, K_MEM, K_PIPE, K_NOTE };
enum doc_status { D_OK = 0, D_FAILED = 1, D_SKIPPED = 2 };

typedef struct note {
    struct note *next;
    char *doc;              /* NULL: the message names its subject */
    char *msg;
} note;

typedef struct doc {
    struct doc *next;
    int kind;               /* enum doc_kind; K_NOTE carries messages only */
    char *name;             /* the doc column */
    char *path;             /* K_FILE: what to open */
    char *text;             /* K_MEM: the document */
    int fd;                 /* K_PIPE: the read end, until a worker takes it */
    int regular;            /* K_FILE: the walk found a regular file */
    size_t len;
    int done;               /* the worker finished it (guarded by run.mu) */
    int status;             /* enum doc_status */
    gz_buf out;             /* rendered, not yet written (guarded by run.mu) */
    gz_render *rd;          /* its rendering state, merged by the writer */
    note *notes, **notes_tail;
    size_t mentions;
} doc;

typedef struct run {
    const gz_engine *e;
    const gz_run_opts *o;
    size_t chunk;
    int jobs;
    char *const *paths;
    size_t npaths;
    gz_diag_fn diag;
    void *ctx;

    pthread_mutex_t mu;
    pthread_cond_t work;    /* a document to claim, or the end */
    pthread_cond_t space;   /* room for one more document in flight */
    pthread_cond_t ready;   /* output or completion for the writer */
    pthread_cond_t drained; /* the writer took a document's output */
    doc *head, *tail;       /* in flight, input order */
    doc *claim;             /* oldest document no worker has claimed */
    size_t inflight, max_inflight;
    int produced_all;
    int stop;
    int starved;            /* readers waiting for input that is not there yet */
    int workers_live;       /* worker threads not yet finished */
    gz_run_stats st;
    struct timespec t0;
} run;

typedef struct worker {
    run *r;
    gz_tagger *t;
    gz_buf in;              /* the chunk being tagged */
    gz_buf wb;              /* rendered, not yet handed over */
    pthread_t th;
} worker;

/* ---- small helpers ---- */

static char *xvasprintf(const char *fmt, va_list ap)
{
    gz_buf b = {0};
    gz_buf_vprintf(&b, fmt, ap);
    gz_buf_addc(&b, '\0');
    return b.data;
}

static void add_note(doc *d, const char *docname, const char *fmt, ...) GZ_PRINTF(3, 4);
static void add_note(doc *d, const char *docname, const char *fmt, ...)
{
    note *n = gz_xcalloc(1, sizeof *n);
    va_list ap;
    va_start(ap, fmt);
    n->msg = xvasprintf(fmt, ap);
    va_end(ap);
    n->doc = docname ? gz_xstrdup(docname) : NULL;
    if (!d->notes_tail)
        d->notes_tail = &d->notes;
    *d->notes_tail = n;
    d->notes_tail = &n->next;
}

static doc *doc_new(int kind, const char *name)
{
    doc *d = gz_xcalloc(1, sizeof *d);
    d->kind = kind;
    d->fd = -1;
    d->name = gz_xstrdup(name ? name : "");
    d->notes_tail = &d->notes;
    return d;
}

static void doc_free(doc *d)
{
    if (!d)
        return;
    for (note *n = d->notes, *nx; n; n = nx) {
        nx = n->next;
        free(n->doc);
        free(n->msg);
        free(n);
    }
    if (d->fd >= 0)
        close(d->fd);
    free(d->name);
    free(d->path);
    free(d->text);
    gz_buf_free(&d->out);
    gz_render_free(d->rd);
    free(d);
}

static double elapsed(const run *r)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - r->t0.tv_sec) + (double)(t.tv_nsec - r->t0.tv_nsec) / 1e9;
}

unsigned long gz_shard_of(const char *name, unsigned long n)
{
    uint64_t h = gz_fnv1a(GZ_FNV_OFFSET, name, strlen(name));
    return n ? (unsigned long)(h % n) + 1 : 1;
}

/* Is a message or document about `name` this shard's to report? */
static int mine(const run *r, const char *name)
{
    return r->o->shard_n <= 1 || gz_shard_of(name, r->o->shard_n) == r->o->shard_i;
}

/* ---- producer: queueing documents ---- */

/* Queue d (taking it).  Returns -1 when the run stops (d is freed). */
static int enqueue(run *r, doc *d)
{
    pthread_mutex_lock(&r->mu);
    while (r->inflight >= r->max_inflight && !r->stop)
        pthread_cond_wait(&r->space, &r->mu);
    if (r->stop) {
        pthread_mutex_unlock(&r->mu);
        doc_free(d);
        return -1;
    }
    if (r->tail)
        r->tail->next = d;
    else
        r->head = d;
    r->tail = d;
    r->inflight++;
    if (d->kind == K_NOTE) {
        d->done = 1;
        pthread_cond_signal(&r->ready);
    } else {
        r->st.docs_total++;
        if (!r->claim)
            r->claim = d;
        pthread_cond_signal(&r->work);
    }
    pthread_mutex_unlock(&r->mu);
    return 0;
}

/* Queue a message (not a document) about subject; failed: it counts as an
 * error (else it is a skip by policy). */
static int notef(run *r, const char *subject, int failed, const char *docname, const char *fmt,
                 ...) GZ_PRINTF(5, 6);
static int notef(run *r, const char *subject, int failed, const char *docname, const char *fmt,
                 ...)
{
    if (!mine(r, subject))
        return 0;
    doc *d = doc_new(K_NOTE, subject);
    d->status = failed ? D_FAILED : D_SKIPPED;
    note *n = gz_xcalloc(1, sizeof *n);
    va_list ap;
    va_start(ap, fmt);
    n->msg = xvasprintf(fmt, ap);
    va_end(ap);
    n->doc = docname ? gz_xstrdup(docname) : NULL;
    d->notes = n;
    d->notes_tail = &n->next;
    return enqueue(r, d);
}

static void add_bytes_total(run *r, const struct stat *st)
{
    pthread_mutex_lock(&r->mu);
    if (st && S_ISREG(st->st_mode))
        r->st.bytes_total += (unsigned long long)st->st_size;
    else
        r->st.bytes_total_known = 0;
    pthread_mutex_unlock(&r->mu);
}

/* A line-per-document input: split it into documents. */
typedef struct line_src {
    run *r;
    const char *label;      /* for messages: the path or "(stdin)" */
    long lineno;
    gz_buf id, text;
} line_src;

static int line_error(line_src *ls, long col, const char *fmt, ...) GZ_PRINTF(3, 4);
static int line_error(line_src *ls, long col, const char *fmt, ...)
{
    gz_buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    gz_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    int rc;
    if (col > 0)
        rc = notef(ls->r, ls->label, 1, NULL, "%s:%ld:%ld: %s", ls->label, ls->lineno, col,
                   msg.data);
    else
        rc = notef(ls->r, ls->label, 1, NULL, "%s:%ld: %s", ls->label, ls->lineno, msg.data);
    gz_buf_free(&msg);
    return rc;
}

static int queue_mem_doc(line_src *ls, const char *id, const char *text, size_t len)
{
    if (!mine(ls->r, id))
        return 0;
    doc *d = doc_new(K_MEM, id);
    d->text = gz_xmalloc(len ? len : 1);
    memcpy(d->text, text, len);
    d->len = len;
    return enqueue(ls->r, d);
}

static int tsv_line(line_src *ls, const char *s, size_t n)
{
    gz_tsv t;
    gz_error e;
    gz_tsv_init(&t, ls->label, s, n, 0);
    int rc = gz_tsv_next(&t, &e);
    if (rc < 0)
        rc = line_error(ls, e.column, "%s", e.message);
    else if (t.nf < 2)
        rc = line_error(ls, 0, "expected ID<TAB>TEXT");
    else if (t.nf > 2)
        rc = line_error(ls, t.f[2].col - 1, "expected ID<TAB>TEXT, found a third field");
    if (rc != 1) {
        gz_tsv_free(&t);
        return rc;
    }
    ls->id.len = ls->text.len = 0;
    gz_tsv_unescape(&ls->id, t.f[0].s, t.f[0].n);
    gz_tsv_unescape(&ls->text, t.f[1].s, t.f[1].n);
    gz_tsv_free(&t);
    if (memchr(ls->id.data ? ls->id.data : "", '\0', ls->id.len))
        return line_error(ls, 0, "the id contains a NUL byte");
    gz_buf_addc(&ls->id, '\0');
    return queue_mem_doc(ls, ls->id.data, ls->text.data ? ls->text.data : "", ls->text.len);
}

static int jsonl_line(line_src *ls, const char *s, size_t n)
{
    json_error_t je;
    json_t *v = json_loadb(s, n, JSON_ALLOW_NUL, &je);
    if (!v)
        return line_error(ls, je.column > 0 ? je.column : 0, "invalid JSON: %s", je.text);
    json_t *id = json_is_object(v) ? json_object_get(v, "id") : NULL;
    json_t *text = json_is_object(v) ? json_object_get(v, "text") : NULL;
    int rc;
    char num[32];
    const char *ids = NULL;
    if (json_is_string(id)) {
        ids = json_string_value(id);
        if (strlen(ids) != json_string_length(id))
            ids = NULL;
    } else if (json_is_integer(id)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        ids = num;
    }
    if (!json_is_object(v))
        rc = line_error(ls, 0, "expected an object with \"id\" and \"text\"");
    else if (!ids)
        rc = line_error(ls, 0, "\"id\" must be a string without NUL bytes or an integer");
    else if (!json_is_string(text))
        rc = line_error(ls, 0, "\"text\" must be a string");
    else
        rc = queue_mem_doc(ls, ids, json_string_value(text), json_string_length(text));
    json_decref(v);
    return rc;
}

static const char stray_cr[] =
    "carriage return inside a line (line ends must be LF or CRLF; write \\r for a CR in a field)";

/* The length of the prefix of s[0, n) that can be unescaped now: an
 * escape cut by the end of s, and a carriage return that may be the end of
 * a CR LF line end, wait for the bytes after them. */
static size_t escape_safe(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '\\') {
            size_t need = i + 1 < n && s[i + 1] == 'x' ? 4 : 2;
            if (n - i < need)
                return i;
            i += need;
            continue;
        }
        if (s[i] == '\r' && i + 1 == n)
            return i;
        i++;
    }
    return n;
}

/* Is the run stopping? */
static int stopping(run *r)
{
    pthread_mutex_lock(&r->mu);
    int stop = r->stop;
    pthread_mutex_unlock(&r->mu);
    return stop;
}

/* Has a signal asked the run to stop? */
static int interrupted(const run *r)
{
    return r->o->interrupted && *r->o->interrupted;
}

static void set_starved(run *r, int delta)
{
    pthread_mutex_lock(&r->mu);
    r->starved += delta;
    if (delta > 0)
        pthread_cond_signal(&r->ready);
    pthread_mutex_unlock(&r->mu);
}

#define INPUT_STOPPED (-2)

/* read() from an input that may be a pipe or a terminal.  When no byte is
 * ready, the writer is told the input is starved (it then flushes the
 * output it holds, so a line's rows come out before the next line is
 * awaited), and the wait goes in slices that check for a stop or a
 * signal.  Returns as read(), or INPUT_STOPPED when the run stops. */
static ssize_t input_read(run *r, int fd, void *buf, size_t n)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 0) == 0) {
        set_starved(r, 1);
        for (;;) {
            if (stopping(r) || interrupted(r)) {
                set_starved(r, -1);
                return INPUT_STOPPED;
            }
            int k = poll(&p, 1, 100);
            if (k > 0 || (k < 0 && errno != EINTR))
                break;
        }
        set_starved(r, -1);
    }
    return read(fd, buf, n);
}

/* Write s[0, n) to the non-blocking pipe fd, waiting for room but giving up
 * when the run stops or the reader has gone.  Returns 0 or -1. */
static int pipe_write(run *r, int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w > 0) {
            s += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
        if (stopping(r))
            return -1;
        struct pollfd p = {fd, POLLOUT, 0};
        poll(&p, 1, 100);
    }
    return 0;
}

/* A lines record whose line is too long to hold: ID<TAB> is in b at
 * [*off, tab) and the text follows.  Queue a document whose text a worker
 * reads from a pipe, and feed it the unescaped text as it is read from fd,
 * up to the end of the line, so memory stays bounded whatever the length.
 * *off ends after the line (or at the end of input: *eof).  Returns -1
 * when the run stops. */
static int stream_record(line_src *ls, int fd, gz_buf *b, size_t *off, size_t tab, int *eof)
{
    run *r = ls->r;
    ls->id.len = 0;
    gz_tsv_unescape(&ls->id, b->data + *off, tab - *off);
    int skip = 0, rc = 0;
    const char *cr = memchr(b->data + *off, '\r', tab - *off);
    if (cr)
        rc = line_error(ls, (long)(cr - (b->data + *off)) + 1, "%s", stray_cr), skip = 1;
    else if (memchr(ls->id.data ? ls->id.data : "", '\0', ls->id.len))
        rc = line_error(ls, 0, "the id contains a NUL byte"), skip = 1;
    gz_buf_addc(&ls->id, '\0');
    if (!skip && !mine(r, ls->id.data))
        skip = 1;
    int pfd[2] = {-1, -1};
    if (!skip && rc == 0) {
        if (pipe(pfd) != 0) {
            rc = line_error(ls, 0, "cannot tag the line: %s", strerror(errno));
            skip = 1;
        } else {
            fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
            fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
            fcntl(pfd[1], F_SETFL, fcntl(pfd[1], F_GETFL) | O_NONBLOCK);
            doc *d = doc_new(K_PIPE, ls->id.data);
            d->fd = pfd[0];
            rc = enqueue(r, d);
        }
    }
    size_t pos = tab + 1, col = tab - *off + 1;   /* col: line bytes before pos */
    while (rc == 0) {
        char *nl = memchr(b->data + pos, '\n', b->len - pos);
        size_t end = nl ? (size_t)(nl - b->data) : b->len;
        int last = nl || *eof;
        size_t n = end - pos;
        if (last && n && b->data[end - 1] == '\r')
            n--;
        size_t safe = last ? n : escape_safe(b->data + pos, n);
        if (!skip && rc == 0) {
            ls->text.len = 0;
            /* on a third field or a stray carriage return, what comes
             * before it is still tagged */
            size_t upto = 0;
            while (upto < safe && b->data[pos + upto] != '\t' && b->data[pos + upto] != '\r')
                upto++;
            gz_tsv_unescape(&ls->text, b->data + pos, upto);
            if (ls->text.len && pipe_write(r, pfd[1], ls->text.data, ls->text.len) < 0)
                skip = 1;
            if (!skip && upto < safe && b->data[pos + upto] == '\t')
                rc = line_error(ls, (long)(col + upto + 1), "expected ID<TAB>TEXT, found a "
                                "third field (the line is tagged up to there)");
            else if (!skip && upto < safe)
                rc = line_error(ls, (long)(col + upto + 1), "%s (the line is tagged up to "
                                "there)", stray_cr);
            if (upto < safe)
                skip = 1;
        }
        if (last) {
            *off = nl ? end + 1 : end;
            break;
        }
        col += safe;
        pos += safe;
        memmove(b->data, b->data + pos, b->len - pos);
        b->len -= pos;
        pos = 0;
        gz_buf_reserve(b, LINE_BLOCK);
        ssize_t k = input_read(r, fd, b->data + b->len, LINE_BLOCK);
        if (k == INPUT_STOPPED) {
            rc = -1;
            break;
        }
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            if (rc == 0)
                rc = notef(r, ls->label, 1, NULL, "%s: read error: %s", ls->label,
                           strerror(errno));
            *eof = 1;
            *off = b->len;
            break;
        }
        if (k == 0)
            *eof = 1;
        b->len += (size_t)k;
        pthread_mutex_lock(&r->mu);
        r->st.bytes_done += (unsigned long long)k;
        pthread_mutex_unlock(&r->mu);
    }
    if (pfd[1] >= 0)
        close(pfd[1]);
    return rc < 0 ? -1 : 0;
}

/* Read fd as lines, one document each.  A JSON Lines line longer than the
 * --max-line-bytes limit, and a lines record whose id is, is refused
 * without being held; a longer lines record is streamed to its worker.
 * Returns -1 when the run stops. */
static int read_lines(run *r, int fd, const char *label)
{
    line_src ls = {r, label, 0, {0}, {0}};
    gz_buf b = {0};
    size_t off = 0, scan = 0;   /* b.data[off, b.len) is unread; no '\n' before scan */
    size_t max_line = r->o->max_line ? r->o->max_line : DEFAULT_MAX_LINE;
    int eof = 0, rc = 0, skipping = 0;
    while (rc == 0) {
        char *nl = b.len > scan ? memchr(b.data + scan, '\n', b.len - scan) : NULL;
        if (!nl && !eof) {
            size_t pending = b.len - off;
            const char *tab = NULL;
            if (!skipping && r->o->input == GZ_INPUT_LINES && pending > r->chunk)
                tab = memchr(b.data + off, '\t', pending);
            if (tab) {
                ls.lineno++;
                rc = stream_record(&ls, fd, &b, &off, (size_t)(tab - b.data), &eof);
                scan = off;
                continue;
            }
            if (!skipping && pending > max_line) {
                ls.lineno++;
                rc = line_error(&ls, 0, "%s longer than %zu bytes (--max-line-bytes), skipped",
                                r->o->input == GZ_INPUT_JSONL ? "line" : "id", max_line);
                skipping = 1;
            }
            if (skipping)
                off = b.len;    /* drop what is read of a refused line */
            /* keep the partial line only, then read more after it */
            if (off)
                memmove(b.data, b.data + off, b.len - off);
            b.len -= off;
            off = 0;
            scan = b.len;
            gz_buf_reserve(&b, LINE_BLOCK);
            ssize_t k = input_read(r, fd, b.data + b.len, LINE_BLOCK);
            if (k == INPUT_STOPPED) {
                rc = -1;
                break;
            }
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0) {
                rc = notef(r, label, 1, NULL, "%s: read error: %s", label, strerror(errno));
                break;
            }
            if (k == 0)
                eof = 1;
            b.len += (size_t)k;
            pthread_mutex_lock(&r->mu);
            r->st.bytes_done += (unsigned long long)k;
            pthread_mutex_unlock(&r->mu);
            continue;
        }
        size_t end = nl ? (size_t)(nl - b.data) : b.len;
        if (skipping) {
            skipping = 0;
            off = scan = nl ? end + 1 : end;
            continue;
        }
        if (!nl && end == off)
            break;
        ls.lineno++;
        const char *line = b.data + off;
        size_t n = end - off;
        if (n && line[n - 1] == '\r')
            n--;
        if (n > max_line && (r->o->input == GZ_INPUT_JSONL || !memchr(line, '\t', max_line + 1)))
            rc = line_error(&ls, 0, "%s longer than %zu bytes (--max-line-bytes), skipped",
                            r->o->input == GZ_INPUT_JSONL ? "line" : "id", max_line);
        else if (n)
            rc = r->o->input == GZ_INPUT_JSONL ? jsonl_line(&ls, line, n) : tsv_line(&ls, line, n);
        off = scan = nl ? end + 1 : end;
    }
    gz_buf_free(&b);
    gz_buf_free(&ls.id);
    gz_buf_free(&ls.text);
    return rc;
}

/* Open path for reading.  A file the walk found regular is opened without
 * blocking and must still be regular: replaced since (by a FIFO no one
 * writes, whose open or read would wait forever), it is not read: -1 with
 * errno 0 and *mode what it is now.  Else -1 with errno on failure. */
static int open_doc(const char *path, int was_regular, mode_t *mode)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (was_regular ? O_NONBLOCK : 0));
    if (fd < 0 || !was_regular)
        return fd;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = S_ISREG(st.st_mode) ? errno : 0;
        *mode = st.st_mode;
        close(fd);
        errno = e;
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

/* The message for a file that open_doc refused with errno 0. */
static const char *special_msg(mode_t mode)
{
    return S_ISFIFO(mode) ? "FIFO skipped (name it as an argument to read it)"
                          : "special file skipped";
}

/* A file to read, reached while walking (or named). */
static int found_file(run *r, const char *path, const struct stat *st)
{
    if (r->o->input != GZ_INPUT_TEXT) {
        /* every shard reads every line input: its documents are the lines */
        mode_t mode = 0;
        int fd = open_doc(path, st && S_ISREG(st->st_mode), &mode);
        if (fd < 0 && errno == 0)
            return notef(r, path, 0, path, "%s", special_msg(mode));
        if (fd < 0)
            return notef(r, path, 1, NULL, "cannot open '%s': %s", path, strerror(errno));
        add_bytes_total(r, st);
        int rc = read_lines(r, fd, path);
        close(fd);
        return rc;
    }
    if (!mine(r, path))
        return 0;
    add_bytes_total(r, st);
    doc *d = doc_new(K_FILE, path);
    d->path = gz_xstrdup(path);
    d->regular = st && S_ISREG(st->st_mode);
    return enqueue(r, d);
}

static int cmp_ent(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* Walk one path given by the user.  Returns -1 when the run stops. */
static int walk(run *r, char *path)
{
    /* "dir//" walks as "dir/": the doc column never doubles a slash */
    size_t len = strlen(path);
    while (len > 2 && path[len - 1] == '/' && path[len - 2] == '/')
        len--;
    char *root = gz_xstrndup(path, len);
    char *argv[2] = {root, NULL};
    int flags = FTS_NOCHDIR | FTS_COMFOLLOW | (r->o->follow ? FTS_LOGICAL : FTS_PHYSICAL);
    FTS *f = fts_open(argv, flags, cmp_ent);
    if (!f) {
        int rc = notef(r, path, 1, NULL, "cannot open '%s': %s", path, strerror(errno));
        free(root);
        return rc;
    }
    int rc = 0;
    FTSENT *e;
    errno = 0;
    while (rc == 0 && (e = fts_read(f)) != NULL) {
        const char *p = e->fts_path;
        int top = e->fts_level == FTS_ROOTLEVEL;
        if (!top && !r->o->hidden && e->fts_name[0] == '.') {
            if (e->fts_info == FTS_D)
                fts_set(f, e, FTS_SKIP);
            continue;
        }
        switch (e->fts_info) {
        case FTS_D:
        case FTS_DP:
        case FTS_SL:        /* a link met while walking, not followed */
            break;
        case FTS_F:
            rc = found_file(r, p, e->fts_statp);
            break;
        case FTS_DEFAULT:
            if (top)
                rc = found_file(r, p, e->fts_statp);
            else if (S_ISFIFO(e->fts_statp->st_mode))
                rc = notef(r, p, 0, p, "FIFO skipped (name it as an argument to read it)");
            else
                rc = notef(r, p, 0, p, "special file skipped");
            break;
        case FTS_DC:
            rc = notef(r, p, 0, p, "directory loop skipped");
            break;
        case FTS_DNR:
            if (e->fts_errno == ENAMETOOLONG)
                goto too_long;
            rc = notef(r, p, 1, NULL, "cannot read directory '%s': %s", p,
                       strerror(e->fts_errno));
            break;
        case FTS_SLNONE: {
            /* a dangling link, or a loop of links (ELOOP) */
            struct stat sb;
            int en = stat(p, &sb) != 0 && errno ? errno : ENOENT;
            rc = notef(r, p, 1, NULL, "cannot open '%s': %s", p, strerror(en));
            break;
        }
        default:            /* FTS_NS, FTS_ERR */
            if (e->fts_errno == ENAMETOOLONG)
                goto too_long;
            rc = notef(r, p, 1, NULL, "cannot open '%s': %s", p, strerror(e->fts_errno));
            break;
        too_long:
            /* the walk opens entries by their whole path, which the system
             * limits (PATH_MAX): what lies deeper is not read */
            rc = notef(r, p, 1, NULL, "'%s' skipped, with anything in it: %s (the system "
                       "limits the length of a path)", p, strerror(ENAMETOOLONG));
            break;
        }
        errno = 0;
    }
    if (rc == 0 && errno != 0)
        rc = notef(r, path, 1, NULL, "cannot walk '%s': %s", path, strerror(errno));
    fts_close(f);
    free(root);
    return rc;
}

static void *producer(void *arg)
{
    run *r = arg;
    static char dash[] = "-";
    char *const stdin_only[] = {dash};
    char *const *paths = r->npaths ? r->paths : stdin_only;
    size_t npaths = r->npaths ? r->npaths : 1;
    for (size_t i = 0; i < npaths; i++) {
        int rc;
        if (strcmp(paths[i], "-") == 0) {
            add_bytes_total(r, NULL);
            if (r->o->input != GZ_INPUT_TEXT)
                rc = read_lines(r, STDIN_FILENO, "(stdin)");
            else if (mine(r, "-"))
                rc = enqueue(r, doc_new(K_STDIN, "-"));
            else
                rc = 0;
        } else {
            rc = walk(r, paths[i]);
        }
        if (rc < 0)
            break;
    }
    pthread_mutex_lock(&r->mu);
    r->produced_all = 1;
    r->st.total_final = 1;
    pthread_cond_broadcast(&r->work);
    pthread_cond_signal(&r->ready);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* ---- workers ---- */

/* Hand w->wb to the document's output; wait while too much of it waits for
 * the writer.  done: the document is finished.  Returns -1 when the run
 * stops. */
static int hand_over(worker *w, doc *d, size_t bytes, int done)
{
    run *r = w->r;
    pthread_mutex_lock(&r->mu);
    if (w->wb.len) {
        if (!d->out.len) {
            gz_buf t = d->out;
            d->out = w->wb;
            w->wb = t;
        } else {
            gz_buf_add(&d->out, w->wb.data, w->wb.len);
        }
        w->wb.len = 0;
    }
    if (d->kind != K_MEM && d->kind != K_PIPE)  /* the producer counted line inputs */
        r->st.bytes_done += bytes;
    if (done)
        d->done = 1;
    if (d == r->head)       /* the writer waits for the oldest document only */
        pthread_cond_signal(&r->ready);
    while (!done && d->out.len > OUT_LIMIT && !r->stop)
        pthread_cond_wait(&r->drained, &r->mu);
    int stop = r->stop;
    pthread_mutex_unlock(&r->mu);
    return stop ? -1 : 0;
}

/* Where to cut buf[0, len): returns the cut; *clean says it is a paragraph
 * break (the chunk ends there) rather than a point inside the tagged text. */
static size_t find_cut(const char *buf, size_t len, size_t chunk, int *clean)
{
    size_t lo = chunk > 2 * PARA_WINDOW ? chunk - PARA_WINDOW : chunk / 2;
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

typedef struct source {
    int fd;                 /* -1: memory */
    const char *mem;
    size_t mlen, mpos;
} source;

static ssize_t source_read(run *r, source *s, char *dst, size_t n)
{
    if (s->fd >= 0)
        return input_read(r, s->fd, dst, n);
    size_t k = s->mlen - s->mpos;
    if (k > n)
        k = n;
    memcpy(dst, s->mem + s->mpos, k);
    s->mpos += k;
    return (ssize_t)k;
}

/* Tag one document from s into d.  Returns -1 when the run stops. */
static int tag_doc(worker *w, doc *d, source *s)
{
    run *r = w->r;
    size_t chunk = r->chunk;
    gz_buf *buf = &w->in;
    size_t base = 0, emitted_end = 0;
    int eof = 0, started = 0, limit_reported = 0;
    buf->len = 0;
    gz_buf_reserve(buf, chunk + 1);
    gz_tagger_begin_doc(w->t);
    for (;;) {
        size_t got = 0;
        while (!eof && buf->len < chunk) {
            ssize_t n = source_read(r, s, buf->data + buf->len, chunk - buf->len);
            if (n == INPUT_STOPPED)
                return -1;
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                add_note(d, d->name, "read error: %s", strerror(errno));
                d->status = D_FAILED;
                eof = 1;
                break;
            }
            if (n == 0) {
                eof = 1;
                break;
            }
            buf->len += (size_t)n;
            got += (size_t)n;
        }
        if (!started) {
            size_t probe = buf->len < BINARY_PROBE ? buf->len : BINARY_PROBE;
            if (!r->o->binary_tag && d->kind != K_MEM && d->kind != K_PIPE &&
                memchr(buf->data, '\0', probe)) {
                add_note(d, d->name, "binary file skipped (--binary=tag tags it)");
                if (d->status == D_OK)
                    d->status = D_SKIPPED;
                return hand_over(w, d, got, 1);
            }
            gz_render_doc_begin(d->rd, &w->wb, d->name);
            started = 1;
        }
        if (!buf->len)
            break;
        size_t cut, keep_until;
        if (eof) {
            cut = keep_until = buf->len;
        } else {
            int clean;
            size_t c = find_cut(buf->data, buf->len, chunk, &clean);
            if (clean) {
                cut = keep_until = c;
            } else {
                cut = buf->len;
                keep_until = c;
            }
        }
        const gz_span *spans;
        size_t n;
        gz_error err = {0};
        if (gz_tag_chunk(w->t, buf->data, cut, base, &spans, &n, &err) != 0) {
            if (!limit_reported)
                add_note(d, d->name, "not completely tagged: %s (%s:%ld)", err.message, err.file,
                         err.line);
            limit_reported = 1;
            d->status = D_FAILED;
        }
        /* keep spans that start in [emitted_end, base + keep_until) */
        size_t a = 0;
        while (a < n && spans[a].start < emitted_end)
            a++;
        size_t b = a;
        while (b < n && spans[b].start < base + keep_until)
            b++;
        gz_render_piece(d->rd, &w->wb, buf->data, cut, base, keep_until, spans + a, b - a);
        if (b > a)
            emitted_end = spans[b - 1].end;
        d->mentions += b - a;
        memmove(buf->data, buf->data + keep_until, buf->len - keep_until);
        buf->len -= keep_until;
        base += keep_until;
        if (eof && !buf->len) {
            gz_render_doc_end(d->rd, &w->wb);
            return hand_over(w, d, got, 1);
        }
        if (hand_over(w, d, got, 0) < 0)
            return -1;
    }
    gz_render_doc_end(d->rd, &w->wb);
    return hand_over(w, d, 0, 1);
}

static int process(worker *w, doc *d)
{
    run *r = w->r;
    d->rd = gz_render_new(&r->o->fmt);
    source s = {-1, NULL, 0, 0};
    if (d->kind == K_MEM) {
        s.mem = d->text;
        s.mlen = d->len;
    } else if (d->kind == K_STDIN) {
        s.fd = STDIN_FILENO;
    } else if (d->kind == K_PIPE) {
        s.fd = d->fd;
        d->fd = -1;
    } else {
        mode_t mode = 0;
        s.fd = open_doc(d->path, d->regular, &mode);
        if (s.fd < 0 && errno == 0) {
            add_note(d, d->name, "%s", special_msg(mode));
            d->status = D_SKIPPED;
            return hand_over(w, d, 0, 1);
        }
        if (s.fd < 0) {
            add_note(d, NULL, "cannot open '%s': %s", d->path, strerror(errno));
            d->status = D_FAILED;
            return hand_over(w, d, 0, 1);
        }
    }
    int is_file = d->kind == K_FILE || d->kind == K_PIPE;
    /* once handed over complete, d belongs to the writer: no access after */
    int rc = tag_doc(w, d, &s);
    if (is_file)
        close(s.fd);
    return rc;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run *r = w->r;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->claim && !r->produced_all && !r->stop)
            pthread_cond_wait(&r->work, &r->mu);
        if (r->stop || !r->claim)
            break;
        doc *d = r->claim;
        doc *nx = d->next;
        while (nx && nx->kind == K_NOTE)
            nx = nx->next;
        r->claim = nx;
        pthread_mutex_unlock(&r->mu);
        int rc = process(w, d);
        pthread_mutex_lock(&r->mu);
        if (rc < 0)
            break;
    }
    r->workers_live--;
    pthread_cond_signal(&r->ready);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* ---- the writer ---- */

static void raise_stop(run *r)
{
    r->stop = 1;
    pthread_cond_broadcast(&r->work);
    pthread_cond_broadcast(&r->space);
    pthread_cond_broadcast(&r->drained);
    pthread_cond_broadcast(&r->ready);
}

static void report_progress(run *r, int final)
{
    pthread_mutex_lock(&r->mu);
    gz_run_stats st = r->st;
    pthread_mutex_unlock(&r->mu);
    st.seconds = elapsed(r);
    if (!st.total_final)
        st.bytes_total_known = 0;
    r->o->progress(r->ctx, &st, final);
}

/* Called with r->mu held: report progress when it is time. */
static void maybe_progress(run *r, double *last)
{
    if (!r->o->progress)
        return;
    double now = elapsed(r);
    if (now - *last < PROGRESS_NS / 1e9)
        return;
    *last = now;
    pthread_mutex_unlock(&r->mu);
    report_progress(r, 0);
    pthread_mutex_lock(&r->mu);
}

/* Write documents in order until all are written or the output fails.
 * When the input is starved, what is written is flushed before waiting.
 * After a signal, the run stops: the output already handed over is still
 * written (whole rows), up to the first document no worker will add to.
 * Returns 0, 1 after a signal, or -1 with *werr set. */
static int write_all(run *r, gz_out *out, gz_render *rs, int *werr)
{
    gz_buf wbuf = {0};
    int rc = 0, draining = 0;
    double last = 0;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        if (!draining && interrupted(r)) {
            draining = 1;
            raise_stop(r);
        }
        doc *d = r->head;
        if (d && d->out.len) {
            gz_buf t = d->out;
            d->out = wbuf;
            wbuf = t;
            pthread_cond_broadcast(&r->drained);
            pthread_mutex_unlock(&r->mu);
            int w = gz_out_write(out, wbuf.data, wbuf.len);
            wbuf.len = 0;
            pthread_mutex_lock(&r->mu);
            if (w < 0) {
                *werr = gz_out_errno(out);
                rc = -1;
                break;
            }
            continue;
        }
        if (d && d->done) {
            r->head = d->next;
            if (!r->head)
                r->tail = NULL;
            r->inflight--;
            if (d->kind != K_NOTE)
                r->st.docs_done++;
            r->st.mentions += d->mentions;
            if (d->status == D_FAILED)
                r->st.errors++;
            else if (d->status == D_SKIPPED)
                r->st.skipped++;
            pthread_cond_signal(&r->space);
            pthread_cond_broadcast(&r->drained);
            pthread_mutex_unlock(&r->mu);
            for (note *n = d->notes; n; n = n->next)
                if (r->diag)
                    r->diag(r->ctx, n->doc, n->msg);
            if (d->rd)
                gz_render_merge(rs, d->rd);
            doc_free(d);
            pthread_mutex_lock(&r->mu);
            maybe_progress(r, &last);
            continue;
        }
        if (!d && r->produced_all)
            break;
        if (draining && r->workers_live == 0)
            break;          /* no more output will come */
        if (r->starved) {
            pthread_mutex_unlock(&r->mu);
            int f = gz_out_flush(out);
            pthread_mutex_lock(&r->mu);
            if (f < 0) {
                *werr = gz_out_errno(out);
                rc = -1;
                break;
            }
        }
        if (r->o->progress || r->o->interrupted) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += PROGRESS_NS / 2;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&r->ready, &r->mu, &until);
            maybe_progress(r, &last);
        } else {
            pthread_cond_wait(&r->ready, &r->mu);
        }
    }
    if (rc < 0)
        raise_stop(r);
    if (rc == 0 && draining)
        rc = 1;
    pthread_mutex_unlock(&r->mu);
    gz_buf_free(&wbuf);
    return rc;
}

static int flush_buf(gz_out *out, gz_buf *b, int *werr)
{
    if (b->len && gz_out_write(out, b->data, b->len) < 0) {
        *werr = gz_out_errno(out);
        return -1;
    }
    b->len = 0;
    return 0;
}

static int cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int gz_corpus_run(const gz_engine *e, const gz_run_opts *o, char *const *paths, size_t npaths,
                  gz_out *out, gz_diag_fn diag, void *ctx, int *werr)
{
    run r = {0};
    r.e = e;
    r.o = o;
    r.chunk = o->chunk ? o->chunk : DEFAULT_CHUNK;
    r.jobs = o->jobs > 0 ? o->jobs : cpu_count();
    r.paths = paths;
    r.npaths = npaths;
    r.diag = diag;
    r.ctx = ctx;
    r.max_inflight = 4 * (size_t)r.jobs;
    r.st.bytes_total_known = 1;
    clock_gettime(CLOCK_MONOTONIC, &r.t0);
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.work, NULL);
    pthread_cond_init(&r.space, NULL);
    pthread_cond_init(&r.ready, NULL);
    pthread_cond_init(&r.drained, NULL);

    int failed = 0, err = 0, stopped = 0;
    gz_buf head = {0};
    gz_render *rs = gz_render_new(&o->fmt);
    gz_render_run_begin(rs, &head);
    if (flush_buf(out, &head, &err) < 0)
        failed = 1;

    worker *ws = gz_xcalloc((size_t)r.jobs, sizeof *ws);
    pthread_t prod;
    int nstarted = 0, prod_started = 0;
    if (!failed) {
        for (int i = 0; i < r.jobs; i++) {
            ws[i].r = &r;
            ws[i].t = gz_tagger_new(e);
            pthread_mutex_lock(&r.mu);
            r.workers_live++;
            pthread_mutex_unlock(&r.mu);
            if (pthread_create(&ws[i].th, NULL, worker_main, &ws[i]) != 0) {
                pthread_mutex_lock(&r.mu);
                r.workers_live--;
                pthread_mutex_unlock(&r.mu);
                gz_tagger_free(ws[i].t);
                break;
            }
            nstarted++;
        }
        if (nstarted == 0)
            gz_oom();
        prod_started = pthread_create(&prod, NULL, producer, &r) == 0;
        if (!prod_started)
            gz_oom();
        int w = write_all(&r, out, rs, &err);
        if (w < 0)
            failed = 1;
        else if (w > 0)
            stopped = 1;
        pthread_join(prod, NULL);
        for (int i = 0; i < nstarted; i++) {
            pthread_join(ws[i].th, NULL);
            gz_tagger_free(ws[i].t);
            gz_buf_free(&ws[i].in);
            gz_buf_free(&ws[i].wb);
        }
    }
    for (doc *d = r.head, *nx; d; d = nx) {
        nx = d->next;
        doc_free(d);
    }
    if (!failed && !stopped) {
        gz_render_run_end(rs, &head);
        if (flush_buf(out, &head, &err) < 0)
            failed = 1;
    }
    if (!failed && gz_out_flush(out) < 0) {
        err = gz_out_errno(out);
        failed = 1;
    }
    if (o->progress)
        report_progress(&r, 1);     /* also after a write error: it clears the line */
    int status = stopped ? GZ_RUN_INTERRUPTED : r.st.errors ? GZ_RUN_PARTIAL : GZ_RUN_OK;
    if (failed) {
        *werr = err;
        status = err == EPIPE ? GZ_RUN_CLOSED : GZ_RUN_WRITE_ERROR;
    }
    free(ws);
    gz_render_free(rs);
    gz_buf_free(&head);
    pthread_cond_destroy(&r.work);
    pthread_cond_destroy(&r.space);
    pthread_cond_destroy(&r.ready);
    pthread_cond_destroy(&r.drained);
    pthread_mutex_destroy(&r.mu);
    return status;
}
