/* SPDX-License-Identifier: MIT */
/* check_normalize.c - the key normalisation shared by names and text. */
#include "testutil.h"

#include "normalize.h"

static const char *norm(const char *s, unsigned flags)
{
    static gz_buf out;
    static gz_norm scratch;
    out.len = 0;
    gz_normalize(&scratch, s, strlen(s), flags, &out);
    gz_buf_addc(&out, '\0');
    return out.data;
}

START_TEST(case_folds_ascii_and_unicode)
{
    ck_assert_str_eq(norm("JAXA Tokyo", GZ_NORM_FOLD_CASE), "jaxa tokyo");
    ck_assert_str_eq(norm("ÇA ΣΊΣΥΦΟΣ", GZ_NORM_FOLD_CASE), "ça σίσυφοσ");
}
END_TEST

START_TEST(decomposed_input_becomes_nfc)
{
    ck_assert_str_eq(norm("Sa\xcc\x83o", GZ_NORM_FOLD_CASE), "s\xc3\xa3o");
}
END_TEST

START_TEST(curly_quotes_fold_to_straight)
{
    ck_assert_str_eq(norm("People\xe2\x80\x99s", GZ_NORM_FOLD_CASE), "people's");
    ck_assert_str_eq(norm("\xe2\x80\x9cTick\xe2\x80\x9d", 0), "\"Tick\"");
}
END_TEST

START_TEST(diacritics_strip_only_when_asked)
{
    ck_assert_str_eq(norm("Tōkyō", GZ_NORM_FOLD_CASE), "tōkyō");
    ck_assert_str_eq(norm("Tōkyō", GZ_NORM_FOLD_CASE | GZ_NORM_STRIP_MARKS), "tokyo");
    ck_assert_str_eq(norm("Łódź", GZ_NORM_FOLD_CASE | GZ_NORM_STRIP_MARKS), "lodz");
}
END_TEST

START_TEST(soft_hyphen_is_ignored)
{
    ck_assert_str_eq(norm("Kato\xc2\xadwice", GZ_NORM_FOLD_CASE), "katowice");
}
END_TEST

START_TEST(invalid_bytes_are_dropped)
{
    ck_assert_str_eq(norm("ab\xff\xc3", GZ_NORM_FOLD_CASE), "ab");
    ck_assert_str_eq(norm("\xc3\xa9\xff", GZ_NORM_FOLD_CASE), "\xc3\xa9");
}
END_TEST

START_TEST(case_pattern_ignores_uncased)
{
    gz_buf b = {0};
    gz_case_pattern("McDonald's 2", 12, &b);
    ck_assert_str_eq(b.data, "ULULLLLLL");
    gz_buf_free(&b);
}
END_TEST

START_TEST(character_classes)
{
    ck_assert_int_eq(gz_char_class('-'), GZ_CC_DASH);
    ck_assert_int_eq(gz_char_class(0x2014), GZ_CC_DASH);
    ck_assert_int_eq(gz_char_class(0x00A0), GZ_CC_SPACE);
    ck_assert_int_eq(gz_char_class(0x6771), GZ_CC_CJK);
    ck_assert_int_eq(gz_char_class(0x30AB), GZ_CC_CJK);
    ck_assert_int_eq(gz_char_class(0x0141), GZ_CC_WORD);
    ck_assert_int_eq(gz_char_class(0xFEFF), GZ_CC_HARD);
    ck_assert_int_eq(gz_char_class(-1), GZ_CC_HARD);
    ck_assert_int_eq(gz_char_class(0x2019), GZ_CC_APOS);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("normalize");
    tcase_add_test(tc, case_folds_ascii_and_unicode);
    tcase_add_test(tc, decomposed_input_becomes_nfc);
    tcase_add_test(tc, curly_quotes_fold_to_straight);
    tcase_add_test(tc, diacritics_strip_only_when_asked);
    tcase_add_test(tc, soft_hyphen_is_ignored);
    tcase_add_test(tc, invalid_bytes_are_dropped);
    tcase_add_test(tc, case_pattern_ignores_uncased);
    tcase_add_test(tc, character_classes);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
