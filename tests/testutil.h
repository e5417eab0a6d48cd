/* SPDX-License-Identifier: MIT */
/* testutil.h - helpers shared by the Check suites: temporary files, an
 * engine built from inline dictionary text, and span look-ups. */
#ifndef GZ_TESTUTIL_H
#define GZ_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaztag.h"
#include "span.h"

/* Write text to a new temporary file named like the stem; returns its path
 * (malloc'd).  The stem becomes the dictionary's type when it has no type
 * column. */
static inline char *tu_write_file(const char *stem, const char *text)
{
    char dir[] = "/tmp/gaztag-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    size_t n = strlen(dir) + strlen(stem) + 8;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s.tsv", dir, stem);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(text, 1, strlen(text), f);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static inline void tu_remove(char *path)
{
    unlink(path);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    rmdir(path);
    free(path);
}

/* An engine from one dictionary's text (and optional rule text). */
/* The bundled types file (the roles of PERSON, ORG, KEYWORD, the class
 * lists...): $GAZTAG_DATA/types.txt, as make check sets it. */
static inline const char *tu_types_path(void)
{
    static char path[4096];
    const char *data = getenv("GAZTAG_DATA");
    snprintf(path, sizeof path, "%s/types.txt", data && *data ? data : "dictionaries");
    return path;
}

static inline void tu_add_types(gz_engine *e)
{
    gz_error err = {0};
    ck_assert_msg(gz_engine_add_types(e, tu_types_path(), &err) == 0, "types: %s:%ld: %s",
                  err.file, err.line, err.message);
}

static inline gz_engine *tu_engine(const char *dict, const char *rules, int fold)
{
    gz_engine_options o = GZ_ENGINE_OPTIONS_INIT;
    o.fold_diacritics = fold;
    gz_engine *e = gz_engine_new(&o);
    tu_add_types(e);
    gz_error err = {0};
    if (dict) {
        char *p = tu_write_file("dict", dict);
        int rc = gz_engine_add_dictionary(e, p, 1, &err);
        ck_assert_msg(rc == 0, "dictionary: %s:%ld:%ld: %s", err.file, err.line, err.column,
                      err.message);
        tu_remove(p);
    }
    if (rules) {
        char *p = tu_write_file("rules", rules);
        int rc = gz_engine_add_rules(e, p, 1, &err);
        ck_assert_msg(rc == 0, "rules: %s:%ld: %s", err.file, err.line, err.message);
        tu_remove(p);
    }
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    return e;
}

/* Tag text and render the spans as "start-end:type:id" lines into a static
 * buffer, for compact assertions. */
static inline const char *tu_tag(gz_engine *e, const char *text)
{
    static char out[8192];
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    int rc = gz_tag(t, text, strlen(text), &s, &n, &err);
    ck_assert_int_ge(rc, 0);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k < sizeof out - 200; i++)
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%.*s/%s/%s", i ? " " : "",
                              (int)(s[i].end - s[i].start), text + s[i].start, s[i].type,
                              s[i].id);
    gz_tagger_free(t);
    return out;
}

#define TU_MAIN(suite_fn)                                 \
    int main(void)                                        \
    {                                                     \
        SRunner *sr = srunner_create(suite_fn());         \
        srunner_run_all(sr, CK_ENV);                      \
        int failed = srunner_ntests_failed(sr);           \
        srunner_free(sr);                                 \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;      \
    }

#endif
