/* SPDX-License-Identifier: MIT */
/* check_tokenize.c - token boundaries, separators and token flags. */
#include "testutil.h"

#include "tokenize.h"

static gz_tokens T;

/* Tokens as "text|gap" joined by spaces. */
static const char *toks(const char *s)
{
    static char out[4096];
    gz_tokenize(&T, s, strlen(s), 0);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < T.n; i++)
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%.*s|%d", i ? " " : "",
                              (int)(T.tok[i].end - T.tok[i].start), s + T.tok[i].start,
                              T.tok[i].gap);
    return out;
}

START_TEST(words_split_on_space_hyphen_and_punctuation)
{
    ck_assert_str_eq(toks("Japan-based, firm"), "Japan|4 based|3 ,|0 firm|1");
}
END_TEST

START_TEST(numbers_keep_separators_between_digits)
{
    ck_assert_str_eq(toks("3,000 3.40 2-1 1990-91 2\xE2\x80\x93" "0"),
                     "3,000|4 3.40|1 2-1|1 1990-91|1 2\xE2\x80\x93" "0|1");
    /* a comma before other than three digits, a final full stop, a hyphen
     * after letters: separate tokens as before */
    ck_assert_str_eq(toks("1,2 3,0000 at 3. F-16"),
                     "1|4 ,|0 2|0 3|1 ,|0 0000|0 at|1 3|1 .|0 F|1 16|3");
}
END_TEST

/* Marks per token: S sentence start, H headline, '.' neither. */
static const char *marks(const char *s)
{
    static char out[256];
    static uint8_t m[256];
    gz_tokenize(&T, s, strlen(s), 0);
    gz_token_marks(&T, s, m);
    size_t i;
    for (i = 0; i < T.n && i < sizeof out - 1; i++)
        out[i] = (m[i] & GZ_MK_HEAD) ? ((m[i] & GZ_MK_START) ? 'B' : 'H')
                                      : ((m[i] & GZ_MK_START) ? 'S' : '.');
    out[i] = '\0';
    return out;
}

START_TEST(headline_lines_and_sentence_starts_are_marked)
{
    /* B: start and headline */
    ck_assert_str_eq(marks("Scientists Make Incredible Discovery\nHe said. \"It works"),
                     "BHHHS..SS.");
    ck_assert_str_eq(marks("a b.\nJAPAN WIN .\nYes"), "S..BHHS");
    ck_assert_str_eq(marks("Nadim Ladki\nHe said"), "S...");
    /* a credit line at the end, a line with a semicolon */
    ck_assert_str_eq(marks("He said.\nReporting by Aaron Maasho"), "S..S...");
    ck_assert_str_eq(marks("Reporting by Aaron Maasho; Writing by Drazen Jorgic\nHe"),
                     "S.........");
}
END_TEST

START_TEST(apostrophe_inside_word_is_kept)
{
    ck_assert_str_eq(toks("People’s 'Tick'"), "People’s|4 '|1 Tick|0 '|0");
}
END_TEST

START_TEST(cjk_is_one_token_per_character)
{
    ck_assert_str_eq(toks("東京JAXA"), "東|4 京|0 JAXA|0");
}
END_TEST

START_TEST(gaps_record_line_breaks_and_paragraphs)
{
    ck_assert_str_eq(toks("a\nb\n\nc  d\r\n\r\ne"), "a|4 b|2 c|4 d|2 e|4");
}
END_TEST

START_TEST(invalid_bytes_and_controls_break)
{
    ck_assert_str_eq(toks("a\xff" "b\x01" "c"), "a|4 b|4 c|4");
}
END_TEST

START_TEST(non_ascii_letters_stay_in_words)
{
    ck_assert_str_eq(toks("Łódź Zürich"), "Łódź|4 Zürich|1");
}
END_TEST

START_TEST(possessive_suffix_is_recorded)
{
    gz_tokenize(&T, "JAXA’s China's PLA", 19, 0);
    ck_assert_uint_eq(T.n, 3);
    ck_assert_uint_eq(T.tok[0].poss, 4);
    ck_assert_uint_eq(T.tok[1].poss, 2);
    ck_assert_uint_eq(T.tok[2].poss, 0);
    /* case flags ignore the suffix: JAXA’s is all capitals */
    ck_assert(!(T.tok[0].flags & GZ_TF_LOWER));
    ck_assert(T.tok[1].flags & GZ_TF_TITLE);
}
END_TEST

START_TEST(keys_are_case_folded)
{
    gz_tokenize(&T, "CYBER Attack", 12, 0);
    ck_assert_uint_eq(T.n, 2);
    ck_assert_int_eq(memcmp(T.keys.data + T.tok[0].key, "cyber", 5), 0);
    ck_assert_int_eq(memcmp(T.keys.data + T.tok[1].key, "attack", 6), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tokenize");
    TCase *tc = tcase_create("tokenize");
    tcase_add_test(tc, words_split_on_space_hyphen_and_punctuation);
    tcase_add_test(tc, numbers_keep_separators_between_digits);
    tcase_add_test(tc, headline_lines_and_sentence_starts_are_marked);
    tcase_add_test(tc, apostrophe_inside_word_is_kept);
    tcase_add_test(tc, cjk_is_one_token_per_character);
    tcase_add_test(tc, gaps_record_line_breaks_and_paragraphs);
    tcase_add_test(tc, invalid_bytes_and_controls_break);
    tcase_add_test(tc, non_ascii_letters_stay_in_words);
    tcase_add_test(tc, possessive_suffix_is_recorded);
    tcase_add_test(tc, keys_are_case_folded);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
