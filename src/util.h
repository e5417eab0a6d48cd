/* SPDX-License-Identifier: MIT */
/* util.h - allocation wrappers that abort on exhaustion, a bump arena, a
 * growable byte buffer, error filling and the FNV-1a hash. */
#ifndef GZ_UTIL_H
#define GZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaztag.h"
#include "span.h"

#if defined(__GNUC__)
#define GZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define GZ_NORETURN __attribute__((noreturn))
#else
#define GZ_PRINTF(a, b)
#define GZ_NORETURN
#endif

/* Print "gaztag: out of memory" and abort.  The one place the library exits. */
GZ_NORETURN void gz_oom(void);

void *gz_xmalloc(size_t n);
void *gz_xcalloc(size_t count, size_t size);
void *gz_xrealloc(void *p, size_t n);
char *gz_xstrdup(const char *s);
char *gz_xstrndup(const char *s, size_t n);

/* Grow *p (an array of *cap elements of size sz) to hold at least need. */
void gz_grow(void **p, size_t *cap, size_t need, size_t sz);
/* The *.tsv regular files of dir, as paths dir/NAME sorted by byte value
 * (free with gz_free_list), or NULL with errno set when dir cannot be read. */
char **gz_list_tsv(const char *dir, size_t *count);
void gz_free_list(char **v, size_t n);

#define GZ_GROW(arr, cap, need) gz_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* qsort that accepts an empty or NULL array (qsort's pointer must not be
 * NULL even when the count is 0).  Every sort in gaztag goes through it. */
static inline void gz_sort(void *base, size_t n, size_t size,
                           int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/* A bump allocator: many small allocations freed together. */
typedef struct gz_arena gz_arena;
gz_arena *gz_arena_new(void);
void *gz_arena_alloc(gz_arena *a, size_t n);  /* 8-byte aligned */
char *gz_arena_strndup(gz_arena *a, const char *s, size_t n);  /* NUL-terminated */
void gz_arena_reset(gz_arena *a);  /* drop everything, keep the first block */
void gz_arena_free(gz_arena *a);
size_t gz_arena_bytes(const gz_arena *a);

/* A growable byte buffer. */
typedef struct gz_buf {
    char *data;
    size_t len, cap;
} gz_buf;
void gz_buf_reserve(gz_buf *b, size_t extra);

/* Append n bytes (or one byte) and keep the buffer NUL-terminated; inline,
 * since the tagger appends a key per token it looks up. */
static inline void gz_buf_add(gz_buf *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap)
        gz_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void gz_buf_addc(gz_buf *b, char c)
{
    if (b->len + 2 > b->cap)
        gz_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void gz_buf_adds(gz_buf *b, const char *s);
void gz_buf_printf(gz_buf *b, const char *fmt, ...) GZ_PRINTF(2, 3);
void gz_buf_vprintf(gz_buf *b, const char *fmt, va_list ap) GZ_PRINTF(2, 0);
void gz_buf_free(gz_buf *b);

/* Append the whole file at path to out (left NUL-terminated, data never
 * NULL).  Returns 0, or -1 with err saying "cannot open 'PATH': ..." or
 * "cannot read 'PATH': ..." and naming the file. */
int gz_read_file(const char *path, gz_buf *out, gz_error *err);

/* Fill err (may be NULL) with a message and a location.  A message or file
 * name too long for err is cut in the middle ("..."), never at the end, so
 * the reason a message ends with is kept. */
void gz_error_set(gz_error *err, const char *file, long line, long column,
                  const char *fmt, ...) GZ_PRINTF(5, 6);

#define GZ_FNV_OFFSET 14695981039346656037ULL
#define GZ_FNV_PRIME 1099511628211ULL
static inline uint64_t gz_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= GZ_FNV_PRIME;
    }
    return h;
}

/* Decode one UTF-8 sequence at s[0, n) (n >= 1).  Returns the number of bytes
 * used (>= 1) and stores the code point, or -1 for an invalid or truncated
 * sequence (then 1 byte is used).  Overlong forms and surrogates are invalid. */
size_t gz_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);

/* Encode cp as UTF-8 into out (4 bytes room); returns the length. */
size_t gz_utf8_encode(int32_t cp, char *out);

#endif
