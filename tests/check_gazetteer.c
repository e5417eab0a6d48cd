/* SPDX-License-Identifier: MIT */
/* check_gazetteer.c - reading dictionaries: format, errors with positions,
 * attributes, duplicates. */
#include "testutil.h"

#include "gazetteer.h"
#include "util.h"

static int load(const char *text, gz_error *err)
{
    gz_gazetteer *g = gz_gaz_new(0);
    char *p = tu_write_file("places", text);
    int rc = gz_gaz_load(g, p, 0, NULL, NULL, err);
    tu_remove(p);
    gz_gaz_free(g);
    return rc;
}

START_TEST(missing_header_is_reported_at_line_1)
{
    gz_error err = {0};
    ck_assert_int_eq(load("Tokyo\tPLACE\n", &err), -1);
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.message, "'name'"));
}
END_TEST

START_TEST(wrong_field_count_names_line_and_column)
{
    gz_error err = {0};
    ck_assert_int_eq(load("# comment\nname\tid\nTokyo\tt\nOsaka\to\textra\n", &err), -1);
    ck_assert_int_eq(err.line, 4);
    ck_assert_int_eq(err.column, 9);
    ck_assert_ptr_nonnull(strstr(err.message, "expected 2 fields"));
}
END_TEST

START_TEST(empty_name_is_an_error)
{
    gz_error err = {0};
    ck_assert_int_eq(load("name\tid\n \tx\n", &err), -1);
    ck_assert_int_eq(err.line, 2);
    ck_assert_str_eq(err.message, "empty name");
}
END_TEST

START_TEST(invalid_utf8_is_an_error_with_column)
{
    gz_error err = {0};
    ck_assert_int_eq(load("name\tid\nab\xff" "c\tx\n", &err), -1);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 3);
}
END_TEST

START_TEST(bad_priority_and_case_values_are_errors)
{
    gz_error err = {0};
    ck_assert_int_eq(load("name\tpriority\nTokyo\thigh\n", &err), -1);
    ck_assert_int_eq(err.column, 7);
    ck_assert_int_eq(load("name\tcase\nTokyo\tupper\n", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "case must be"));
}
END_TEST

START_TEST(bom_crlf_comments_and_blank_lines_are_accepted)
{
    gz_error err = {0};
    ck_assert_int_eq(load("\xef\xbb\xbf# c\r\nname\r\n\r\nTokyo\r\n", &err), 0);
    gz_engine *e = tu_engine("\xef\xbb\xbfname\r\nTokyo\r\n", NULL, 0);
    ck_assert_str_eq(tu_tag(e, "Tokyo"), "Tokyo/dict/");
    gz_engine_free(e);
}
END_TEST

START_TEST(extra_columns_become_attributes)
{
    gz_engine *e = tu_engine("name\ttype\tid\tcountry\nTokyo\tPLACE\tt\tJP\n", NULL, 0);
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, "Tokyo", 5, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(s[0].n_attrs, 1);
    ck_assert_str_eq(s[0].attrs[0].key, "country");
    ck_assert_str_eq(s[0].attrs[0].value, "JP");
    gz_tagger_free(t);
    gz_engine_free(e);
}
END_TEST

START_TEST(aliases_belong_to_one_entry)
{
    gz_engine *e = tu_engine("name\ttype\tid\taliases\n"
                             "Chinese Communist Party\tORG\tccp\tCCP| Communist Party of China \n",
                             NULL, 0);
    ck_assert_str_eq(tu_tag(e, "CCP, the Communist Party of China"),
                     "CCP/ORG/ccp Communist Party of China/ORG/ccp");
    gz_engine_free(e);
}
END_TEST

START_TEST(repeated_rows_merge_and_load_fast)
{
    gz_buf b = {0};
    gz_buf_adds(&b, "name\ttype\tid\n");
    for (int i = 0; i < 100000; i++)
        gz_buf_adds(&b, "Tokyo\tPLACE\ttokyo\n");
    gz_engine *e = tu_engine(b.data, NULL, 0);
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, "Tokyo", 5, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(s[0].n_alts, 0);
    gz_tagger_free(t);
    gz_engine_free(e);
    gz_buf_free(&b);
}
END_TEST

START_TEST(same_name_in_two_entries_is_kept)
{
    gz_engine *e = tu_engine("name\ttype\tid\nParis\tPLACE\tfr\nParis\tPLACE\tus-tx\n", NULL, 0);
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, "Paris", 5, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(s[0].id, "fr");
    ck_assert_uint_eq(s[0].n_alts, 1);
    ck_assert_str_eq(s[0].alts[0].id, "us-tx");
    gz_tagger_free(t);
    gz_engine_free(e);
}
END_TEST

static int count_problems(void *ctx, const char *file, long line, long col, const char *msg)
{
    (void)file; (void)line; (void)col; (void)msg;
    (*(int *)ctx)++;
    return 0;
}

START_TEST(lenient_load_reports_every_problem)
{
    gz_gazetteer *g = gz_gaz_new(0);
    char *p = tu_write_file("x", "name\tid\n\tempty\nA\tb\tc\nTokyo\tt\n");
    int problems = 0;
    gz_error err = {0};
    ck_assert_int_eq(gz_gaz_load(g, p, 0, count_problems, &problems, &err), 0);
    ck_assert_int_eq(problems, 2);
    ck_assert_uint_eq(gz_gaz_entry_count(g), 1);
    tu_remove(p);
    gz_gaz_free(g);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gazetteer");
    TCase *tc = tcase_create("gazetteer");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, missing_header_is_reported_at_line_1);
    tcase_add_test(tc, wrong_field_count_names_line_and_column);
    tcase_add_test(tc, empty_name_is_an_error);
    tcase_add_test(tc, invalid_utf8_is_an_error_with_column);
    tcase_add_test(tc, bad_priority_and_case_values_are_errors);
    tcase_add_test(tc, bom_crlf_comments_and_blank_lines_are_accepted);
    tcase_add_test(tc, extra_columns_become_attributes);
    tcase_add_test(tc, aliases_belong_to_one_entry);
    tcase_add_test(tc, repeated_rows_merge_and_load_fast);
    tcase_add_test(tc, same_name_in_two_entries_is_kept);
    tcase_add_test(tc, lenient_load_reports_every_problem);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
