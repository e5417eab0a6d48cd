/* SPDX-License-Identifier: MIT */
/*
 * example.c - the smallest complete use of libgaztag through its public
 * header alone: build an engine from one dictionary, tag one string, print
 * each span as "start end type id name text" (tab separated).
 *
 *   cc example.c $(pkg-config --cflags --libs gaztag) -o example
 *   ./example people.tsv 'Ada Lovelace met Charles Babbage.'
 *
 * Exit status: 0 when the text was tagged completely, 1 when only in part,
 * 2 on a usage or set-up error.
 */
#include <gaztag.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: example DICTIONARY TEXT\n");
        return 2;
    }
    gz_error err = {0};
    gz_engine_options opts = GZ_ENGINE_OPTIONS_INIT;
    gz_engine *engine = gz_engine_new(&opts);
    if (gz_engine_add_dictionary(engine, argv[1], 1, &err) < 0 ||
        gz_engine_freeze(engine, &err) < 0) {
        fprintf(stderr, "example: %s:%ld: %s\n", err.file, err.line, err.message);
        gz_engine_free(engine);
        return 2;
    }

    /* One tagger per thread; the frozen engine may be shared between them. */
    gz_tagger *tagger = gz_tagger_new(engine);
    const char *text = argv[2];
    const gz_span *spans;
    size_t n;
    int rc = gz_tag(tagger, text, strlen(text), &spans, &n, &err);
    if (rc < 0) {
        fprintf(stderr, "example: %s\n", err.message);
        rc = 2;
    } else {
        if (rc == 1)
            fprintf(stderr, "example: tagged in part: %s\n", err.message);
        for (size_t i = 0; i < n; i++) {
            const gz_span *s = gz_span_at(spans, i);
            size_t start = gz_span_start(s), end = gz_span_end(s);
            printf("%zu\t%zu\t%s\t%s\t%s\t%.*s\n", start, end, gz_span_type(s), gz_span_id(s),
                   gz_span_name(s), (int)(end - start), text + start);
        }
    }
    /* The spans belong to the tagger: read them before freeing it. */
    gz_tagger_free(tagger);
    gz_engine_free(engine);
    return rc;
}
