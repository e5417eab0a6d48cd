/* SPDX-License-Identifier: MIT */
/*
 * fuzz_image.c - the compiled-image loader on arbitrary bytes.
 *
 * The input is opened as an image, as it is and (for inputs of even length)
 * with its header checksum made to match, so that damaged tables and tables
 * of contents get past the header.  An image that opens is walked through
 * every accessor (forms, chains, entries, attributes, sources, keys), used
 * as an engine's dictionaries to tag a fixed text and the input itself, and
 * checked for being current against no files.  Nothing may be read out of
 * bounds, and every walk must end.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gazetteer.h"
#include "gaztag.h"
#include "image.h"
#include "tagger.h"

static const char text[] =
    "Japan's JAXA met Katsunobu Kato in Tokyo and Łódź; cyber-attacks, agencies. "
    "宇宙航空研究開発機構 THE UNITED STATES of America\n";

static void on_key(void *ctx, const char *key, size_t keylen, uint32_t first)
{
    const gz_gazetteer *g = ctx;
    FUZZ_CHECK(key != NULL || keylen == 0);
    size_t steps = 0;
    for (uint32_t f = first; f != GZ_NO_FORM; f = gz_gaz_next(g, f))
        FUZZ_CHECK(++steps <= (size_t)UINT32_MAX);
}

static void walk(const gz_gazetteer *g)
{
    size_t ne = gz_gaz_entry_count(g);
    for (uint32_t i = 0; i < ne && i < 4096; i++) {
        const gz_entry *e = gz_gaz_entry(g, i);
        FUZZ_CHECK(gz_gaz_str(g, e->type) && gz_gaz_str(g, e->id) && gz_gaz_str(g, e->name));
        const char *k, *v;
        for (uint32_t a = 0; a < e->n_attrs && a < 64; a++)
            if (gz_gaz_attr(g, e, a, &k, &v) == 0)
                FUZZ_CHECK(strlen(k) + strlen(v) < ((size_t)1 << 33));
        const gz_source *s = gz_gaz_source(g, e->source);
        FUZZ_CHECK(gz_gaz_str(g, s->stem) && gz_gaz_str(g, s->path));
        (void)strlen(gz_gaz_str(g, s->path));
    }
    for (uint32_t i = 0; i < 4096; i++) {
        const gz_form *f = gz_gaz_form(g, i);
        (void)strlen(gz_gaz_str(g, f->text));
        (void)gz_gaz_entry(g, f->entry);
    }
    gz_gaz_each_key(g, on_key, (void *)g);
    FUZZ_CHECK(gz_image_current(g, NULL, 0) == (gz_gaz_source_count(g) == 0));
}

static void check_spans(const gz_span *s, size_t n, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(s[i].start < s[i].end && s[i].end <= len);
        FUZZ_CHECK(s[i].type && s[i].id && s[i].name && s[i].source);
        for (size_t a = 0; a < s[i].n_attrs; a++)
            FUZZ_CHECK(s[i].attrs[a].key && s[i].attrs[a].value);
    }
}

static void tag(gz_engine *e, const char *s, size_t len)
{
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *spans;
    size_t n;
    gz_error err;
    memset(&err, 0, sizeof err);
    if (gz_tag(t, s, len, &spans, &n, &err) >= 0)
        check_spans(spans, n, len);
    gz_tagger_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an image is used in place, so it must be aligned as a mapping is */
    uint64_t *buf = malloc(size / 8 + 1 ? (size / 8 + 1) * 8 : 8);
    FUZZ_CHECK(buf != NULL);
    memcpy(buf, data, size);
    if (size % 2 == 0)
        gz_image_seal(buf, size);
    gz_error err;
    memset(&err, 0, sizeof err);
    gz_gazetteer *g = gz_image_open(buf, size, "fuzz.gzi", &err);
    if (!g) {
        FUZZ_CHECK(err.message[0] && strstr(err.message, "fuzz.gzi"));
        free(buf);
        return 0;
    }
    walk(g);
    gz_engine_options eo;
    memset(&eo, 0, sizeof eo);
    eo.fold_diacritics = (gz_gaz_flags(g) & GZ_GAZ_FOLD_DIACRITICS) != 0;
    gz_engine *e = gz_engine_new(&eo);
    FUZZ_CHECK(gz_engine_add_gazetteer(e, g, "fuzz.gzi", &err) == 0);
    if (gz_engine_freeze(e, &err) == 0) {
        tag(e, text, sizeof text - 1);
        tag(e, (const char *)data, size < 65536 ? size : 65536);
    }
    gz_engine_free(e);
    free(buf);
    return 0;
}
