/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dict.c - the dictionary parser on arbitrary bytes.
 *
 * The input is loaded as a dictionary twice: strictly (the first bad row
 * fails the load, as `gaztag tag` does) and with a problem callback that
 * skips bad rows (as `lint` does).  A failed load must say why; a loaded
 * dictionary is frozen and used to tag the input itself, so the names it
 * holds are looked up again through the tokenizer.
 */
#include <string.h>

#include "fuzz.h"
#include "gazetteer.h"
#include "span.h"
#include "gaztag.h"

static int count_problem(void *ctx, const char *file, long line, long column,
                         const char *message)
{
    FUZZ_CHECK(file && message && message[0] && line >= 1 && column >= 0);
    (*(int *)ctx)++;
    return 0;
}

static void check_spans(const gz_span *s, size_t n, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(s[i].start < s[i].end && s[i].end <= len);
        FUZZ_CHECK(i == 0 || s[i].start >= s[i - 1].end);
        FUZZ_CHECK(s[i].type && s[i].id && s[i].name && s[i].source);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);

    int problems = 0;
    gz_error err;
    memset(&err, 0, sizeof err);
    gz_gazetteer *g = gz_gaz_new(size && (data[0] & 1) ? GZ_GAZ_FOLD_DIACRITICS : 0);
    int rc = gz_gaz_load(g, path, 1, count_problem, &problems, &err);
    FUZZ_CHECK(rc == 0);  /* the callback never asks to stop */
    gz_gaz_freeze(g, NULL);
    FUZZ_CHECK(gz_gaz_source_count(g) == 1);
    gz_gaz_free(g);

    gz_engine_options eo = GZ_ENGINE_OPTIONS_INIT;
    eo.fold_diacritics = size > 1 && (data[1] & 1);
    gz_engine *e = gz_engine_new(&eo);
    memset(&err, 0, sizeof err);
    FUZZ_CHECK(gz_engine_add_types(e, fuzz_types(), &err) == 0);
    if (gz_engine_add_dictionary(e, path, 1, &err) < 0) {
        FUZZ_CHECK(err.message[0] && err.line >= 1);
        FUZZ_CHECK(problems > 0);  /* lint mode saw the same problem */
    } else if (gz_engine_freeze(e, &err) == 0) {
        gz_tagger *t = gz_tagger_new(e);
        const gz_span *spans;
        size_t n;
        FUZZ_CHECK(gz_tag(t, (const char *)data, size, &spans, &n, &err) == 0);
        check_spans(spans, n, size);
        gz_tagger_free(t);
    }
    gz_engine_free(e);
    return 0;
}
