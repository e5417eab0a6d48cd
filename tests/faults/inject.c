/* SPDX-License-Identifier: MIT */
/*
 * inject.c - an LD_PRELOAD shim that makes system calls and allocations
 * fail on purpose, so the tests can show that gaztag reports each failure.
 *
 * GZ_FAULTS holds rules separated by ';', each "CALL:WHAT[:KEY=VALUE...]":
 *   read:SUBSTR         read() on a descriptor opened from a path containing
 *                       SUBSTR fails
 *   open:SUBSTR         open() of such a path fails
 *   write:FD            write() on descriptor FD fails
 *   short:FD            write() on FD writes at most one byte, and every
 *                       other call fails with EINTR first (no error: the
 *                       caller must loop)
 *   shrink:SUBSTR       after the first read() on such a path, the file is
 *                       truncated to size= bytes (a file shrinking while read)
 *   malloc:MIN          malloc/calloc/realloc of MIN bytes or more fails
 *   fifo:SUBSTR         just before such a path is opened, the file is
 *                       replaced by a FIFO that no one writes (a file
 *                       swapped between a walk and the open)
 * Keys: errno=NAME (EIO, ENOSPC, EACCES, EMFILE, ENOMEM, EPIPE; default EIO,
 * ENOMEM for malloc), after=N (let the first N matching calls succeed),
 * size=N (for shrink).  Each injected failure is counted on stderr only
 * when GZ_FAULTS_VERBOSE is set, so expected output stays exact.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum kind { K_READ, K_OPEN, K_WRITE, K_SHORT, K_SHRINK, K_MALLOC, K_FIFO };

typedef struct rule {
    int kind;
    char what[200];
    long fd;
    size_t min;
    int err;
    long after;
    long seen;
    long size;
} rule;

#define MAX_RULES 8
#define MAX_FDS 4096

static rule rules[MAX_RULES];
static int nrules;
static int parsed;
/* For each descriptor, the rules (bit i: rule i) whose path it was opened from. */
static unsigned char fd_rules[MAX_FDS];

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

/* dlsym may allocate before real_malloc is known: serve it from here. */
static _Alignas(16) char boot[16384];
static size_t boot_used;
static int resolving;

static void *boot_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (boot_used + n > sizeof boot)
        return NULL;
    void *p = boot + boot_used;
    boot_used += n;
    return p;
}

static int in_boot(const void *p)
{
    return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

static void resolve(void)
{
    if (real_free || resolving)
        return;
    resolving = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_read = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
    real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    resolving = 0;
}

static int errno_named(const char *s, int dflt)
{
    static const struct { const char *name; int value; } names[] = {
        {"EIO", EIO}, {"ENOSPC", ENOSPC}, {"EACCES", EACCES}, {"EMFILE", EMFILE},
        {"ENOMEM", ENOMEM}, {"EPIPE", EPIPE}, {"EINTR", EINTR}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].value;
    return dflt;
}

/* Parse GZ_FAULTS once; no allocation (this runs inside malloc too). */
extern char **environ;

static void parse(void)
{
    if (parsed)
        return;
    /* A sanitizer runtime allocates before the C library has set up the
     * environment: try again on a later call. */
    if (!environ || !environ[0])
        return;
    parsed = 1;
    const char *env = getenv("GZ_FAULTS");
    if (!env)
        return;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", env);
    char *save1 = NULL;
    for (char *r = strtok_r(buf, ";", &save1); r && nrules < MAX_RULES;
         r = strtok_r(NULL, ";", &save1)) {
        rule *x = &rules[nrules];
        memset(x, 0, sizeof *x);
        char *save2 = NULL;
        char *call = strtok_r(r, ":", &save2);
        char *what = strtok_r(NULL, ":", &save2);
        if (!call || !what)
            continue;
        if (!strcmp(call, "read")) x->kind = K_READ;
        else if (!strcmp(call, "open")) x->kind = K_OPEN;
        else if (!strcmp(call, "write")) x->kind = K_WRITE;
        else if (!strcmp(call, "short")) x->kind = K_SHORT;
        else if (!strcmp(call, "shrink")) x->kind = K_SHRINK;
        else if (!strcmp(call, "malloc")) x->kind = K_MALLOC;
        else if (!strcmp(call, "fifo")) x->kind = K_FIFO;
        else continue;
        snprintf(x->what, sizeof x->what, "%s", what);
        x->fd = strtol(what, NULL, 10);
        x->min = (size_t)strtoull(what, NULL, 10);
        x->err = x->kind == K_MALLOC ? ENOMEM : EIO;
        for (char *kv = strtok_r(NULL, ":", &save2); kv; kv = strtok_r(NULL, ":", &save2)) {
            if (!strncmp(kv, "errno=", 6))
                x->err = errno_named(kv + 6, x->err);
            else if (!strncmp(kv, "after=", 6))
                x->after = strtol(kv + 6, NULL, 10);
            else if (!strncmp(kv, "size=", 5))
                x->size = strtol(kv + 5, NULL, 10);
        }
        nrules++;
    }
}

static void note(const char *what)
{
    if (getenv("GZ_FAULTS_VERBOSE")) {
        char msg[128];
        int n = snprintf(msg, sizeof msg, "inject: %s\n", what);
        if (n > 0 && real_write)
            real_write(2, msg, (size_t)n);
    }
}

/* Does rule x fire now?  Counts the matching call. */
static int fire(rule *x)
{
    return x->seen++ >= x->after;
}

static int after_open(const char *path, int fd)
{
    if (fd < 0 || fd >= MAX_FDS)
        return fd;
    fd_rules[fd] = 0;
    for (int i = 0; i < nrules; i++)
        if ((rules[i].kind == K_READ || rules[i].kind == K_SHRINK) &&
            strstr(path, rules[i].what))
            fd_rules[fd] |= (unsigned char)(1u << i);
    return fd;
}

static int open_fails(const char *path)
{
    for (int i = 0; i < nrules; i++) {
        if (rules[i].kind == K_FIFO && strstr(path, rules[i].what) && fire(&rules[i])) {
            note("fifo");
            if (unlink(path) != 0 || mkfifo(path, 0600) != 0)
                note("fifo failed");
        }
        if (rules[i].kind == K_OPEN && strstr(path, rules[i].what) && fire(&rules[i])) {
            note("open");
            errno = rules[i].err;
            return 1;
        }
    }
    return 0;
}

int open(const char *path, int flags, ...)
{
    resolve();
    parse();
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (open_fails(path))
        return -1;
    return after_open(path, real_open(path, flags, mode));
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int openat(int dirfd, const char *path, int flags, ...)
{
    resolve();
    parse();
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (open_fails(path))
        return -1;
    return after_open(path, real_openat(dirfd, path, flags, mode));
}

int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int close(int fd)
{
    resolve();
    if (fd >= 0 && fd < MAX_FDS)
        fd_rules[fd] = 0;
    return real_close(fd);
}

ssize_t read(int fd, void *buf, size_t n)
{
    resolve();
    parse();
    unsigned bits = fd >= 0 && fd < MAX_FDS ? fd_rules[fd] : 0;
    for (int i = 0; bits && i < nrules; i++) {
        rule *x = &rules[i];
        if (!(bits & (1u << i)))
            continue;
        if (x->kind == K_READ && fire(x)) {
            note("read");
            errno = x->err;
            return -1;
        }
        if (x->kind == K_SHRINK && x->seen++ == 0) {
            ssize_t r = real_read(fd, buf, n);
            if (ftruncate(fd, x->size) != 0) {
                /* opened read-only: truncate through the path instead */
                char link[64], path[4096];
                snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
                ssize_t l = readlink(link, path, sizeof path - 1);
                if (l > 0) {
                    path[l] = '\0';
                    if (truncate(path, x->size) == 0)
                        note("shrink");
                }
            }
            return r;
        }
    }
    return real_read(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    resolve();
    parse();
    for (int i = 0; i < nrules; i++) {
        rule *x = &rules[i];
        if (x->fd != fd)
            continue;
        if (x->kind == K_WRITE && fire(x)) {
            note("write");
            errno = x->err;
            return -1;
        }
        if (x->kind == K_SHORT && n > 0) {
            if (x->seen++ % 2 == 0) {
                errno = EINTR;
                return -1;
            }
            return real_write(fd, buf, 1);
        }
    }
    return real_write(fd, buf, n);
}

static int alloc_fails(size_t n)
{
    for (int i = 0; i < nrules; i++) {
        if (rules[i].kind == K_MALLOC && n >= rules[i].min && fire(&rules[i])) {
            errno = rules[i].err;
            return 1;
        }
    }
    return 0;
}

void *malloc(size_t n)
{
    resolve();
    if (!real_malloc)
        return boot_alloc(n);
    parse();
    return alloc_fails(n) ? NULL : real_malloc(n);
}

void *calloc(size_t count, size_t size)
{
    resolve();
    if (!real_calloc)
        return boot_alloc(count * size);  /* boot memory is zeroed */
    parse();
    size_t n = size && count > (size_t)-1 / size ? (size_t)-1 : count * size;
    return alloc_fails(n) ? NULL : real_calloc(count, size);
}

void *realloc(void *p, size_t n)
{
    resolve();
    if (in_boot(p)) {
        void *q = malloc(n);
        size_t room = (size_t)(boot + sizeof boot - (char *)p);
        if (q)
            memcpy(q, p, n < room ? n : room);
        return q;
    }
    parse();
    return alloc_fails(n) ? NULL : real_realloc(p, n);
}

void free(void *p)
{
    if (!p || in_boot(p))
        return;
    resolve();
    real_free(p);
}
