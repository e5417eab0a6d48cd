/* SPDX-License-Identifier: MIT */
/* check_lint.c - `gaztag lint` findings: every malformed row, shared names
 * once at the later entry, common words, names that can never match, and
 * unreadable files, in file and line order. */
#include "lint.h"
#include "testutil.h"

static char found[8192];
static size_t nfound;

static void collect(void *ctx, const char *file, long line, long column, const char *msg)
{
    (void)ctx;
    const char *base = strrchr(file, '/');
    size_t k = strlen(found);
    snprintf(found + k, sizeof found - k, "%s:%ld:%ld: %s\n", base ? base + 1 : file, line,
             column, msg);
    nfound++;
}

static size_t lint(const char *a, const char *b, const gz_wordset *w, size_t *unreadable)
{
    found[0] = '\0';
    nfound = 0;
    char *pa = tu_write_file("a", a);
    char *pb = b ? tu_write_file("b", b) : NULL;
    const char *paths[2] = {pa, pb};
    size_t n = gz_lint_dicts(paths, b ? 2 : 1, w, 0, collect, collect, NULL, unreadable);
    tu_remove(pa);
    if (pb)
        tu_remove(pb);
    return n;
}

START_TEST(every_malformed_row_is_reported_and_the_rest_is_checked)
{
    size_t unreadable;
    size_t n = lint("name\ttype\tid\n"
                    "Tokyo\tPLACE\n"
                    "Osaka\tPLACE\tosaka\n"
                    "\tPLACE\tnone\n"
                    "Kyoto\t\tkyoto\n",
                    NULL, NULL, &unreadable);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(unreadable, 0);
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:2:"));
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:4:1: empty name\n"));
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:5:7: empty type\n"));
}
END_TEST

START_TEST(a_shared_name_is_reported_once_at_the_later_entry)
{
    size_t unreadable;
    size_t n = lint("name\ttype\tid\n"
                    "Jordan\tPLACE\tiso:JO\n"
                    "Georgia\tPLACE\tiso:GE\n",
                    "name\ttype\tid\taliases\n"
                    "Georgia\tPLACE\tus:GA\t\n"         /* same type: ambiguity, not a clash */
                    "Michael Jordan\tPERSON\tmj\tJordan\n"
                    "Jordan\tPERSON\tjordan2\t\n"       /* the same key again: still one finding */
                    "Jordan\t_given_name\t\t\n",        /* class lists are for rules */
                    NULL, &unreadable);
    ck_assert_uint_eq(n, 1);
    ck_assert_ptr_nonnull(strstr(found, "b.tsv:3:0: name 'Jordan' is PERSON 'mj' here but "
                                        "PLACE 'iso:JO' at "));
    ck_assert_ptr_nonnull(strstr(found, "/a.tsv:2\n"));
}
END_TEST

START_TEST(one_id_under_two_types_is_not_a_shared_name)
{
    size_t unreadable;
    size_t n = lint("name\ttype\tid\nVatican\tPLACE\tva\nVatican\tNORP\tva\n", NULL, NULL,
                    &unreadable);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(word_list_with_a_lone_carriage_return_is_refused_where_it_is)
{
    const char *list = "bill\nmay\rus\n";
    gz_error err;
    ck_assert_ptr_null(gz_wordset_parse("words.txt", list, strlen(list), &err));
    ck_assert_str_eq(err.file, "words.txt");
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 4);
}
END_TEST

START_TEST(common_words_are_reported_except_keywords_and_capitals)
{
    const char *list = "# words\nbill\nmay\nus\nphishing\n";
    gz_error err;
    gz_wordset *w = gz_wordset_parse("words.txt", list, strlen(list), &err);
    ck_assert_ptr_nonnull(w);
    ck_assert(gz_wordset_has(w, "MAY", 3));
    ck_assert(!gz_wordset_has(w, "words", 5));
    size_t unreadable;
    size_t n = lint("name\ttype\tid\taliases\n"
                    "May\tPERSON\tmay\t\n"
                    "United States\tPLACE\tus\tUS\n"
                    "phishing\tKEYWORD\tph\t\n"
                    "William\tPERSON\tw\tBill\n",
                    NULL, w, &unreadable);
    ck_assert_uint_eq(n, 2);
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:2:0: name 'May' (PERSON) is a common"));
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:5:0: alias 'Bill' (PERSON) is a common"));
    gz_wordset_free(w);
}
END_TEST

START_TEST(names_that_can_never_match_are_reported)
{
    size_t unreadable;
    size_t n = lint("name\ttype\tid\n"
                    "Fine Arts \\x01Academy\tORG\tfa\n"
                    "\\xE2\\x80\\x8B\tORG\tzw\n"
                    "Osaka\tPLACE\tosaka\n",
                    NULL, NULL, &unreadable);
    ck_assert_uint_eq(n, 2);
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:2:0: name 'Fine Arts \x01" "Academy' can never "
                                        "match: it contains a line break"));
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:3:0: name '\xE2\x80\x8B' can never match: "
                                        "nothing is left"));
}
END_TEST

START_TEST(an_unreadable_file_is_counted_and_the_others_checked)
{
    found[0] = '\0';
    nfound = 0;
    char *pa = tu_write_file("a", "name\ttype\nTokyo\n");
    const char *paths[3] = {"/nonexistent/x.tsv", pa, NULL};
    size_t unreadable;
    size_t n = gz_lint_dicts(paths, 2, NULL, 0, collect, collect, NULL, &unreadable);
    ck_assert_uint_eq(unreadable, 1);
    ck_assert_uint_eq(n, 1);
    ck_assert_msg(strstr(found, "x.tsv:0:0: cannot open") != NULL, "%s", found);
    ck_assert_ptr_nonnull(strstr(found, "No such file"));
    ck_assert_ptr_nonnull(strstr(found, "a.tsv:2:"));
    tu_remove(pa);
}
END_TEST

START_TEST(findings_come_in_file_then_line_order)
{
    size_t unreadable;
    size_t n = lint("name\ttype\tid\n"
                    "Zed\tORG\tz1\n"
                    "\\x01\tORG\tc\n"
                    "Alpha\tORG\ta1\n",
                    "name\ttype\tid\n"
                    "Alpha\tPLACE\ta2\n"
                    "bad row\n"
                    "Zed\tPLACE\tz2\n",
                    NULL, &unreadable);
    ck_assert_uint_eq(n, 4);
    const char *a = strstr(found, "a.tsv:3:"), *b2 = strstr(found, "b.tsv:2:"),
               *b3 = strstr(found, "b.tsv:3:"), *b4 = strstr(found, "b.tsv:4:");
    ck_assert(a && b2 && b3 && b4);
    ck_assert(a < b2 && b2 < b3 && b3 < b4);
}
END_TEST

static Suite *lint_suite(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("lint");
    tcase_add_test(tc, every_malformed_row_is_reported_and_the_rest_is_checked);
    tcase_add_test(tc, a_shared_name_is_reported_once_at_the_later_entry);
    tcase_add_test(tc, one_id_under_two_types_is_not_a_shared_name);
    tcase_add_test(tc, common_words_are_reported_except_keywords_and_capitals);
    tcase_add_test(tc, word_list_with_a_lone_carriage_return_is_refused_where_it_is);
    tcase_add_test(tc, names_that_can_never_match_are_reported);
    tcase_add_test(tc, an_unreadable_file_is_counted_and_the_others_checked);
    tcase_add_test(tc, findings_come_in_file_then_line_order);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(lint_suite)
