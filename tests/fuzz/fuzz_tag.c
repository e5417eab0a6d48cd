/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tag.c - the tagger on arbitrary bytes, with a fixed dictionary and
 * rule set (see fuzz_engine in common.c).
 *
 * The first byte picks the engine (diacritic folding or not) and a cut
 * point; the rest is the document.  It is tagged whole, then as two chunks
 * with the second at a base offset, as the corpus reader does.  Every span
 * must lie inside the text, spans must be sorted and must not overlap, and
 * a document tagged only in part must say which rule stopped.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gaztag.h"
#include "tagger.h"

static void check(const gz_span *s, size_t n, size_t lo, size_t hi, int rc,
                  const gz_error *err)
{
    FUZZ_CHECK(rc == 0 || rc == 1);
    if (rc == 1)
        FUZZ_CHECK(strstr(err->message, "rule '") != NULL && err->line >= 1);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(lo <= s[i].start && s[i].start < s[i].end && s[i].end <= hi);
        FUZZ_CHECK(i == 0 || s[i].start >= s[i - 1].end);
        FUZZ_CHECK(s[i].type && s[i].id && s[i].name && s[i].source);
        FUZZ_CHECK(s[i].type[0] != '_');  /* class types are never printed */
        for (size_t k = 0; k < s[i].n_alts; k++)
            FUZZ_CHECK(s[i].alts[k].start == s[i].start && s[i].alts[k].end == s[i].end);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    const gz_engine *e = fuzz_engine(sel & 1);
    setenv("GAZTAG_ARENA_LIMIT", "1", 0);  /* compact the passes' memory whenever it may */
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *spans;
    size_t n;
    gz_error err;
    memset(&err, 0, sizeof err);
    int rc = gz_tag(t, text, len, &spans, &n, &err);
    check(spans, n, 0, len, rc, &err);

    size_t cut = len ? (sel >> 1) % (len + 1) : 0;
    memset(&err, 0, sizeof err);
    rc = gz_tag_chunk(t, text, cut, 0, &spans, &n, &err);
    check(spans, n, 0, cut, rc, &err);
    memset(&err, 0, sizeof err);
    rc = gz_tag_chunk(t, text + cut, len - cut, cut, &spans, &n, &err);
    check(spans, n, cut, len, rc, &err);
    gz_tagger_free(t);
    return 0;
}
