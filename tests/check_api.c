/* SPDX-License-Identifier: MIT */
/* check_api.c - the public API as a program linking libgaztag sees it,
 * through gaztag.h alone: entries added from memory, the span accessors and
 * the versioned engine options. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaztag.h"

/* Tag text and render the spans as "text/type/id/source" joined by spaces. */
static const char *tag(const gz_engine *e, const char *text)
{
    static char out[4096];
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *spans;
    size_t n, k = 0;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, text, strlen(text), &spans, &n, &err), 0);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = gz_span_at(spans, i);
        size_t a = gz_span_start(s), b = gz_span_end(s);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%.*s/%s/%s/%s", i ? " " : "",
                              (int)(b - a), text + a, gz_span_type(s), gz_span_id(s),
                              gz_span_source(s));
    }
    gz_tagger_free(t);
    return out;
}

static gz_engine *frozen(gz_engine *e)
{
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    return e;
}

START_TEST(entry_from_memory_is_found_by_name_and_alias)
{
    gz_engine *e = gz_engine_new(NULL);
    const char *aliases[] = {"WCorp", "  Widget Company "};
    gz_attr attrs[] = {{"country", "us"}, {"sector", "tools"}, {"empty", ""}};
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_entry(e, "Widget Corp", "ORG", "x:widget", aliases, 2, attrs,
                                         3, 0, &err), 0);
    frozen(e);
    ck_assert_str_eq(tag(e, "Widget Corp, or WCorp, is the Widget Company."),
                     "Widget Corp/ORG/x:widget/entries WCorp/ORG/x:widget/entries "
                     "Widget Company/ORG/x:widget/entries");

    gz_tagger *t = gz_tagger_new(e);
    const gz_span *spans;
    size_t n;
    ck_assert_int_eq(gz_tag(t, "WCorp", 5, &spans, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    const gz_span *s = gz_span_at(spans, 0);
    ck_assert_str_eq(gz_span_name(s), "Widget Corp");
    ck_assert_str_eq(gz_span_matched(s), "WCorp");
    ck_assert_int_eq(gz_span_priority(s), 0);
    /* an empty attribute value is left out, as an empty dictionary cell is */
    ck_assert_uint_eq(gz_span_attr_count(s), 2);
    ck_assert_str_eq(gz_span_attr(s, 0)->key, "country");
    ck_assert_str_eq(gz_span_attr(s, 0)->value, "us");
    ck_assert_str_eq(gz_span_attr(s, 1)->key, "sector");
    ck_assert_uint_eq(gz_span_alt_count(s), 0);
    gz_tagger_free(t);
    gz_engine_free(e);
}
END_TEST

START_TEST(entry_from_memory_ranks_as_a_user_dictionary)
{
    char dir[] = "/tmp/gaztag-api-XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bundled.tsv", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("name\ttype\tid\nNice\tPLACE\tnice\nParis\tPLACE\tparis\n", f);
    ck_assert_int_eq(fclose(f), 0);

    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_dictionary(e, path, 0, &err), 0);
    unlink(path);
    rmdir(dir);
    ck_assert_int_eq(gz_engine_add_entry(e, "Nice", "ORG", "x:nice", NULL, 0, NULL, 0, 0, &err),
                     0);
    /* a negative priority loses to the bundled entry of priority 0 */
    ck_assert_int_eq(gz_engine_add_entry(e, "Paris", "PERSON", NULL, NULL, 0, NULL, 0, -1, &err),
                     0);
    frozen(e);
    ck_assert_str_eq(tag(e, "Nice and Paris"), "Nice/ORG/x:nice/entries Paris/PLACE/paris/bundled");

    gz_tagger *t = gz_tagger_new(e);
    const gz_span *spans;
    size_t n;
    ck_assert_int_eq(gz_tag(t, "Paris", 5, &spans, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    const gz_span *s = gz_span_at(spans, 0);
    ck_assert_uint_eq(gz_span_alt_count(s), 1);
    ck_assert_str_eq(gz_span_type(gz_span_alt(s, 0)), "PERSON");
    ck_assert_str_eq(gz_span_id(gz_span_alt(s, 0)), "");
    ck_assert_int_eq(gz_span_priority(gz_span_alt(s, 0)), -1);
    gz_tagger_free(t);
    gz_engine_free(e);
}
END_TEST

START_TEST(case_and_diacritics_attributes_set_policies)
{
    gz_engine *e = gz_engine_new(NULL);
    gz_attr exact[] = {{"case", "exact"}};
    gz_attr fold[] = {{"diacritics", "fold"}, {"note", "folded"}};
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_entry(e, "Acme", "ORG", "acme", NULL, 0, exact, 1, 0, &err), 0);
    ck_assert_int_eq(gz_engine_add_entry(e, "Tokyo", "PLACE", "tokyo", NULL, 0, fold, 2, 0, &err),
                     0);
    frozen(e);
    ck_assert_str_eq(tag(e, "ACME in Tōkyō; Acme"),
                     "Tōkyō/PLACE/tokyo/entries Acme/ORG/acme/entries");
    gz_engine_free(e);
}
END_TEST

START_TEST(bad_entry_is_refused_and_changes_nothing)
{
    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    const char *bad_alias[] = {"fine", "bad \xff byte"};
    ck_assert_int_eq(gz_engine_add_entry(e, "Widget", "ORG", NULL, bad_alias, 2, NULL, 0, 0, &err),
                     -1);
    ck_assert_str_eq(err.message, "invalid UTF-8 in an alias at byte 4");
    ck_assert_int_eq(gz_engine_add_entry(e, "  ", "ORG", NULL, NULL, 0, NULL, 0, 0, &err), -1);
    ck_assert_str_eq(err.message, "empty name");
    ck_assert_int_eq(gz_engine_add_entry(e, "Widget", "", NULL, NULL, 0, NULL, 0, 0, &err), -1);
    ck_assert_str_eq(err.message, "empty type");
    ck_assert_int_eq(gz_engine_add_entry(e, NULL, "ORG", NULL, NULL, 0, NULL, 0, 0, &err), -1);
    ck_assert_str_eq(err.message, "the name is missing");
    gz_attr reserved[] = {{"id", "x"}};
    ck_assert_int_eq(gz_engine_add_entry(e, "Widget", "ORG", NULL, NULL, 0, reserved, 1, 0, &err),
                     -1);
    ck_assert_str_eq(err.message, "'id' cannot be an attribute name");
    gz_attr badcase[] = {{"case", "upper"}};
    ck_assert_int_eq(gz_engine_add_entry(e, "Widget", "ORG", NULL, NULL, 0, badcase, 1, 0, &err),
                     -1);
    ck_assert_str_eq(err.message, "case must be 'smart', 'exact' or 'fold', not 'upper'");
    frozen(e);
    ck_assert_str_eq(tag(e, "Widget fine"), "");
    ck_assert_int_eq(gz_engine_add_entry(e, "Widget", "ORG", NULL, NULL, 0, NULL, 0, 0, &err), -1);
    ck_assert_str_eq(err.message, "the engine is frozen");
    gz_engine_free(e);
}
END_TEST

START_TEST(options_are_read_as_far_as_their_size_says)
{
    gz_error err = {0};
    /* the initialiser's size covers every field */
    gz_engine_options o = GZ_ENGINE_OPTIONS_INIT;
    o.fold_diacritics = 1;
    gz_engine *e = gz_engine_new(&o);
    ck_assert_int_eq(gz_engine_add_entry(e, "Tokyo", "PLACE", "t", NULL, 0, NULL, 0, 0, &err), 0);
    ck_assert_str_eq(tag(frozen(e), "Tōkyō"), "Tōkyō/PLACE/t/entries");
    gz_engine_free(e);

    /* size 0 (a zero-initialised struct) stands for the first layout */
    gz_engine_options z;
    memset(&z, 0, sizeof z);
    z.fold_diacritics = 1;
    e = gz_engine_new(&z);
    ck_assert_int_eq(gz_engine_add_entry(e, "Tokyo", "PLACE", "t", NULL, 0, NULL, 0, 0, &err), 0);
    ck_assert_str_eq(tag(frozen(e), "Tōkyō"), "Tōkyō/PLACE/t/entries");
    gz_engine_free(e);

    /* a layout that ends before fold_diacritics leaves it at its default */
    gz_engine_options s = GZ_ENGINE_OPTIONS_INIT;
    s.size = sizeof s.size;
    s.fold_diacritics = 1;
    e = gz_engine_new(&s);
    ck_assert_int_eq(gz_engine_add_entry(e, "Tokyo", "PLACE", "t", NULL, 0, NULL, 0, 0, &err), 0);
    ck_assert_str_eq(tag(frozen(e), "Tōkyō"), "");
    gz_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, entry_from_memory_is_found_by_name_and_alias);
    tcase_add_test(tc, entry_from_memory_ranks_as_a_user_dictionary);
    tcase_add_test(tc, case_and_diacritics_attributes_set_policies);
    tcase_add_test(tc, bad_entry_is_refused_and_changes_nothing);
    tcase_add_test(tc, options_are_read_as_far_as_their_size_says);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
