/* SPDX-License-Identifier: MIT */
/* check_patterns.c - regex rules: the bundled rules against their example
 * table, load errors, id templates, and the match limit. */
#include "testutil.h"

#include <dirent.h>

#include "engine.h"
#include "patterns.h"
#include "util.h"

typedef struct hits {
    size_t rule;
    gz_buf out;
    const char *text;
} hits;

static void on_hit(void *ctx, size_t rule, size_t start, size_t end, const size_t *ov,
                   size_t pairs)
{
    (void)ov;
    (void)pairs;
    hits *h = ctx;
    if (rule != h->rule)
        return;
    if (h->out.len)
        gz_buf_addc(&h->out, '|');
    gz_buf_add(&h->out, h->text + start, end - start);
}

static gz_engine *bundled(void)
{
    const char *data = getenv("GAZTAG_DATA");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/rules", data ? data : "dictionaries");
    gz_engine *e = gz_engine_new(NULL);
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        gz_error err = {0};
        ck_assert_msg(gz_engine_add_rules(e, path, 0, &err) == 0, "%s:%ld: %s", err.file,
                      err.line, err.message);
    }
    closedir(d);
    return e;
}

START_TEST(bundled_rules_match_their_examples)
{
    gz_engine *e = bundled();
    const gz_patterns *p = gz_engine_patterns(e);
    gz_pstate *st = gz_pstate_new(p);
    FILE *f = fopen("tests/rule-examples.tsv", "r");
    ck_assert_ptr_nonnull(f);
    char line[4096];
    int header = 0, cases = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        if (!header) {
            header = 1;
            continue;
        }
        char *rule = line, *text = strchr(rule, '\t');
        ck_assert_ptr_nonnull(text);
        *text++ = '\0';
        char *expected = strchr(text, '\t');
        ck_assert_ptr_nonnull(expected);
        *expected++ = '\0';
        hits h = {(size_t)-1, {0}, text};
        for (size_t i = 0; i < gz_patterns_count(p); i++)
            if (strcmp(gz_patterns_rule(p, i)->name, rule) == 0)
                h.rule = i;
        ck_assert_msg(h.rule != (size_t)-1, "no rule '%s'", rule);
        gz_error err = {0};
        ck_assert_int_eq(gz_patterns_run(p, st, text, strlen(text), on_hit, &h, &err), 0);
        ck_assert_msg(strcmp(h.out.data ? h.out.data : "", expected) == 0,
                      "rule %s on '%s': got '%s', expected '%s'", rule, text,
                      h.out.data ? h.out.data : "", expected);
        gz_buf_free(&h.out);
        cases++;
    }
    fclose(f);
    ck_assert_int_gt(cases, 20);
    gz_pstate_free(st);
    gz_engine_free(e);
}
END_TEST

START_TEST(bad_pattern_names_line_offset_and_pcre2_message)
{
    char *path = tu_write_file("bad", "type\tname\tpattern\nX\tgood\tab+\nX\tbroken\tab(c\n");
    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_rules(e, path, 1, &err), -1);
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.message, "rule 'broken'"));
    ck_assert_ptr_nonnull(strstr(err.message, "offset 4"));
    ck_assert_ptr_nonnull(strstr(err.message, "missing closing parenthesis"));
    gz_engine_free(e);
    tu_remove(path);
}
END_TEST

START_TEST(missing_columns_are_reported)
{
    char *path = tu_write_file("bad", "type\tpattern\nX\tab\n");
    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_rules(e, path, 1, &err), -1);
    ck_assert_int_eq(err.line, 1);
    gz_engine_free(e);
    tu_remove(path);
}
END_TEST

START_TEST(id_template_expands_groups)
{
    gz_engine *e = tu_engine(NULL, "type\tname\tpattern\tid\n"
                             "CVE\tcve\tCVE-(\\d{4})-(\\d+)\tcve:$1/$2 $$\n", 0);
    ck_assert_str_eq(tu_tag(e, "see CVE-2021-44228."), "CVE-2021-44228/CVE/cve:2021/44228 $");
    gz_engine_free(e);
}
END_TEST

START_TEST(catastrophic_pattern_stops_at_the_limit)
{
    gz_engine *e = tu_engine("name\nTokyo\n", "type\tname\tpattern\nX\tslow\t(a+)+$\n", 0);
    size_t n = 5000;
    char *text = malloc(n + 16);
    memcpy(text, "Tokyo ", 6);
    memset(text + 6, 'a', n);
    text[6 + n] = 'b';
    text[7 + n] = '\0';
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t ns;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, text, strlen(text), &s, &ns, &err), 1);
    ck_assert_ptr_nonnull(strstr(err.message, "rule 'slow'"));
    ck_assert_uint_eq(ns, 1);  /* the dictionary match is still there */
    gz_tagger_free(t);
    gz_engine_free(e);
    free(text);
}
END_TEST

/* Tag len bytes of text; the return code of gz_tag, with spans and err. */
static int tag_text(gz_engine *e, const char *text, size_t len, size_t *ns, gz_error *err)
{
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    int rc = gz_tag(t, text, len, &s, ns, err);
    gz_tagger_free(t);
    return rc;
}

/* a(?=.*Z) stays under pcre2's limits at each start (they hold per match
 * call, and JIT does not count the scan of .*), yet takes time quadratic in
 * the text: 80 KB of a's took 23 s.  The rule's steps over the whole text
 * are limited now.  The case's timeout is only a hang guard. */
START_TEST(pattern_quadratic_over_the_text_stops_at_its_step_limit)
{
    /* the second scans possessively: no backtracking at all */
    static const char *const rules[] = {
        "type\tname\tpattern\nX\tlook\ta(?=.*Z)\n",
        "type\tname\tpattern\nX\tlook\ta(?=.*+Z)\n",
    };
    size_t n = 300000;
    char *text = malloc(n + 16);
    memcpy(text, "Tokyo ", 6);
    memset(text + 6, 'a', n);
    for (size_t r = 0; r < 2; r++) {
        gz_engine *e = tu_engine("name\nTokyo\n", rules[r], 0);
        size_t ns;
        gz_error err = {0};
        ck_assert_int_eq(tag_text(e, text, n + 6, &ns, &err), 1);
        ck_assert_ptr_nonnull(strstr(err.message, "rule 'look' stopped at byte "));
        ck_assert_ptr_nonnull(strstr(err.message, "step limit for the text exceeded"));
        ck_assert_int_eq(err.line, 2);
        ck_assert_uint_eq(ns, 1);  /* the dictionary match is still there */
        gz_engine_free(e);
    }
    free(text);
}
END_TEST

/* The step limit grows with the text: a long text of ordinary words never
 * trips it, for a regex rule or a token rule with unbounded repetitions. */
START_TEST(long_ordinary_text_stays_within_the_step_limit)
{
    gz_engine *e = tu_engine("name\ttype\nministry\t_org_suffix\n",
                             "type\tname\tkind\tpattern\n"
                             "X\ting\tregex\t[a-z]+ing(?= [a-z]+ )\n"
                             "ORG\tof\ttokens\t< [@_org_suffix Cap] \"of\" Cap+ >\n", 0);
    static const char unit[] = "running and jumping at the Ministry of Silly Walks. ";
    size_t u = sizeof unit - 1, times = 3000000 / u;
    char *text = malloc(u * times);
    for (size_t i = 0; i < times; i++)
        memcpy(text + i * u, unit, u);
    size_t ns;
    gz_error err = {0};
    ck_assert_int_eq(tag_text(e, text, u * times, &ns, &err), 0);
    ck_assert_uint_eq(ns, 3 * times);
    gz_engine_free(e);
    free(text);
}
END_TEST

START_TEST(rules_match_through_invalid_utf8)
{
    gz_engine *e = tu_engine(NULL, "type\tname\tpattern\nCVE\tcve\tCVE-\\d{4}-\\d{4,}\n", 0);
    ck_assert_str_eq(tu_tag(e, "\xff CVE-2020-1234 \xc3"), "CVE-2020-1234/CVE/CVE-2020-1234");
    gz_engine_free(e);
}
END_TEST

/* A rule is searched only while the bytes every match must hold occur in
 * the rest of the text; optional characters, classes and alternatives
 * are not such bytes, and a required byte seen before the last match does
 * not count for the next. */
START_TEST(rules_match_wherever_their_required_bytes_are)
{
    gz_engine *e = tu_engine(NULL, "type\tname\tpattern\n"
                             "AT\tat\t[a-z]+@[a-z]+\n"
                             "OPT\topt\tqb?c\n"
                             "CLS\tcls\t[]x]z\\.q\n"
                             "STAR\tstar\tk*jm\n"
                             "BRACE\tbrace\tn{0,2}p\n"
                             "ALT\talt\t(?:u|v)w\n", 0);
    ck_assert_str_eq(tu_tag(e, "x@y, then b@c"), "x@y/AT/x@y b@c/AT/b@c");
    ck_assert_str_eq(tu_tag(e, "qc"), "qc/OPT/qc");
    ck_assert_str_eq(tu_tag(e, "]z.q"), "]z.q/CLS/]z.q");
    ck_assert_str_eq(tu_tag(e, "jm"), "jm/STAR/jm");
    ck_assert_str_eq(tu_tag(e, "p"), "p/BRACE/p");
    ck_assert_str_eq(tu_tag(e, "vw"), "vw/ALT/vw");
    ck_assert_str_eq(tu_tag(e, "a@ b"), "");
    gz_engine_free(e);
}
END_TEST

/* A bundled rule is searched only inside runs of the bytes its pattern can
 * match: ranges, escapes, caseless groups and non-ASCII characters all
 * count towards them, and lookarounds need not fit in the run. */
START_TEST(bundled_rules_match_inside_runs_of_their_alphabet)
{
    char *path = tu_write_file("rules", "type\tname\tpattern\n"
                               "HEX\thex\t(?<![0-9a-f])[0-9a-f]{8}(?![0-9a-z])\n"
                               "CASE\tcase\t(?i:ab)[0-9]{3}\n"
                               "ESC\tesc\t[\\x{30}\\-]{3}z\n"
                               "CJK\tcjk\t[0-9]{2}\xe9\x83\xa8\n"
                               "GREEK\tgreek\t[\xce\xb1-\xcf\x89]{3}\n"
                               "SPACE\tspace\tQ\\sR\\.\n");
    gz_engine *e = gz_engine_new(NULL);
    tu_add_types(e);
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_rules(e, path, 0, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    tu_remove(path);
    ck_assert_str_eq(tu_tag(e, "x deadbeef, deadbeefs"), "deadbeef/HEX/deadbeef");
    ck_assert_str_eq(tu_tag(e, "aB123"), "aB123/CASE/aB123");
    ck_assert_str_eq(tu_tag(e, "0-0z"), "0-0z/ESC/0-0z");
    ck_assert_str_eq(tu_tag(e, "x12\xe9\x83\xa8"), "12\xe9\x83\xa8/CJK/12\xe9\x83\xa8");
    ck_assert_str_eq(tu_tag(e, "\xce\xb2\xce\xb3\xce\xb4"),
                     "\xce\xb2\xce\xb3\xce\xb4/GREEK/\xce\xb2\xce\xb3\xce\xb4");
    ck_assert_str_eq(tu_tag(e, "Q\tR."), "Q\tR./SPACE/Q\tR.");
    gz_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("patterns");
    TCase *tc = tcase_create("patterns");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bundled_rules_match_their_examples);
    tcase_add_test(tc, bad_pattern_names_line_offset_and_pcre2_message);
    tcase_add_test(tc, missing_columns_are_reported);
    tcase_add_test(tc, id_template_expands_groups);
    tcase_add_test(tc, catastrophic_pattern_stops_at_the_limit);
    tcase_add_test(tc, pattern_quadratic_over_the_text_stops_at_its_step_limit);
    tcase_add_test(tc, long_ordinary_text_stays_within_the_step_limit);
    tcase_add_test(tc, rules_match_through_invalid_utf8);
    tcase_add_test(tc, rules_match_wherever_their_required_bytes_are);
    tcase_add_test(tc, bundled_rules_match_inside_runs_of_their_alphabet);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
