/* SPDX-License-Identifier: MIT */
/*
 * fuzz_entry.c - gz_engine_add_entry on arbitrary strings.
 *
 * The input's lines are the entry's name, type and id, its aliases (split
 * at '|') and attributes ("key=value", one a line); its first byte is the
 * priority.  A refused entry must say why and leave no entry behind (the
 * document passes may still find acronyms); an accepted one is frozen and
 * used to tag the input and the name itself, whose spans must lie inside
 * the text and not overlap.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gaztag.h"

#define MAX_LINES 32

/* Tag text[0, len) and check its spans; *from_entries counts those of the
 * entry. */
static void tag_and_check(const gz_engine *e, const char *text, size_t len,
                          size_t *from_entries)
{
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *spans;
    size_t n;
    gz_error err;
    memset(&err, 0, sizeof err);
    FUZZ_CHECK(gz_tag(t, text, len, &spans, &n, &err) == 0);
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = gz_span_at(spans, i);
        FUZZ_CHECK(gz_span_start(s) < gz_span_end(s) && gz_span_end(s) <= len);
        FUZZ_CHECK(i == 0 || gz_span_start(s) >= gz_span_end(gz_span_at(spans, i - 1)));
        FUZZ_CHECK(gz_span_type(s) && gz_span_id(s) && gz_span_name(s));
        int entry = strcmp(gz_span_source(s), "entries") == 0;
        FUZZ_CHECK(entry || strncmp(gz_span_source(s), "doc:", 4) == 0);
        *from_entries += (size_t)entry;
    }
    gz_tagger_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int priority = (int8_t)data[0];
    char *buf = malloc(size);
    FUZZ_CHECK(buf != NULL);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    char *line[MAX_LINES];
    size_t nl = 0;
    for (char *p = buf; nl < MAX_LINES;) {
        line[nl++] = p;
        char *end = strchr(p, '\n');
        if (!end)
            break;
        *end = '\0';
        p = end + 1;
    }
    const char *aliases[MAX_LINES];
    size_t na = 0;
    if (nl > 3) {
        for (char *p = line[3]; na < MAX_LINES;) {
            aliases[na++] = p;
            char *bar = strchr(p, '|');
            if (!bar)
                break;
            *bar = '\0';
            p = bar + 1;
        }
    }
    gz_attr attrs[MAX_LINES];
    size_t nt = 0;
    for (size_t i = 4; i < nl; i++) {
        char *eq = strchr(line[i], '=');
        if (eq)
            *eq = '\0';
        attrs[nt].key = line[i];
        attrs[nt].value = eq ? eq + 1 : "";
        nt++;
    }

    gz_engine *e = gz_engine_new(NULL);
    gz_error err;
    memset(&err, 0, sizeof err);
    int rc = gz_engine_add_entry(e, line[0], nl > 1 ? line[1] : "X", nl > 2 ? line[2] : NULL,
                                 aliases, na, attrs, nt, priority, &err);
    FUZZ_CHECK(rc == 0 || (rc == -1 && err.message[0]));
    FUZZ_CHECK(gz_engine_freeze(e, &err) == 0);
    size_t n = 0;
    tag_and_check(e, (const char *)data, size, &n);
    tag_and_check(e, line[0], strlen(line[0]), &n);
    if (rc < 0)
        FUZZ_CHECK(n == 0);  /* a refused entry left nothing behind */
    gz_engine_free(e);
    free(buf);
    return 0;
}
