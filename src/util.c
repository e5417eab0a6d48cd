/* SPDX-License-Identifier: MIT */
/*
 * util.c - allocation, arena, buffer and error helpers shared by every module.
 * Allocation failure is the one condition on which library code ends the
 * process: the wrappers print "gaztag: out of memory" and abort.
 */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gz_oom(void)
{
    static const char msg[] = "gaztag: out of memory\n";
    fwrite(msg, 1, sizeof msg - 1, stderr);
    abort();
}

void *gz_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        gz_oom();
    return p;
}

void *gz_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        gz_oom();
    return p;
}

void *gz_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        gz_oom();
    return q;
}

char *gz_xstrndup(const char *s, size_t n)
{
    char *p = gz_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *gz_xstrdup(const char *s)
{
    return gz_xstrndup(s, strlen(s));
}

void gz_grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / sz)
            gz_oom();
        c *= 2;
    }
    *p = gz_xrealloc(*p, c * sz);
    *cap = c;
}

/* Arena: a list of blocks; big requests get a block of their own. */
struct block {
    struct block *next;
    size_t used, size;
    _Alignas(8) unsigned char data[];
};

struct gz_arena {
    struct block *head;
    size_t total;
};

#define ARENA_BLOCK (256 * 1024)

gz_arena *gz_arena_new(void)
{
    return gz_xcalloc(1, sizeof(gz_arena));
}

static struct block *new_block(size_t size)
{
    struct block *b = gz_xmalloc(sizeof(struct block) + size);
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

void *gz_arena_alloc(gz_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!n)
        n = 8;
    struct block *b = a->head;
    if (!b || b->size - b->used < n) {
        if (n > ARENA_BLOCK / 4) {
            /* A big allocation gets its own block behind the current one. */
            struct block *big = new_block(n);
            big->used = n;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            a->total += n;
            return big->data;
        }
        b = new_block(ARENA_BLOCK);
        b->next = a->head;
        a->head = b;
        a->total += ARENA_BLOCK;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

char *gz_arena_strndup(gz_arena *a, const char *s, size_t n)
{
    char *p = gz_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void gz_arena_reset(gz_arena *a)
{
    if (!a || !a->head)
        return;
    /* Keep the last block in the list (the oldest) if it is a normal one. */
    struct block *b = a->head, *keep = NULL;
    while (b) {
        struct block *next = b->next;
        if (!next && b->size == ARENA_BLOCK) {
            keep = b;
            break;
        }
        free(b);
        b = next;
    }
    a->head = keep;
    a->total = 0;
    if (keep) {
        keep->used = 0;
        a->total = keep->size;
    }
}

void gz_arena_free(gz_arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

size_t gz_arena_bytes(const gz_arena *a)
{
    return a ? a->total : 0;
}

void gz_buf_reserve(gz_buf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->len + extra + 1)
            c *= 2;
        b->data = gz_xrealloc(b->data, c);
        b->cap = c;
    }
}

void gz_buf_adds(gz_buf *b, const char *s)
{
    gz_buf_add(b, s, strlen(s));
}

void gz_buf_vprintf(gz_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof tmp) {
        gz_buf_add(b, tmp, (size_t)n);
    } else if (n >= 0) {
        gz_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void gz_buf_printf(gz_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gz_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void gz_buf_free(gz_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Copy s[0, n) into dst[size], NUL-terminated.  What does not fit is cut
 * from the middle, marked "...", so that both ends stay: the start of a
 * message and its reason (": No such file or directory"), or both ends of
 * a path.  Cuts fall between UTF-8 characters. */
static void copy_middle_cut(char *dst, size_t size, const char *s, size_t n)
{
    if (n < size) {
        memcpy(dst, s, n);
        dst[n] = '\0';
        return;
    }
    size_t room = size - 4;               /* "..." and the NUL */
    size_t head = room / 3, tail = room - head;
    while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
        head--;
    size_t from = n - tail;
    while (from < n && ((unsigned char)s[from] & 0xC0) == 0x80)
        from++;
    memcpy(dst, s, head);
    memcpy(dst + head, "...", 3);
    memcpy(dst + head + 3, s + from, n - from);
    dst[head + 3 + (n - from)] = '\0';
}

void gz_error_set(gz_error *err, const char *file, long line, long column,
                  const char *fmt, ...)
{
    if (!err)
        return;
    gz_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    gz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    copy_middle_cut(err->message, sizeof err->message, b.data ? b.data : "", b.len);
    gz_buf_free(&b);
    file = file ? file : "";
    copy_middle_cut(err->file, sizeof err->file, file, strlen(file));
    err->line = line;
    err->column = column;
}

size_t gz_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    int32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    if (n < len) {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return len;
}

size_t gz_utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int gz_read_file(const char *path, gz_buf *out, gz_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        gz_error_set(err, path, 0, 0, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        gz_buf_reserve(out, 65536);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            gz_error_set(err, path, 0, 0, "cannot read '%s': %s", path, strerror(errno));
            close(fd);
            out->data[out->len] = '\0';
            return -1;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    out->data[out->len] = '\0';
    close(fd);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **gz_list_tsv(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        GZ_GROW(v, cap, n + 1);
        v[n++] = gz_xstrdup(path);
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, cmp_str);
    *count = n;
    if (!v)
        v = gz_xcalloc(1, sizeof *v);
    return v;
}

void gz_free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
