/* SPDX-License-Identifier: MIT */
/* check_rules.c - the token-class rule language: classes, dictionary types,
 * literals, conjunctions, marks, and its error messages. */
#include "testutil.h"

static const char *CLASSES =
    "name\ttype\n"
    "professor\t_title\n"
    "chief cabinet secretary\t_title\n"
    "Alexandra\t_given_name\n"
    "Toby\t_given_name\n"
    "agency\t_org_suffix\n"
    "university\t_org_suffix\n"
    "the\t_function\n"
    "China\tPLACE\n";

static const char *RULES =
    "type\tname\tkind\tpattern\n"
    "PERSON\tgiven\ttokens\t< [@_given_name Cap] [Cap !@_title]{1,2} >\n"
    "PERSON\ttitled\ttokens\t@_title < [Cap !@_title !@_given_name]+ >\n"
    "ORG\thead\ttokens\t< [Cap !@_function !Poss]+ [@_org_suffix Cap] >\n"
    "ORG\tof\ttokens\t< [@_org_suffix Cap] \"of\" Cap+ >\n";

static gz_engine *E;
static void setup(void) { E = tu_engine(CLASSES, RULES, 0); }
static void teardown(void) { gz_engine_free(E); }

START_TEST(given_name_followed_by_capitalised_word_is_a_person)
{
    ck_assert_str_eq(tu_tag(E, "said Toby Walsh yesterday"), "Toby Walsh/PERSON/local:toby walsh");
}
END_TEST

START_TEST(title_is_left_out_of_the_span)
{
    ck_assert_str_eq(tu_tag(E, "Chief Cabinet Secretary Katsunobu Kato spoke"),
                     "Katsunobu Kato/PERSON/local:katsunobu kato");
    ck_assert_str_eq(tu_tag(E, "professors Alexandra George and Toby Walsh"),
                     "Alexandra George/PERSON/local:alexandra george "
                     "Toby Walsh/PERSON/local:toby walsh");
}
END_TEST

START_TEST(capitalised_words_ending_in_a_head_word_are_an_org)
{
    ck_assert_str_eq(tu_tag(E, "the Pacific Orbital Debris Agency said"),
                     "Pacific Orbital Debris Agency/ORG/local:pacific orbital debris agency");
    ck_assert_str_eq(tu_tag(E, "The Agency said"), "");
}
END_TEST

START_TEST(university_of_capitalised_words_is_an_org)
{
    ck_assert_str_eq(tu_tag(E, "at the University of New South Wales in"),
                     "University of New South Wales/ORG/local:university of new south wales");
}
END_TEST

START_TEST(possessive_entity_does_not_start_a_name)
{
    ck_assert_str_eq(tu_tag(E, "China's Space Agency"),
                     "China/PLACE/ Space Agency/ORG/local:space agency");
}
END_TEST

START_TEST(common_word_is_not_a_surname)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "PERSON\tgiven\ttokens\t< [@_given_name Cap] [Cap !Common] >\n", 0);
    ck_assert_str_eq(tu_tag(e, "Toby Church spoke"), "Toby Church/PERSON/local:toby church");
    ck_assert_str_eq(tu_tag(e, "Toby Church spoke at the church"), "");
    gz_engine_free(e);
}
END_TEST

START_TEST(rules_do_not_cross_paragraphs)
{
    ck_assert_str_eq(tu_tag(E, "Toby\n\nWalsh"), "");
}
END_TEST

START_TEST(sentence_start_looks_through_quotes_not_bullets)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tmid\ttokens\t[Cap !Start]\n", 0);
    ck_assert_str_eq(tu_tag(e, "stop. (Foo"), "");
    ck_assert_str_eq(tu_tag(e, "stop. \xE2\x80\x9C\"Foo"), "");
    ck_assert_str_eq(tu_tag(e, "stop. \xE2\x80\xA2 Foo"), "Foo/X/local:foo");
    ck_assert_str_eq(tu_tag(e, "stop. \xE2\x94\x82 Foo"), "Foo/X/local:foo");
    gz_engine_free(e);
}
END_TEST

START_TEST(head_marks_headline_lines)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\thead\ttokens\t< [Head Word]+ >\n"
                             "P\tperson\ttokens\t< [@_given_name Cap !Head] Cap >\n", 0);
    /* a title-case line without final punctuation, over a body */
    ck_assert_str_eq(tu_tag(e, "Toby Walsh Makes Incredible Discovery\nHe said so."),
                     "Toby Walsh Makes Incredible Discovery/X/local:toby walsh makes incredible "
                     "discovery");
    /* a line in capitals, final full stop and all */
    ck_assert_str_eq(tu_tag(e, "he said.\nJAPAN GET LUCKY WIN .\nThen more."),
                     "JAPAN GET LUCKY WIN/X/local:japan get lucky win");
    /* not: a sentence, two words, a whole one-line text, a list in brackets */
    ck_assert_str_eq(tu_tag(e, "Toby Walsh Spoke To Reporters.\nHe said so."),
                     "Toby Walsh/P/local:toby walsh");
    ck_assert_str_eq(tu_tag(e, "Toby Walsh\nHe said so."), "Toby Walsh/P/local:toby walsh");
    ck_assert_str_eq(tu_tag(e, "Toby Walsh Makes Incredible Discovery"),
                     "Toby Walsh/P/local:toby walsh");
    ck_assert_str_eq(tu_tag(e, "Toby Walsh (China) Beat Lee\nHe said so."),
                     "Toby Walsh/P/local:toby walsh China/PLACE/");
    gz_engine_free(e);
}
END_TEST

START_TEST(incap_is_a_capitalised_word_with_inner_capitals)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tin\ttokens\tInCap\n"
                             "Y\tmixed\ttokens\t[Mixed !InCap]\n", 0);
    ck_assert_str_eq(tu_tag(e, "McDonald met DeSantis"),
                     "McDonald/X/local:mcdonald DeSantis/X/local:desantis");
    ck_assert_str_eq(tu_tag(e, "Sean O'Neill"), "O'Neill/X/local:o'neill");
    ck_assert_str_eq(tu_tag(e, "an iPhone, Macdonald, NASA"), "iPhone/Y/local:iphone");
    gz_engine_free(e);
    e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                  "X\tcapital\ttokens\tCapital\n", 0);
    ck_assert_str_eq(tu_tag(e, "iPhone McDonald NASA Walsh x"),
                     "McDonald/X/local:mcdonald Walsh/X/local:walsh");
    gz_engine_free(e);
}
END_TEST

START_TEST(class_list_of_names_takes_no_plural)
{
    gz_engine *e = tu_engine("name\ttype\nJefferson\t_surname\nprofessor\t_title\n",
                             "type\tname\tkind\tpattern\n"
                             "PERSON\tsur\ttokens\t< Cap [@_surname Cap] >\n"
                             "X\ttitle\ttokens\t@_title\n", 0);
    ck_assert_str_eq(tu_tag(e, "Tom Jefferson came"), "Tom Jefferson/PERSON/local:tom jefferson");
    ck_assert_str_eq(tu_tag(e, "the Rochester Jeffersons came"), "");
    ck_assert_str_eq(tu_tag(e, "two professors"), "professors/X/local:professors");
    gz_engine_free(e);
}
END_TEST

START_TEST(hyph_marks_a_word_joined_by_a_hyphen)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tpair\ttokens\t< Cap [Cap !Hyph] >\n"
                             "Y\tjoined\ttokens\t< Cap [Cap Hyph] >\n", 0);
    ck_assert_str_eq(tu_tag(e, "the Neiman-Marcus store"), "Neiman-Marcus/Y/local:neiman marcus");
    ck_assert_str_eq(tu_tag(e, "the Neiman Marcus store"), "Neiman Marcus/X/local:neiman marcus");
    gz_engine_free(e);
}
END_TEST

START_TEST(plural_marks_a_regular_plural_ending)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tteam\ttokens\t< @PLACE [Cap Plural] >\n", 0);
    ck_assert_str_eq(tu_tag(e, "the China Colts won"),
                     "China Colts/X/local:china colts");
    ck_assert_str_eq(tu_tag(e, "China Ross and China's Bass and China US"),
                     "China/PLACE/ China/PLACE/ China/PLACE/");
    gz_engine_free(e);
}
END_TEST

/* Tag len bytes; the number of spans, and whether every rule ran to the end. */
static gz_error big_err;

static size_t tag_big(gz_engine *e, const char *text, size_t len, int *complete)
{
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n = 0;
    memset(&big_err, 0, sizeof big_err);
    int rc = gz_tag(t, text, len, &s, &n, &big_err);
    ck_assert_int_ge(rc, 0);
    *complete = rc == 0;
    gz_tagger_free(t);
    return n;
}

static char *repeat(const char *unit, size_t times, const char *tail, size_t *len)
{
    size_t ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(ul * times + tl + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * ul, unit, ul);
    memcpy(s + ul * times, tail, tl + 1);
    *len = ul * times + tl;
    return s;
}

/* Each word used to walk back over every preceding bracket and quote (and
 * every box-drawing character): hundreds of KB of them took minutes.  The
 * case's timeout is only a hang guard. */
START_TEST(long_runs_of_brackets_and_box_drawing_stay_linear)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tfirst\ttokens\t[Cap Start]\n", 0);
    size_t len;
    int complete;
    char *s = repeat("(", 400000, "Foo", &len);
    ck_assert_uint_eq(tag_big(e, s, len, &complete), 1);
    ck_assert(complete);
    free(s);
    s = repeat("\xE2\x94\x82\xE2\x94\x80", 100000, " Foo", &len);
    ck_assert_uint_eq(tag_big(e, s, len, &complete), 0);
    ck_assert(complete);
    free(s);
    gz_engine_free(e);
}
END_TEST

/* Rules with a repetition over capitalised words used to rescan a run from
 * each of its words, and past about 50,000 words stopped at the JIT stack
 * limit: the document was not completely tagged.  A repetition now looks
 * at most 32 tokens, whatever the rule. */
START_TEST(long_capitalised_runs_are_tagged_completely)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tlead\ttokens\t< ([Cap !@_function] | Upper)* [@_org_suffix Cap] "
                             "\"of\" Cap+ >\n"
                             "X\tinner\ttokens\tAny < (Cap | Upper)+ [@_org_suffix Cap] >\n", 0);
    size_t len;
    int complete;
    char *s = repeat("Bako ", 60000, "end", &len);
    ck_assert_uint_eq(tag_big(e, s, len, &complete), 0);
    ck_assert(complete);
    free(s);
    s = repeat("BAKO ", 60000, "end", &len);
    ck_assert_uint_eq(tag_big(e, s, len, &complete), 0);
    ck_assert(complete);
    free(s);
    s = repeat("Bako ", 20, "Agency of Foo", &len);
    ck_assert_uint_eq(tag_big(e, s, len, &complete), 1);
    free(s);
    gz_engine_free(e);
}
END_TEST

/* Nested repetitions stay under pcre2's limit at each match call, yet
 * their work over a text of capitalised words grew without bound: 30,000
 * words took 53 s.  Their iterations now count against the rule's step
 * limit for the text.  The case's timeout is only a hang guard. */
START_TEST(token_rule_quadratic_over_the_text_stops_at_its_step_limit)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tnested\ttokens\t< Cap > ((Cap{0,6}){0,6} Num)?\n", 0);
    size_t len;
    int complete;
    char *s = repeat("Bako ", 60000, "\n\n1", &len);
    tag_big(e, s, len, &complete);
    ck_assert(!complete);
    ck_assert_ptr_nonnull(strstr(big_err.message, "rule 'nested' stopped"));
    ck_assert_ptr_nonnull(strstr(big_err.message, "step limit for the text exceeded"));
    free(s);
    gz_engine_free(e);
}
END_TEST

static const char *add_rule(const char *pattern)
{
    static gz_error err;
    memset(&err, 0, sizeof err);
    char text[1024];
    snprintf(text, sizeof text, "type\tname\tkind\tpattern\nX\tr\ttokens\t%s\n", pattern);
    gz_engine *e = gz_engine_new(NULL);
    char *p = tu_write_file("rules", text);
    int rc = gz_engine_add_rules(e, p, 1, &err);
    if (rc == 0)
        rc = gz_engine_freeze(e, &err);
    tu_remove(p);
    gz_engine_free(e);
    return rc == 0 ? "" : err.message;
}

START_TEST(pattern_errors_name_rule_and_offset)
{
    ck_assert_str_eq(add_rule("Cap+"), "");
    ck_assert_str_eq(add_rule("Cap Frob"),
                     "rule 'r': token pattern error at offset 4: unknown token class (expected "
                     "Cap, Upper, Lower, Mixed, InCap, Capital, Init, Num, Punct, CJK, Word, Any, "
                     "Start, Poss, Common, Hyph, Plural or Head)");
    ck_assert_ptr_nonnull(strstr(add_rule("(Cap"), "missing ')'"));
    ck_assert_ptr_nonnull(strstr(add_rule("[Cap"), "missing ']'"));
    ck_assert_ptr_nonnull(strstr(add_rule("< Cap"), "'<' without '>'"));
    ck_assert_ptr_nonnull(strstr(add_rule("\"of"), "unterminated"));
    ck_assert_ptr_nonnull(strstr(add_rule("Cap{2,x}"), "repetition"));
}
END_TEST

START_TEST(bad_kind_is_rejected)
{
    gz_engine *e = gz_engine_new(NULL);
    char *p = tu_write_file("rules", "type\tname\tkind\tpattern\nX\tr\tglob\tCap\n");
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_rules(e, p, 1, &err), -1);
    ck_assert_int_eq(err.line, 2);
    tu_remove(p);
    gz_engine_free(e);
}
END_TEST

/* A rule is tried only at the tokens its first item can match, and a
 * rule opening with a repetition skips the rest of a run, except at the
 * token right after its previous match ("Bar" follows "USA", which the
 * repetition could have taken). */
START_TEST(rules_start_at_every_token_their_first_items_allow)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\trun\ttokens\t< Upper* Cap > Upper\n"
                             "Y\topt\ttokens\t(\"the\" | Num)? < \"zed\" Lower >\n", 0);
    ck_assert_str_eq(tu_tag(e, "so Foo USA Bar UK"), "Foo/X/local:foo Bar/X/local:bar");
    ck_assert_str_eq(tu_tag(e, "the zed one; 4 zed two; zed three"),
                     "zed one/Y/local:zed one zed two/Y/local:zed two "
                     "zed three/Y/local:zed three");
    gz_engine_free(e);
}
END_TEST

/* A rule is not tried where a word it cannot do without (its "said") is
 * further away than its pattern can reach: every repetition counts at its
 * longest, so a match as long as the pattern allows is still found. */
START_TEST(rules_reach_a_required_word_as_far_as_their_pattern_allows)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\trun\ttokens\t< Cap{0,3} Num > \"said\"\n"
                             "Y\texact\ttokens\t< Upper{2} Num > \"told\"\n", 0);
    ck_assert_str_eq(tu_tag(e, "so Ab Cd Ef 12 said"), "Ab Cd Ef 12/X/local:ab cd ef 12");
    ck_assert_str_eq(tu_tag(e, "so AB CD 12 told"), "AB CD 12/Y/local:ab cd 12");
    ck_assert_str_eq(tu_tag(e, "so Ab 12 said it; Cd 34"), "Ab 12/X/local:ab 12");
    gz_engine_free(e);
}
END_TEST

/* A required item that can begin several ways (any of three words) is
 * looked for among the tokens of every way, in text order. */
START_TEST(rules_reach_a_required_word_of_any_alternative)
{
    gz_engine *e = tu_engine(CLASSES, "type\tname\tkind\tpattern\n"
                             "X\tany\ttokens\t< Cap{0,2} Num > (\"said\" | \"told\" | \"wrote\")\n",
                             0);
    ck_assert_str_eq(tu_tag(e, "so Ab Cd 12 wrote"), "Ab Cd 12/X/local:ab cd 12");
    ck_assert_str_eq(tu_tag(e, "said so: Ab 12 told, then Cd 34 wrote and Ef 56 said"),
                     "Ab 12/X/local:ab 12 Cd 34/X/local:cd 34 Ef 56/X/local:ef 56");
    ck_assert_str_eq(tu_tag(e, "wrote Ab Cd 12 then said"), "");
    gz_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, given_name_followed_by_capitalised_word_is_a_person);
    tcase_add_test(tc, title_is_left_out_of_the_span);
    tcase_add_test(tc, capitalised_words_ending_in_a_head_word_are_an_org);
    tcase_add_test(tc, university_of_capitalised_words_is_an_org);
    tcase_add_test(tc, possessive_entity_does_not_start_a_name);
    tcase_add_test(tc, common_word_is_not_a_surname);
    tcase_add_test(tc, rules_do_not_cross_paragraphs);
    tcase_add_test(tc, pattern_errors_name_rule_and_offset);
    tcase_add_test(tc, bad_kind_is_rejected);
    tcase_add_test(tc, sentence_start_looks_through_quotes_not_bullets);
    tcase_add_test(tc, head_marks_headline_lines);
    tcase_add_test(tc, incap_is_a_capitalised_word_with_inner_capitals);
    tcase_add_test(tc, class_list_of_names_takes_no_plural);
    tcase_add_test(tc, hyph_marks_a_word_joined_by_a_hyphen);
    tcase_add_test(tc, plural_marks_a_regular_plural_ending);
    tcase_add_test(tc, rules_start_at_every_token_their_first_items_allow);
    tcase_add_test(tc, rules_reach_a_required_word_as_far_as_their_pattern_allows);
    tcase_add_test(tc, rules_reach_a_required_word_of_any_alternative);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("linear");
    tcase_set_timeout(big, 60);
    tcase_add_test(big, long_runs_of_brackets_and_box_drawing_stay_linear);
    tcase_add_test(big, long_capitalised_runs_are_tagged_completely);
    tcase_add_test(big, token_rule_quadratic_over_the_text_stops_at_its_step_limit);
    suite_add_tcase(s, big);
    return s;
}

TU_MAIN(suite)
