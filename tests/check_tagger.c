/* SPDX-License-Identifier: MIT */
/* check_tagger.c - matching policy as a user sees it: boundaries, case,
 * normalisation, possessives, plurals, leftmost-longest and ambiguity. */
#include "testutil.h"

static const char *DICT =
    "name\ttype\tid\taliases\n"
    "Japan Aerospace Exploration Agency\tORG\tjaxa\tJAXA|宇宙航空研究開発機構\n"
    "Japan\tPLACE\tjp\t\n"
    "People's Liberation Army\tORG\tpla\tPLA\n"
    "Katsunobu Kato\tPERSON\tkato\t\n"
    "Kato\tPERSON\tkato-only\t\n"
    "cyber-attack\tKEYWORD\tcyberattack\t\n"
    "agency\tKEYWORD\tagency\t\n"
    "Hong Kong\tPLACE\thk\t\n"
    "Tokyo\tPLACE\ttokyo\t\n"
    "Nice\tPLACE\tnice\t\n"
    "São Paulo\tPLACE\tsp\t\n"
    "China\tPLACE\tcn\t\n"
    "Łódź\tPLACE\tlodz\t\n"
    "University of New South Wales\tORG\tunsw\t\n"
    "McDonald's\tORG\tmcd\t\n";

static gz_engine *E;

static void setup(void) { E = tu_engine(DICT, NULL, 0); }
static void teardown(void) { gz_engine_free(E); }

START_TEST(name_is_not_found_inside_a_longer_word)
{
    ck_assert_str_eq(tu_tag(E, "Katowice, PLAN and Tokyoites"), "");
    ck_assert_str_eq(tu_tag(E, "Łódźka Łódź"), "Łódź/PLACE/lodz");
}
END_TEST

START_TEST(hyphen_is_a_word_boundary)
{
    ck_assert_str_eq(tu_tag(E, "a Japan-based firm"), "Japan/PLACE/jp");
}
END_TEST

START_TEST(longest_match_wins)
{
    ck_assert_str_eq(tu_tag(E, "the Japan Aerospace Exploration Agency said"),
                     "Japan Aerospace Exploration Agency/ORG/jaxa");
    ck_assert_str_eq(tu_tag(E, "Katsunobu Kato spoke"), "Katsunobu Kato/PERSON/kato");
}
END_TEST

START_TEST(line_breaks_and_space_runs_join_words)
{
    ck_assert_str_eq(tu_tag(E, "Katsunobu\nKato"), "Katsunobu\nKato/PERSON/kato");
    ck_assert_str_eq(tu_tag(E, "Katsunobu  Kato"), "Katsunobu  Kato/PERSON/kato");
    ck_assert_str_eq(tu_tag(E, "Katsunobu\r\nKato"), "Katsunobu\r\nKato/PERSON/kato");
}
END_TEST

START_TEST(paragraph_break_separates_names)
{
    ck_assert_str_eq(tu_tag(E, "Katsunobu\n\nKato"), "Kato/PERSON/kato-only");
}
END_TEST

START_TEST(hyphen_space_and_no_space_are_equal)
{
    ck_assert_str_eq(tu_tag(E, "cyber-attack, cyber attack, cyberattack"),
                     "cyber-attack/KEYWORD/cyberattack cyber attack/KEYWORD/cyberattack "
                     "cyberattack/KEYWORD/cyberattack");
    ck_assert_str_eq(tu_tag(E, "Hongkong"), "Hongkong/PLACE/hk");
}
END_TEST

START_TEST(possessive_is_stripped)
{
    ck_assert_str_eq(tu_tag(E, "China's and China’s and JAXA’s"),
                     "China/PLACE/cn China/PLACE/cn JAXA/ORG/jaxa");
}
END_TEST

START_TEST(curly_apostrophe_matches_straight)
{
    ck_assert_str_eq(tu_tag(E, "People’s Liberation Army"),
                     "People’s Liberation Army/ORG/pla");
}
END_TEST

START_TEST(keyword_plural_matches)
{
    ck_assert_str_eq(tu_tag(E, "cyber-attacks and agencies"),
                     "cyber-attacks/KEYWORD/cyberattack agencies/KEYWORD/agency");
}
END_TEST

START_TEST(plural_is_for_keywords_only)
{
    ck_assert_str_eq(tu_tag(E, "two Japans"), "");
}
END_TEST

START_TEST(all_caps_entry_matches_only_in_capitals)
{
    ck_assert_str_eq(tu_tag(E, "JAXA jaxa Jaxa"), "JAXA/ORG/jaxa");
}
END_TEST

START_TEST(name_never_matches_in_lower_case)
{
    ck_assert_str_eq(tu_tag(E, "nice weather in china"), "");
    ck_assert_str_eq(tu_tag(E, "CHINA AND JAPAN"), "CHINA/PLACE/cn JAPAN/PLACE/jp");
}
END_TEST

START_TEST(lower_case_entry_matches_capitalised_and_caps)
{
    ck_assert_str_eq(tu_tag(E, "Cyber-attacks rose. CYBER-ATTACK"),
                     "Cyber-attacks/KEYWORD/cyberattack CYBER-ATTACK/KEYWORD/cyberattack");
    ck_assert_str_eq(tu_tag(E, "cYBER-attack"), "");
}
END_TEST

START_TEST(mixed_case_entry_matches_as_written_and_title_case)
{
    ck_assert_str_eq(tu_tag(E, "University of New South Wales"),
                     "University of New South Wales/ORG/unsw");
    ck_assert_str_eq(tu_tag(E, "University Of New South Wales"),
                     "University Of New South Wales/ORG/unsw");
    ck_assert_str_eq(tu_tag(E, "university of new south wales"), "");
    ck_assert_str_eq(tu_tag(E, "McDonald's MCDONALD'S Mcdonald's"),
                     "McDonald's/ORG/mcd MCDONALD'S/ORG/mcd Mcdonald's/ORG/mcd");
}
END_TEST

START_TEST(decomposed_text_matches_composed_entry)
{
    ck_assert_str_eq(tu_tag(E, "Sa\xcc\x83o Paulo"), "Sa\xcc\x83o Paulo/PLACE/sp");
}
END_TEST

START_TEST(diacritics_kept_unless_folded)
{
    ck_assert_str_eq(tu_tag(E, "Tōkyō"), "");
    gz_engine *f = tu_engine(DICT, NULL, 1);
    ck_assert_str_eq(tu_tag(f, "Tōkyō and Lodz"), "Tōkyō/PLACE/tokyo Lodz/PLACE/lodz");
    gz_engine_free(f);
}
END_TEST

START_TEST(diacritics_column_folds_one_entry)
{
    gz_engine *f = tu_engine("name\tdiacritics\nTokyo\tfold\nOsaka\tkeep\n", NULL, 0);
    ck_assert_str_eq(tu_tag(f, "Tōkyō Ōsaka Osaka"), "Tōkyō/dict/ Osaka/dict/");
    gz_engine_free(f);
}
END_TEST

START_TEST(cjk_name_found_inside_sentence)
{
    ck_assert_str_eq(tu_tag(E, "宇宙航空研究開発機構は日本の"),
                     "宇宙航空研究開発機構/ORG/jaxa");
}
END_TEST

START_TEST(invalid_utf8_is_a_boundary_and_offsets_count_bytes)
{
    const char text[] = "\xff\xfeJapan\xc3 Tokyo";
    gz_tagger *t = gz_tagger_new(E);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, text, sizeof text - 1, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(s[0].start, 2);
    ck_assert_uint_eq(s[0].end, 7);
    ck_assert_uint_eq(s[1].start, 9);
    ck_assert_uint_eq(s[1].end, 14);
    gz_tagger_free(t);
}
END_TEST

START_TEST(nul_bytes_do_not_stop_tagging)
{
    const char text[] = "Japan\0Tokyo";
    gz_tagger *t = gz_tagger_new(E);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, text, sizeof text - 1, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(s[1].start, 6);
    gz_tagger_free(t);
}
END_TEST

START_TEST(higher_priority_wins_same_span)
{
    gz_engine *f = tu_engine("name\ttype\tid\tpriority\n"
                             "Georgia\tPLACE\tus-ga\t\n"
                             "Georgia\tPLACE\tgeorgia\t5\n", NULL, 0);
    ck_assert_str_eq(tu_tag(f, "Georgia"), "Georgia/PLACE/georgia");
    gz_engine_free(f);
}
END_TEST

START_TEST(alternatives_are_kept)
{
    gz_engine *f = tu_engine("name\ttype\tid\n"
                             "Jordan\tPLACE\tjordan\n"
                             "Jordan\tPERSON\tmichael-jordan\n", NULL, 0);
    gz_tagger *t = gz_tagger_new(f);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, "Jordan", 6, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(s[0].id, "jordan");  /* file order */
    ck_assert_uint_eq(s[0].n_alts, 1);
    ck_assert_str_eq(s[0].alts[0].id, "michael-jordan");
    gz_tagger_free(t);
    gz_engine_free(f);
}
END_TEST

START_TEST(later_user_dictionary_wins_ties)
{
    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    char *a = tu_write_file("first", "name\tid\nJordan\tfirst\n");
    char *b = tu_write_file("second", "name\tid\nJordan\tsecond\n");
    ck_assert_int_eq(gz_engine_add_dictionary(e, a, 1, &err), 0);
    ck_assert_int_eq(gz_engine_add_dictionary(e, b, 1, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    ck_assert_str_eq(tu_tag(e, "Jordan"), "Jordan/second/second");
    tu_remove(a);
    tu_remove(b);
    gz_engine_free(e);
}
END_TEST

START_TEST(dictionary_outranks_rule_for_same_span)
{
    gz_engine *f = tu_engine("name\ttype\tid\nUnit 61419\tORG\tunit-dict\n",
                             "type\tname\tpattern\nORG\tunit\tUnit [0-9]{4,6}\n", 0);
    gz_tagger *t = gz_tagger_new(f);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, "Unit 61419", 10, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(s[0].id, "unit-dict");
    ck_assert_str_eq(s[0].source, "dict");
    ck_assert_uint_eq(s[0].n_alts, 1);
    ck_assert_str_eq(s[0].alts[0].source, "rule:unit");
    gz_tagger_free(t);
    gz_engine_free(f);
}
END_TEST

START_TEST(class_lists_are_not_printed)
{
    gz_engine *f = tu_engine("name\ttype\nProfessor\t_title\nJapan\tPLACE\n", NULL, 0);
    ck_assert_str_eq(tu_tag(f, "Professor in Japan"), "Japan/PLACE/");
    gz_engine_free(f);
}
END_TEST

START_TEST(type_defaults_to_file_stem)
{
    gz_engine *f = tu_engine("name\nTokyo\n", NULL, 0);
    ck_assert_str_eq(tu_tag(f, "Tokyo"), "Tokyo/dict/");
    gz_engine_free(f);
}
END_TEST

START_TEST(exact_and_fold_case_policies)
{
    gz_engine *f = tu_engine("name\tcase\nApple\texact\nbanana\tfold\n", NULL, 0);
    ck_assert_str_eq(tu_tag(f, "Apple APPLE apple BaNaNa"), "Apple/dict/ BaNaNa/dict/");
    gz_engine_free(f);
}
END_TEST

/* An engine over dict with the ordinary words "the may bill" and the
 * function word "of". */
static gz_engine *ordinary_engine(const char *dict)
{
    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    tu_add_types(e);
    char *d = tu_write_file("dict", dict);
    char *w = tu_write_file("words", "# ordinary words\nthe\nmay\nbill\n");
    ck_assert_int_eq(gz_engine_add_dictionary(e, d, 1, &err), 0);
    ck_assert_int_eq(gz_engine_add_words(e, w, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    tu_remove(d);
    tu_remove(w);
    return e;
}

START_TEST(ordinary_word_is_no_name_where_its_capital_comes_from_its_place)
{
    gz_engine *e = ordinary_engine("name\ttype\nThe\tORG\nMay\tPERSON\nBill\tPERSON\n"
                                   "Of\tORG\nof\t_function\nTokyo\tPLACE\nUS\tPLACE\n"
                                   "Bank of England\tORG\n"
                                   "tax\tKEYWORD\n");
    /* sentence starts and headlines */
    ck_assert_str_eq(tu_tag(e, "The cat sat. Bill paid. Of course. Tokyo won."),
                     "Tokyo/PLACE/");
    ck_assert_str_eq(tu_tag(e, "THE US WIN\nThey did."), "US/PLACE/");
    /* keywords and names in capitals keep matching */
    ck_assert_str_eq(tu_tag(e, "Tax rose. US troops left."), "Tax/KEYWORD/ US/PLACE/");
    /* capitalised mid-sentence elsewhere in the text: a name everywhere */
    ck_assert_str_eq(tu_tag(e, "May spoke. Then May left."), "May/PERSON/ May/PERSON/");
    ck_assert_str_eq(tu_tag(e, "Bill Smith spoke. He met Bill."),
                     "Bill/PERSON/ Bill/PERSON/");
    /* a function word, never: mid-sentence it opens a longer name */
    ck_assert_str_eq(tu_tag(e, "Of course. The Bank Of England said."),
                     "Bank Of England/ORG/");
    gz_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tagger");
    TCase *tc = tcase_create("policy");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, name_is_not_found_inside_a_longer_word);
    tcase_add_test(tc, hyphen_is_a_word_boundary);
    tcase_add_test(tc, longest_match_wins);
    tcase_add_test(tc, line_breaks_and_space_runs_join_words);
    tcase_add_test(tc, paragraph_break_separates_names);
    tcase_add_test(tc, hyphen_space_and_no_space_are_equal);
    tcase_add_test(tc, possessive_is_stripped);
    tcase_add_test(tc, curly_apostrophe_matches_straight);
    tcase_add_test(tc, keyword_plural_matches);
    tcase_add_test(tc, plural_is_for_keywords_only);
    tcase_add_test(tc, all_caps_entry_matches_only_in_capitals);
    tcase_add_test(tc, name_never_matches_in_lower_case);
    tcase_add_test(tc, lower_case_entry_matches_capitalised_and_caps);
    tcase_add_test(tc, mixed_case_entry_matches_as_written_and_title_case);
    tcase_add_test(tc, decomposed_text_matches_composed_entry);
    tcase_add_test(tc, diacritics_kept_unless_folded);
    tcase_add_test(tc, diacritics_column_folds_one_entry);
    tcase_add_test(tc, cjk_name_found_inside_sentence);
    tcase_add_test(tc, invalid_utf8_is_a_boundary_and_offsets_count_bytes);
    tcase_add_test(tc, nul_bytes_do_not_stop_tagging);
    tcase_add_test(tc, higher_priority_wins_same_span);
    tcase_add_test(tc, alternatives_are_kept);
    tcase_add_test(tc, later_user_dictionary_wins_ties);
    tcase_add_test(tc, ordinary_word_is_no_name_where_its_capital_comes_from_its_place);
    tcase_add_test(tc, dictionary_outranks_rule_for_same_span);
    tcase_add_test(tc, class_lists_are_not_printed);
    tcase_add_test(tc, type_defaults_to_file_stem);
    tcase_add_test(tc, exact_and_fold_case_policies);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
