/* SPDX-License-Identifier: MIT */
/*
 * fuzz_eval.c - eval's readers on arbitrary bytes: gold annotations (CoNLL,
 * brat with its text, gaztag TSV), predictions (TSV or CoNLL) and the
 * CoNLL-to-dictionary converter.
 *
 * The first byte picks the gold format and whether the gold's own documents
 * are also tagged; the next two cut the rest into gold, predictions and (for
 * brat) the document text.  A failed parse must say why; a scored run must
 * count no more correct mentions than it has gold or predicted ones, and its
 * report must be produced with and without the error listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "fuzz.h"
#include "gaztag.h"

static void write_beside(const char *path, const char *suffix, const char *data, size_t n)
{
    char p[4200];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror("fuzz: write brat text");
        abort();
    }
}

static void remove_beside(const char *path, const char *suffix)
{
    char p[4200];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    remove(p);
}

static void score(gz_eval *ev)
{
    gz_eval_counts c;
    gz_eval_counts_for(ev, NULL, &c);
    FUZZ_CHECK(c.correct <= c.gold && c.correct <= c.pred);
    FUZZ_CHECK(c.precision >= 0 && c.precision <= 100 && c.recall >= 0 && c.recall <= 100);
    for (int errors = 0; errors <= 1; errors++) {
        gz_buf out = {0};
        gz_eval_report(ev, errors, &out);
        FUZZ_CHECK(out.len > 0);
        gz_buf_free(&out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    unsigned sel = data[0];
    const char *rest = (const char *)data + 3;
    size_t len = size - 3;
    size_t cut1 = len ? data[1] * len / 255 : 0;
    size_t cut2 = cut1 + (len - cut1 ? data[2] * (len - cut1) / 255 : 0);
    const char *gold = rest, *pred = rest + cut1, *text = rest + cut2;
    size_t ngold = cut1, npred = cut2 - cut1, ntext = len - cut2;
    int format = (int)(sel % 3);   /* GZ_GOLD_CONLL, GZ_GOLD_BRAT, GZ_GOLD_TSV */

    const char *path = fuzz_file(0, gold, ngold);
    if (format == GZ_GOLD_BRAT)
        write_beside(path, ".txt", text, ntext);
    gz_error err;
    memset(&err, 0, sizeof err);
    gz_gold *g = gz_gold_parse(path, gold, ngold, format, &err);
    if (format == GZ_GOLD_BRAT)
        remove_beside(path, ".txt");
    if (!g) {
        FUZZ_CHECK(err.message[0] != '\0');
    } else {
        FUZZ_CHECK(gz_gold_mention_count(g) == 0 || gz_gold_doc_count(g) > 0);
        gz_typemap *m = gz_typemap_parse(NULL, &err);
        FUZZ_CHECK(m != NULL);
        gz_eval *ev = gz_eval_new(g, m);
        memset(&err, 0, sizeof err);
        if (gz_eval_add_pred(ev, "pred.tsv", pred, npred, &err) < 0)
            FUZZ_CHECK(err.message[0] != '\0');
        if ((sel & 4) && format != GZ_GOLD_TSV) {
            memset(&err, 0, sizeof err);
            int rc = gz_eval_tag(ev, fuzz_engine(0), &err);
            FUZZ_CHECK(rc == 0 || (rc == 1 && err.message[0] != '\0'));
        }
        score(ev);
        gz_eval_free(ev);
        gz_typemap_free(m);
        gz_gold_free(g);
    }

    gz_buf dict = {0};
    memset(&err, 0, sizeof err);
    long rows = gz_dict_from_conll("train.conll", gold, ngold, &dict, &err);
    FUZZ_CHECK(rows >= 0 || err.message[0] != '\0');
    gz_buf_free(&dict);
    return 0;
}
