/* SPDX-License-Identifier: MIT */
/* check_tsv.c - the one reader of tab-separated input and its escapes. */
#include "testutil.h"

#include "output.h"
#include "tsv.h"

static gz_tsv rd;
static gz_error err;

static void open_text(const char *s, unsigned flags)
{
    gz_tsv_free(&rd);
    memset(&err, 0, sizeof err);
    gz_tsv_init(&rd, "t.tsv", s, strlen(s), flags);
}

static int field_is(size_t c, const char *want)
{
    return c < rd.nf && rd.f[c].n == strlen(want) && memcmp(rd.f[c].s, want, rd.f[c].n) == 0;
}

START_TEST(bom_comments_blank_lines_and_crlf_are_skipped)
{
    open_text("\xEF\xBB\xBFname\ttype\r\n# a comment\n\nTokyo\tPLACE\r\n", GZ_TSV_COMMENTS);
    ck_assert_int_eq(gz_tsv_header(&rd, &err), 1);
    ck_assert_int_eq(gz_tsv_column(&rd, "name"), 0);
    ck_assert_int_eq(gz_tsv_column(&rd, "type"), 1);
    ck_assert_int_eq(gz_tsv_column(&rd, "id"), -1);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert_int_eq(rd.line, 4);   /* lines count from the file's first */
    ck_assert(field_is(0, "Tokyo") && field_is(1, "PLACE"));
    ck_assert_int_eq(rd.f[1].col, 7);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 0);
}
END_TEST

START_TEST(hash_lines_are_rows_without_comments)
{
    open_text("#doc\t1\n", 0);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert(field_is(0, "#doc") && field_is(1, "1"));
}
END_TEST

START_TEST(lone_carriage_return_is_refused_with_its_place_and_reading_goes_on)
{
    open_text("name\ra\nb\tc\n", 0);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), -1);
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.column, 5);
    ck_assert_ptr_nonnull(strstr(err.message, "carriage return"));
    ck_assert_str_eq(err.file, "t.tsv");
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert(field_is(0, "b") && field_is(1, "c"));
}
END_TEST

START_TEST(empty_fields_count)
{
    open_text("\ta\t\n", 0);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert_uint_eq(rd.nf, 3);
    ck_assert(field_is(0, "") && field_is(1, "a") && field_is(2, ""));
}
END_TEST

START_TEST(bad_headers_say_where)
{
    open_text("name\t\tid\n", 0);
    ck_assert_int_eq(gz_tsv_header(&rd, &err), -1);
    ck_assert_str_eq(err.message, "empty column name in header");
    ck_assert_int_eq(err.column, 6);
    open_text("name\tid\tname\n", 0);
    ck_assert_int_eq(gz_tsv_header(&rd, &err), -1);
    ck_assert_str_eq(err.message, "column 'name' appears twice in header");
    open_text("name\tt\xff\n", 0);
    ck_assert_int_eq(gz_tsv_header(&rd, &err), -1);
    ck_assert_str_eq(err.message, "invalid UTF-8 in header");
    ck_assert_int_eq(err.column, 7);
    open_text("# only a comment\n", GZ_TSV_COMMENTS);
    ck_assert_int_eq(gz_tsv_header(&rd, &err), 0);
}
END_TEST

START_TEST(integers_are_int32)
{
    open_text("name\tpriority\nx\t2000000000\nx\t-2147483648\nx\t2147483648\nx\t1e3\nx\t 5\n", 0);
    int32_t v;
    ck_assert_int_eq(gz_tsv_header(&rd, &err), 1);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert_int_eq(gz_tsv_int32(&rd, 1, "priority", &v, &err), 0);
    ck_assert_int_eq(v, 2000000000);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert_int_eq(gz_tsv_int32(&rd, 1, "priority", &v, &err), 0);
    ck_assert_int_eq(v, INT32_MIN);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
        ck_assert_int_eq(gz_tsv_int32(&rd, 1, "priority", &v, &err), -1);
        ck_assert_ptr_nonnull(strstr(err.message, "is not an integer"));
        ck_assert_int_eq(err.column, 3);
    }
}
END_TEST

START_TEST(text_fields_refuse_invalid_utf8_and_nul)
{
    static const char data[] = "name\tid\nok\ta\xc3(\nok\ta\0b\n";
    gz_tsv_free(&rd);
    gz_tsv_init(&rd, "t.tsv", data, sizeof data - 1, 0);
    ck_assert_int_eq(gz_tsv_header(&rd, &err), 1);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert_int_eq(gz_tsv_check_text(&rd, 0, "x", &err), 0);
    ck_assert_int_eq(gz_tsv_check_text(&rd, 1, "x", &err), -1);
    ck_assert_str_eq(err.message, "invalid UTF-8 in column 'id'");
    ck_assert_int_eq(err.column, 5);
    ck_assert_int_eq(gz_tsv_next(&rd, &err), 1);
    ck_assert_int_eq(gz_tsv_check_text(&rd, 1, "x", &err), -1);
    ck_assert_str_eq(err.message, "NUL byte in column 'id'");
}
END_TEST

START_TEST(unescape_reverses_the_output_escape_for_every_byte)
{
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    gz_buf esc = {0}, back = {0};
    gz_tsv_escape(&esc, all, sizeof all);
    ck_assert_ptr_null(memchr(esc.data, '\t', esc.len));
    ck_assert_ptr_null(memchr(esc.data, '\n', esc.len));
    ck_assert_uint_eq(gz_tsv_unescape(&back, esc.data, esc.len), sizeof all);
    ck_assert_uint_eq(back.len, sizeof all);
    ck_assert_int_eq(memcmp(back.data, all, sizeof all), 0);
    gz_buf_free(&esc);
    gz_buf_free(&back);
}
END_TEST

START_TEST(unknown_escapes_keep_their_backslash)
{
    gz_buf b = {0};
    gz_tsv_unescape(&b, "\\S\\q x\\x4 end\\", 14);
    ck_assert_uint_eq(b.len, 14);
    ck_assert_int_eq(memcmp(b.data, "\\S\\q x\\x4 end\\", 14), 0);
    gz_buf_free(&b);
    gz_arena *a = gz_arena_new();
    size_t n;
    ck_assert_str_eq(gz_tsv_unescape_arena(a, "a\\tb\\\\c\\d", 9, &n), "a\tb\\c\\d");
    ck_assert_uint_eq(n, 7);
    /* a name cannot hold a NUL: \x00 stays as written there */
    ck_assert_str_eq(gz_tsv_unescape_arena(a, "x\\x00y\\x41", 10, NULL), "x\\x00yA");
    gz_arena_free(a);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tsv");
    TCase *tc = tcase_create("tsv");
    tcase_add_test(tc, bom_comments_blank_lines_and_crlf_are_skipped);
    tcase_add_test(tc, hash_lines_are_rows_without_comments);
    tcase_add_test(tc, lone_carriage_return_is_refused_with_its_place_and_reading_goes_on);
    tcase_add_test(tc, empty_fields_count);
    tcase_add_test(tc, bad_headers_say_where);
    tcase_add_test(tc, integers_are_int32);
    tcase_add_test(tc, text_fields_refuse_invalid_utf8_and_nul);
    tcase_add_test(tc, unescape_reverses_the_output_escape_for_every_byte);
    tcase_add_test(tc, unknown_escapes_keep_their_backslash);
    suite_add_tcase(s, tc);
    return s;
}

static void free_reader(void)
{
    gz_tsv_free(&rd);
}

int main(void)
{
    atexit(free_reader);
    Suite *s = suite();
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
