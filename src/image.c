/* SPDX-License-Identifier: MIT */
/*
 * image.c - compiled gazetteer images: write, map, check, compile.
 *
 * The file is the frozen tables of gazetteer.h byte for byte, after a header
 * and a table of contents; the records hold offsets and indices only, so a
 * mapping is used as it is, whatever address it lands at.  Invariants of an
 * accepted image: the header checksum matches, the file is exactly as long
 * as the header says, every table lies inside the file, is 8-byte aligned
 * and is a whole number of records of this build's record size.  Nothing
 * else is trusted: the gazetteer's accessors check each index and offset
 * they follow.  Images are written in the host's byte order and refused on
 * another.
 */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tagger.h"
#include "util.h"

static const char magic[8] = {'G', 'Z', 'T', 'A', 'G', 'I', 'M', 'G'};
#define BYTE_ORDER_MARK 0x01020304u

typedef struct img_header {
    char magic[8];
    uint32_t byte_order;    /* BYTE_ORDER_MARK as the writer stored it */
    uint32_t format;        /* GZ_IMAGE_FORMAT */
    char version[16];       /* GAZTAG_VERSION of the writer, NUL-padded */
    uint64_t file_size;
    uint32_t n_sections;
    uint32_t flags;         /* GZ_GAZ_* the tables were built with */
    uint32_t max_tokens, has_fold, has_plural, spare;
    uint64_t body_sum;      /* checksum of everything after the table of contents */
    uint64_t head_sum;      /* checksum of the header (this field 0) and the contents */
} img_header;

typedef struct img_section {
    uint32_t kind;          /* enum section, in this order */
    uint32_t rec_size;      /* bytes per record */
    uint64_t offset;        /* from the start of the file, 8-byte aligned */
    uint64_t count;         /* records */
} img_section;

enum section { S_POOL, S_KEYS, S_SLOTS, S_ENTRIES, S_FORMS, S_SOURCES, S_ATTRS, S_BLOOM,
               S_LBLOOM, N_SECTIONS };

static const uint32_t rec_size[N_SECTIONS] = {
    1, sizeof(gz_key), sizeof(uint64_t), sizeof(gz_entry), sizeof(gz_form), sizeof(gz_source),
    sizeof(gz_attr_rec), sizeof(uint64_t), sizeof(uint64_t)};

/* The records are the file format: their sizes are part of it. */
_Static_assert(sizeof(img_header) == 80, "image header layout");
_Static_assert(sizeof(img_section) == 24, "image section layout");
_Static_assert(sizeof(gz_key) == 12 && sizeof(gz_entry) == 40 && sizeof(gz_form) == 16 &&
               sizeof(gz_source) == 40 && sizeof(gz_attr_rec) == 8, "image record layout");

#define TOC_END (sizeof(img_header) + N_SECTIONS * sizeof(img_section))

/* A 64-bit checksum, eight bytes at a time; it finds damage, it is not a
 * defence against a forger. */
static uint64_t checksum(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ (w * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ (w * 0x9E3779B97F4A7C15ULL) ^ n) * 0x94D049BB133111EBULL;
    return h ^ (h >> 29);
}

/* The checksum of the tables data[s] laid out as toc says, padding included. */
static uint64_t body_checksum(const void *const *data, const img_section *toc)
{
    static const char zeros[8];
    uint64_t h = GZ_FNV_OFFSET, at = TOC_END;
    for (int s = 0; s < N_SECTIONS; s++) {
        size_t n = (size_t)(toc[s].count * toc[s].rec_size);
        h = checksum(h, zeros, (size_t)(toc[s].offset - at));
        h = checksum(h, n ? data[s] : zeros, n);
        at = toc[s].offset + n;
    }
    return h;
}

static uint64_t head_checksum(const img_header *h, const img_section *toc)
{
    img_header c = *h;
    c.head_sum = 0;
    return checksum(checksum(GZ_FNV_OFFSET, &c, sizeof c), toc, N_SECTIONS * sizeof *toc);
}

/* ---- writing ---- */

static int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int gz_image_write(const gz_gazetteer *g, const char *path, gz_error *err)
{
    gz_gaz_tables t;
    gz_gaz_get_tables(g, &t);
    const void *data[N_SECTIONS] = {t.pool, t.keys, t.slots, t.entries, t.forms, t.sources,
                                    t.attrs, t.bloom, t.lbloom};
    uint64_t count[N_SECTIONS] = {t.pool_len, t.n_keys, t.n_slots, t.n_entries, t.n_forms,
                                  t.n_sources, t.n_attrs, t.bloom_words, t.lbloom_words};
    img_header h;
    img_section toc[N_SECTIONS];
    memset(&h, 0, sizeof h);
    memset(toc, 0, sizeof toc);
    memcpy(h.magic, magic, sizeof magic);
    h.byte_order = BYTE_ORDER_MARK;
    h.format = GZ_IMAGE_FORMAT;
    snprintf(h.version, sizeof h.version, "%s", GAZTAG_VERSION);
    h.n_sections = N_SECTIONS;
    h.flags = t.flags;
    h.max_tokens = t.max_tokens;
    h.has_fold = t.has_fold;
    h.has_plural = t.has_plural;
    uint64_t off = TOC_END;
    static const char zeros[8];
    for (int s = 0; s < N_SECTIONS; s++) {
        off = (off + 7) & ~(uint64_t)7;
        toc[s].kind = (uint32_t)s;
        toc[s].rec_size = rec_size[s];
        toc[s].offset = off;
        toc[s].count = count[s];
        off += count[s] * rec_size[s];
    }
    h.file_size = off;
    h.body_sum = body_checksum(data, toc);
    h.head_sum = head_checksum(&h, toc);

    gz_buf tmp = {0};
    gz_buf_printf(&tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        gz_error_set(err, path, 0, 0, "cannot write image '%s': %s", path, strerror(errno));
        gz_buf_free(&tmp);
        return -1;
    }
    int bad = write_all(fd, &h, sizeof h) < 0 || write_all(fd, toc, sizeof toc) < 0;
    uint64_t at = TOC_END;
    for (int s = 0; s < N_SECTIONS && !bad; s++) {
        size_t n = (size_t)(count[s] * rec_size[s]);
        bad = write_all(fd, zeros, (size_t)(toc[s].offset - at)) < 0 ||
              (n && write_all(fd, data[s], n) < 0);
        at = toc[s].offset + n;
    }
    int e = bad ? errno : 0;
    if (fchmod(fd, 0644) != 0 && !e)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp.data, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp.data);
        gz_error_set(err, path, 0, 0, "cannot write image '%s': %s", path, strerror(e));
    }
    gz_buf_free(&tmp);
    return e ? -1 : 0;
}

/* ---- reading ---- */

enum { OPEN_OK, OPEN_BAD, OPEN_OTHER_VERSION };

/* Check the header and table of contents of data[0, len); fills h and toc.
 * Returns OPEN_OK, or another code with err filled. */
static int check_head(const unsigned char *data, size_t len, const char *name, img_header *h,
                      img_section *toc, gz_error *err)
{
    if (len < sizeof *h || memcmp(data, magic, sizeof magic) != 0) {
        gz_error_set(err, name, 0, 0, "'%s' is not a gaztag image", name);
        return OPEN_BAD;
    }
    memcpy(h, data, sizeof *h);
    if (h->byte_order != BYTE_ORDER_MARK) {
        gz_error_set(err, name, 0, 0, "image '%s' was written on a machine of another byte "
                     "order; compile it again with 'gaztag compile'", name);
        return OPEN_OTHER_VERSION;
    }
    if (h->format != GZ_IMAGE_FORMAT) {
        gz_error_set(err, name, 0, 0, "image '%s' has format version %u, this gaztag reads "
                     "version %d; compile it again with 'gaztag compile'", name, h->format,
                     GZ_IMAGE_FORMAT);
        return OPEN_OTHER_VERSION;
    }
    if (len < TOC_END || h->n_sections != N_SECTIONS) {
        gz_error_set(err, name, 0, 0, "image '%s' is truncated or corrupted (no table of "
                     "contents)", name);
        return OPEN_BAD;
    }
    memcpy(toc, data + sizeof *h, N_SECTIONS * sizeof *toc);
    if (strncmp(h->version, GAZTAG_VERSION, sizeof h->version) != 0) {
        char v[sizeof h->version + 1];
        size_t k = 0;
        for (; k < sizeof h->version && h->version[k]; k++)
            v[k] = h->version[k] >= 0x20 && h->version[k] < 0x7F ? h->version[k] : '?';
        v[k] = '\0';
        gz_error_set(err, name, 0, 0, "image '%s' was compiled by gaztag %s, this is gaztag "
                     "%s; compile it again with 'gaztag compile'", name, v, GAZTAG_VERSION);
        return OPEN_OTHER_VERSION;
    }
    if (head_checksum(h, toc) != h->head_sum) {
        gz_error_set(err, name, 0, 0, "image '%s' is corrupted (header checksum mismatch)",
                     name);
        return OPEN_BAD;
    }
    if (h->file_size != len) {
        gz_error_set(err, name, 0, 0, "image '%s' is %s (%zu bytes, the header says %llu)",
                     name, len < h->file_size ? "truncated" : "corrupted", len,
                     (unsigned long long)h->file_size);
        return OPEN_BAD;
    }
    uint64_t prev_end = TOC_END;
    for (int s = 0; s < N_SECTIONS; s++) {
        const img_section *x = &toc[s];
        /* count * rec_size must not overflow and the table must lie in the file */
        int ok = x->kind == (uint32_t)s && x->rec_size == rec_size[s] && !(x->offset & 7) &&
                 x->offset >= prev_end && x->offset <= len &&
                 x->count <= (len - x->offset) / rec_size[s];
        if (!ok) {
            gz_error_set(err, name, 0, 0, "image '%s' is corrupted (table %d is out of place)",
                         name, s);
            return OPEN_BAD;
        }
        prev_end = x->offset + x->count * rec_size[s];
    }
    return OPEN_OK;
}

static gz_gazetteer *open_image(const void *data, size_t len, const char *name,
                                void (*release)(void *), void *ctx, int *code, gz_error *err)
{
    img_header h;
    img_section toc[N_SECTIONS];
    const unsigned char *d = data;
    *code = OPEN_BAD;
    if ((uintptr_t)data & 7) {
        gz_error_set(err, name, 0, 0, "image '%s' is not aligned in memory", name);
        return NULL;
    }
    if ((*code = check_head(d, len, name, &h, toc, err)) != OPEN_OK)
        return NULL;
    gz_gaz_tables t;
    memset(&t, 0, sizeof t);
#define AT(s) ((const void *)(d + toc[s].offset))
    t.pool = AT(S_POOL);
    t.pool_len = toc[S_POOL].count;
    t.keys = AT(S_KEYS);
    t.n_keys = toc[S_KEYS].count;
    t.slots = AT(S_SLOTS);
    t.n_slots = toc[S_SLOTS].count;
    t.entries = AT(S_ENTRIES);
    t.n_entries = toc[S_ENTRIES].count;
    t.forms = AT(S_FORMS);
    t.n_forms = toc[S_FORMS].count;
    t.sources = AT(S_SOURCES);
    t.n_sources = toc[S_SOURCES].count;
    t.attrs = AT(S_ATTRS);
    t.n_attrs = toc[S_ATTRS].count;
    t.bloom = AT(S_BLOOM);
    t.bloom_words = toc[S_BLOOM].count;
    t.lbloom = AT(S_LBLOOM);
    t.lbloom_words = toc[S_LBLOOM].count;
#undef AT
    t.flags = h.flags;
    t.max_tokens = h.max_tokens;
    t.has_fold = h.has_fold;
    t.has_plural = h.has_plural;
    gz_error e2 = {0};
    gz_gazetteer *g = gz_gaz_from_tables(&t, release, ctx, &e2);
    if (!g) {
        *code = OPEN_BAD;
        gz_error_set(err, name, 0, 0, "image '%s' is corrupted (%s)", name, e2.message);
    }
    return g;
}

gz_gazetteer *gz_image_open(const void *data, size_t len, const char *name, gz_error *err)
{
    int code;
    return open_image(data, len, name, NULL, NULL, &code, err);
}

void gz_image_seal(void *data, size_t len)
{
    img_header h;
    img_section toc[N_SECTIONS];
    if (len < TOC_END)
        return;
    memcpy(&h, data, sizeof h);
    memcpy(toc, (char *)data + sizeof h, sizeof toc);
    h.head_sum = head_checksum(&h, toc);
    memcpy(data, &h, sizeof h);
}

typedef struct mapping {
    void *addr;
    size_t len;
} mapping;

static void unmap(void *ctx)
{
    mapping *m = ctx;
    munmap(m->addr, m->len);
    free(m);
}

/* Map path; NULL with err filled.  *len receives the size. */
static void *map_file(const char *path, size_t *len, gz_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        gz_error_set(err, path, 0, 0, "cannot open image '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        gz_error_set(err, path, 0, 0, "cannot read image '%s': %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(img_header)) {
        gz_error_set(err, path, 0, 0, "'%s' is not a gaztag image", path);
        close(fd);
        return NULL;
    }
    *len = (size_t)st.st_size;
    void *p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (p == MAP_FAILED) {
        gz_error_set(err, path, 0, 0, "cannot map image '%s': %s", path, strerror(e));
        return NULL;
    }
    return p;
}

static gz_gazetteer *map_image(const char *path, int *code, gz_error *err)
{
    size_t len;
    *code = OPEN_BAD;
    void *p = map_file(path, &len, err);
    if (!p)
        return NULL;
    mapping *m = gz_xmalloc(sizeof *m);
    m->addr = p;
    m->len = len;
    gz_gazetteer *g = open_image(p, len, path, unmap, m, code, err);
    if (!g)
        unmap(m);
    return g;
}

gz_gazetteer *gz_image_map(const char *path, gz_error *err)
{
    int code;
    return map_image(path, &code, err);
}

int gz_image_verify(const char *path, gz_image_info *info, gz_error *err)
{
    size_t len;
    void *p = map_file(path, &len, err);
    if (!p)
        return -1;
    int code;
    gz_gazetteer *g = open_image(p, len, path, NULL, NULL, &code, err);
    int rc = -1;
    if (g) {
        img_header h;
        img_section toc[N_SECTIONS];
        memcpy(&h, p, sizeof h);
        memcpy(toc, (const char *)p + sizeof h, sizeof toc);
        const void *data[N_SECTIONS];
        for (int s = 0; s < N_SECTIONS; s++)
            data[s] = (const char *)p + toc[s].offset;
        if (body_checksum(data, toc) != h.body_sum) {
            gz_error_set(err, path, 0, 0, "image '%s' is corrupted (its tables do not match "
                         "their checksum)", path);
        } else {
            rc = 0;
            if (info) {
                gz_gaz_tables t;
                gz_gaz_get_tables(g, &t);
                info->entries = (size_t)t.n_entries;
                info->forms = (size_t)t.n_forms;
                info->sources = (size_t)t.n_sources;
                info->bytes = len;
            }
        }
        gz_gaz_free(g);
    }
    munmap(p, len);
    return rc;
}

int gz_image_current(const gz_gazetteer *g, const char *const *files, size_t n)
{
    if (gz_gaz_source_count(g) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const gz_source *s = gz_gaz_source(g, (uint32_t)i);
        const char *rec = gz_gaz_str(g, s->path), *now = files[i];
        const char *rb = strrchr(rec, '/'), *nb = strrchr(now, '/');
        rb = rb ? rb + 1 : rec;
        nb = nb ? nb + 1 : now;
        struct stat st;
        if (s->user || strcmp(rb, nb) != 0 || stat(now, &st) != 0 ||
            (uint64_t)st.st_size != s->size || (int64_t)st.st_mtim.tv_sec != s->mtime_sec ||
            (int64_t)st.st_mtim.tv_nsec != s->mtime_nsec)
            return 0;
    }
    return 1;
}

int gz_image_compile(const char *const *files, size_t n, const char *const *user, size_t nu,
                     unsigned flags, const gz_roles *roles, const char *out, gz_error *err)
{
    gz_gazetteer *g = gz_gaz_new(flags);
    int rc = 0;
    for (size_t i = 0; i < n + nu && rc == 0; i++) {
        const char *path = i < n ? files[i] : user[i - n];
        rc = gz_gaz_load(g, path, i >= n, NULL, NULL, err);
    }
    if (rc == 0) {
        gz_gaz_freeze(g, roles);
        rc = gz_image_write(g, out, err);
    }
    gz_gaz_free(g);
    return rc;
}

int gz_engine_add_image(gz_engine *e, const char *path, gz_error *err)
{
    gz_gazetteer *g = gz_image_map(path, err);
    if (!g)
        return -1;
    return gz_engine_add_gazetteer(e, g, path, err);
}

int gz_image_add_bundled(gz_engine *e, const char *path, const char *const *files, size_t n,
                         gz_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return 0;
    int code;
    gz_gazetteer *g = map_image(path, &code, err);
    if (!g)
        return code == OPEN_OTHER_VERSION ? 0 : -1;
    if (!gz_image_current(g, files, n) || gz_gaz_flags(g) != gz_engine_gaz_flags(e)) {
        gz_gaz_free(g);
        return 0;
    }
    return gz_engine_add_gazetteer(e, g, path, err) < 0 ? -1 : 1;
}

/* Add the bundled dictionary files files[0, n) one by one.  Returns 0, or
 * -1 with err filled. */
static int add_files(gz_engine *e, char *const *files, size_t n, gz_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (gz_engine_add_dictionary(e, files[i], 0, err) < 0)
            return -1;
    return 0;
}

int gz_engine_add_bundled(gz_engine *e, const char *dir, gz_error *err)
{
    gz_error local;
    if (!err)
        err = &local;
    size_t n = 0;
    char **files = gz_list_tsv(dir, &n);
    if (!files) {
        gz_error_set(err, NULL, 0, 0, "cannot read the bundled dictionaries in '%s': %s", dir,
                     strerror(errno));
        return -1;
    }
    char img[PATH_MAX + 32], types[PATH_MAX + 16];
    snprintf(img, sizeof img, "%s/%s", dir, GZ_IMAGE_BUNDLED);
    snprintf(types, sizeof types, "%s/types.txt", dir);
    /* the image keeps the roles of the types file it was compiled with */
    struct stat si, st;
    int used = 0;
    if (stat(img, &si) != 0 || stat(types, &st) != 0 || st.st_mtime <= si.st_mtime)
        used = gz_image_add_bundled(e, img, (const char *const *)files, n, err);
    if (used <= 0) {
        char why[sizeof err->message] = "";
        if (used < 0)   /* a damaged image: read the files, and say why */
            snprintf(why, sizeof why, "%s", err->message);
        used = add_files(e, files, n, err);
        if (used == 0)
            gz_error_set(err, NULL, 0, 0, "%s", why);
    }
    gz_free_list(files, n);
    return used;
}
