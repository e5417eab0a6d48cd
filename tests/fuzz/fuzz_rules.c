/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rules.c - the rule loader on arbitrary bytes.
 *
 * The input is loaded as a rule file; a failed load must say where and why.
 * A loaded set is run over a fixed text and over the input's own bytes, and
 * every match must lie inside the text; a rule that hits its limits must be
 * named in the error.
 */
#include <string.h>

#include "fuzz.h"
#include "engine.h"
#include "util.h"

static const char text[] =
    "CVE-2021-44228 at 192.0.2.10, mail ops@example.org, \xE6\x9D\xB1\xE4\xBA\xAC "
    "\xFF\xC0\xAF invalid \xED\xA0\x80 bytes, aaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n";

typedef struct hits {
    const gz_patterns *p;
    size_t len;
    size_t n;
    gz_buf id;
    const char *text;
} hits;

static void on_hit(void *ctx, size_t rule, size_t start, size_t end, const size_t *ov,
                   size_t pairs)
{
    hits *h = ctx;
    FUZZ_CHECK(rule < gz_patterns_count(h->p));
    FUZZ_CHECK(start < end && end <= h->len);
    FUZZ_CHECK(pairs >= 1 && ov[0] == start && ov[1] == end);
    h->id.len = 0;
    gz_rule_expand_id(gz_patterns_rule(h->p, rule), h->text, ov, pairs, &h->id);
    h->n++;
}

static void run_over(const gz_patterns *p, gz_pstate *st, const char *s, size_t len)
{
    hits h = {p, len, 0, {0}, s};
    gz_error err;
    memset(&err, 0, sizeof err);
    int stopped = gz_patterns_run(p, st, s, len, on_hit, &h, &err);
    if (stopped)
        FUZZ_CHECK(strstr(err.message, "rule '") != NULL && err.line >= 1);
    gz_buf_free(&h.id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    gz_engine *e = gz_engine_new(NULL);
    const gz_patterns *p = gz_engine_patterns(e);
    gz_error err;
    memset(&err, 0, sizeof err);
    if (gz_engine_add_rules(e, path, 1, &err) < 0 || gz_engine_freeze(e, &err) < 0) {
        FUZZ_CHECK(err.message[0] && err.line >= 1);
    } else {
        for (size_t i = 0; i < gz_patterns_count(p); i++) {
            const gz_rule *r = gz_patterns_rule(p, i);
            FUZZ_CHECK(r->type[0] && r->name[0] && r->line >= 1);
        }
        gz_pstate *st = gz_pstate_new(p);
        run_over(p, st, text, sizeof text - 1);
        run_over(p, st, (const char *)data, size);
        gz_pstate_free(st);
    }
    gz_engine_free(e);
    return 0;
}
