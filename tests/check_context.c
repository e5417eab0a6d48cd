/* SPDX-License-Identifier: MIT */
/* check_context.c - the document profile (countries, subject) and the
 * choices it makes among the readings of a mention, and their switch. */
#include "testutil.h"

#include "context.h"
#include "roles.h"
#include "tagger.h"
#include "tokenize.h"

static const char *DICT =
    "name\ttype\tid\taliases\tpriority\tclass\tcountry\tadmin1\tcontext\n"
    "Birmingham\tPLACE\tbham-gb\t\t-18\tCITY\tiso3166:GB\tEngland\t\n"
    "Birmingham\tPLACE\tbham-us\t\t-25\tCITY\tiso3166:US\tAlabama\t\n"
    "Alabama\tPLACE\tiso3166-2:US-AL\t\t-20\tREGION\tiso3166:US\t\t\n"
    "England\tPLACE\tiso3166-2:GB-ENG\t\t-20\tREGION\tiso3166:GB\t\t\n"
    "Scotland\tPLACE\tiso3166-2:GB-SCT\t\t-20\tREGION\tiso3166:GB\t\t\n"
    "Georgia\tPLACE\tiso3166:GE\t\t0\tCOUNTRY\t\t\t\n"
    "Georgia\tPLACE\tiso3166-2:US-GA\t\t-20\tREGION\tiso3166:US\t\t\n"
    "Texas\tPLACE\tiso3166-2:US-TX\t\t-20\tREGION\tiso3166:US\t\t\n"
    "Atlanta\tPLACE\tatlanta\t\t-18\tCITY\tiso3166:US\tGeorgia\t\n"
    "Savannah\tPLACE\tsavannah\t\t-18\tCITY\tiso3166:US\tGeorgia\t\n"
    "Columbus\tPLACE\tcolumbus-oh\t\t-18\tCITY\tiso3166:US\tOhio\t\n"
    "Columbus\tPLACE\tcolumbus-ga\t\t-25\tCITY\tiso3166:US\tGeorgia\t\n"
    "Taiwan\tPLACE\tiso3166:TW\t\t0\tCOUNTRY\t\t\t\n"
    "Taiwan\tPLACE\tiso3166-2:CN-TW\t\t-20\tREGION\tiso3166:CN\t\t\n"
    "Beijing\tPLACE\tbeijing\t\t-15\tCITY\tiso3166:CN\t\t\n"
    "Shanghai\tPLACE\tshanghai\t\t-15\tCITY\tiso3166:CN\t\t\n"
    "Leeds\tPLACE\tleeds\t\t-18\tCITY\tiso3166:GB\tEngland\t\n"
    "Burnley\tPLACE\tburnley\t\t-25\tCITY\tiso3166:GB\tEngland\t\n"
    "Sydney\tPLACE\tsydney\t\t-15\tCITY\tiso3166:AU\t\t\n"
    "Canberra\tPLACE\tcanberra\t\t-15\tCITY\tiso3166:AU\t\t\n"
    "Australian Senate\tORG\tsenate-au\tSenate\t-5\tLEGISLATURE\tiso3166:AU\t\tcountry\n"
    "United States Senate\tORG\tsenate-us\tSenate\t-5\tLEGISLATURE\tiso3166:US\t\tcountry\n"
    "Associated Press\tORG\tap\tAP\t-5\tNEWS_ORG\tiso3166:US\t\tcredit\n"
    "Apple Inc.\tORG\tapple\tApple\t-10\tCOMPANY\t\t\t\n"
    "Burnley FC\tORG\tburnley-fc\t\t-25\tSPORTS_TEAM\tiso3166:GB\t\t\n"
    "Everton FC\tORG\teverton-fc\t\t-25\tSPORTS_TEAM\tiso3166:GB\t\t\n"
    "Sporting San Jose\tORG\tsporting-sj\tSporting FC\t-25\tSPORTS_TEAM\tiso3166:CR\t\t\n"
    "Leeds United FC\tORG\tleeds-united\tLeeds FC\t-25\tSPORTS_TEAM\tiso3166:GB\t\t\n"
    "Leeds City FC\tORG\tleeds-city\tLeeds FC\t-25\tSPORTS_TEAM\tiso3166:GB\t\t\n";

static gz_engine *engine(int no_context)
{
    gz_engine_options o = GZ_ENGINE_OPTIONS_INIT;
    o.no_context = no_context;
    gz_engine *e = gz_engine_new(&o);
    tu_add_types(e);
    gz_error err = {0};
    char *d = tu_write_file("dict", DICT);
    ck_assert_int_eq(gz_engine_add_dictionary(e, d, 1, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    tu_remove(d);
    return e;
}

/* A span with the given type, id and country attribute (NULL: none). */
static gz_span place(gz_attr *a, const char *id, const char *country)
{
    gz_span s = {0};
    s.type = "PLACE";
    s.id = id;
    s.name = id;
    s.role = GZ_ROLE_PLACE;
    if (country) {
        a->key = "country";
        a->value = country;
        s.attrs = a;
        s.n_attrs = 1;
    }
    return s;
}

START_TEST(profile_counts_countries_the_readings_agree_on)
{
    gz_attr a[4];
    gz_span alt = place(&a[3], "georgia-country", "iso3166:GE");
    gz_span s[3] = {place(&a[0], "atlanta", "iso3166:US"), place(&a[1], "texas", "iso3166:US"),
                    place(&a[2], "georgia-state", "iso3166:US")};
    s[2].alts = &alt;
    s[2].n_alts = 1;
    gz_ctx *c = gz_ctx_new();
    gz_ctxview v = {0};
    v.spans = s;
    v.nspans = 3;
    gz_ctx_learn(c, &v);
    /* the ambiguous Georgia counts for neither reading */
    ck_assert_int_eq(gz_ctx_country_weight(c, "US"), 2);
    ck_assert_int_eq(gz_ctx_country_weight(c, "GE"), 0);
    ck_assert_str_eq(gz_ctx_country(c), "US");
    gz_ctx_reset(c);
    ck_assert_ptr_null(gz_ctx_country(c));
    gz_ctx_free(c);
}
END_TEST

START_TEST(country_needs_a_clear_lead)
{
    gz_attr a[4];
    gz_span s[4] = {place(&a[0], "a", "iso3166:US"), place(&a[1], "b", "iso3166:GB"),
                    place(&a[2], "c", "iso3166:GB"), place(&a[3], "d", "iso3166:US")};
    gz_ctx *c = gz_ctx_new();
    gz_ctxview v = {0};
    v.spans = s;
    v.nspans = 1;
    gz_ctx_learn(c, &v);
    ck_assert_ptr_null(gz_ctx_country(c));  /* one mention is not enough */
    v.spans = s + 1;
    v.nspans = 2;
    gz_ctx_learn(c, &v);
    ck_assert_str_eq(gz_ctx_country(c), "GB");  /* twice the runner-up */
    v.spans = s + 3;
    v.nspans = 1;
    gz_ctx_learn(c, &v);
    ck_assert_ptr_null(gz_ctx_country(c));  /* 2 against 2 is no lead */
    gz_ctx_free(c);
}
END_TEST

static int subject_of(const char *text)
{
    gz_tokens tk = {0};
    gz_tokenize(&tk, text, strlen(text), 0);
    gz_ctx *c = gz_ctx_new();
    gz_ctxview v = {0};
    v.text = text;
    v.len = strlen(text);
    v.tok = &tk;
    gz_ctx_learn(c, &v);
    int subject = gz_ctx_subject(c);
    gz_ctx_free(c);
    gz_tokens_free(&tk);
    return subject;
}

START_TEST(subject_comes_from_cue_words_and_score_lines)
{
    ck_assert_int_eq(subject_of("They beat them 2-0 and then 3-1 after a late goal."),
                     GZ_SUBJECT_SPORTS);
    ck_assert_int_eq(subject_of("Voters gave the coalition more seats in the election."),
                     GZ_SUBJECT_POLITICS);
    ck_assert_int_eq(subject_of("Shares rose after revenue and profit beat forecasts."),
                     GZ_SUBJECT_BUSINESS);
    /* too little, or no clear lead */
    ck_assert_int_eq(subject_of("They beat them."), GZ_SUBJECT_OTHER);
    ck_assert_int_eq(subject_of("India beat Australia by six wickets."), GZ_SUBJECT_SPORTS);
    ck_assert_int_eq(subject_of("goal goal goal election election"), GZ_SUBJECT_OTHER);
    /* a year range is not a score */
    ck_assert_int_eq(subject_of("In 2021-22 and 2022-23 and 2023-24."), GZ_SUBJECT_OTHER);
}
END_TEST

START_TEST(city_state_chooses_the_namesake)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "Birmingham, Alabama"),
                     "Birmingham/PLACE/bham-us Alabama/PLACE/iso3166-2:US-AL");
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    ck_assert_int_eq(gz_tag(t, "Birmingham, England", 19, &s, &n, &err), 0);
    ck_assert_ptr_null(gz_span_why(gz_span_at(s, 0)));  /* no choice to make */
    gz_tagger_free(t);
    ck_assert_str_eq(tu_tag(e, "Birmingham, England"),
                     "Birmingham/PLACE/bham-gb England/PLACE/iso3166-2:GB-ENG");
    /* the pattern outranks the story's country */
    ck_assert_str_eq(tu_tag(e, "Atlanta and Texas; Birmingham, England"),
                     "Atlanta/PLACE/atlanta Texas/PLACE/iso3166-2:US-TX "
                     "Birmingham/PLACE/bham-gb England/PLACE/iso3166-2:GB-ENG");
    /* no known Sydney lies in Scotland: a place, but not the Australian one */
    ck_assert_str_eq(tu_tag(e, "Sydney, Scotland"),
                     "Sydney/PLACE/ Scotland/PLACE/iso3166-2:GB-SCT");
    /* a list of cities is no pattern */
    ck_assert_str_eq(tu_tag(e, "Sydney, Leeds"), "Sydney/PLACE/sydney Leeds/PLACE/leeds");
    gz_engine_free(e);
}
END_TEST

START_TEST(story_country_chooses_the_namesake)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "Atlanta and Texas, then Georgia."),
                     "Atlanta/PLACE/atlanta Texas/PLACE/iso3166-2:US-TX "
                     "Georgia/PLACE/iso3166-2:US-GA");
    /* without evidence the order of precedence stands */
    ck_assert_str_eq(tu_tag(e, "Atlanta, then Georgia."),
                     "Atlanta/PLACE/atlanta Georgia/PLACE/iso3166:GE");
    /* one territory listed twice keeps its country reading */
    ck_assert_str_eq(tu_tag(e, "Beijing and Shanghai, and Taiwan."),
                     "Beijing/PLACE/beijing Shanghai/PLACE/shanghai Taiwan/PLACE/iso3166:TW");
    gz_engine_free(e);
}
END_TEST

START_TEST(story_region_chooses_among_namesakes_of_one_country)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "Atlanta and Savannah, then Columbus."),
                     "Atlanta/PLACE/atlanta Savannah/PLACE/savannah Columbus/PLACE/columbus-ga");
    /* one mention of the region is not enough */
    ck_assert_str_eq(tu_tag(e, "Atlanta, then Columbus."),
                     "Atlanta/PLACE/atlanta Columbus/PLACE/columbus-oh");
    gz_engine_free(e);
}
END_TEST

START_TEST(city_is_a_team_only_in_a_sports_story)
{
    gz_engine *e = engine(0);
    /* Burnley FC is the one club of that name; two clubs are "Leeds FC" */
    ck_assert_str_eq(tu_tag(e, "Leeds beat Burnley 2-0 after a goal and a penalty."),
                     "Leeds/ORG/ Burnley/ORG/burnley-fc");
    ck_assert_str_eq(tu_tag(e, "Leeds beat Burnley in the election for seats and voters."),
                     "Leeds/PLACE/leeds Burnley/PLACE/burnley");
    /* two words before: "lost to", "drew with" */
    ck_assert_str_eq(tu_tag(e, "A goal and a penalty: 2-0. Leeds lost to Burnley."),
                     "Leeds/ORG/ Burnley/ORG/burnley-fc");
    /* a country with a possessive is the country */
    ck_assert_str_eq(tu_tag(e, "A goal and a penalty: 2-0. She beat Georgia's champion."),
                     "Georgia/PLACE/iso3166:GE");
    gz_engine_free(e);
}
END_TEST

START_TEST(city_and_nickname_are_one_team)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "A goal and a penalty: 2-0. Leeds Rhinos beat them."),
                     "Leeds Rhinos/ORG/");
    /* not without a team's position, nor outside a sports story */
    ck_assert_str_eq(tu_tag(e, "A goal and a penalty: 2-0. Leeds Rhinos fans sang."),
                     "Leeds/PLACE/leeds");
    ck_assert_str_eq(tu_tag(e, "Leeds Rhinos beat them."), "Leeds/PLACE/leeds");
    gz_engine_free(e);
}
END_TEST

START_TEST(club_named_without_fc_in_a_sports_story)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "A goal and a penalty: 2-0. Everton were better."),
                     "Everton/ORG/everton-fc");
    /* not outside a sports story, nor after "the" */
    ck_assert_str_eq(tu_tag(e, "Everton were better."), "");
    ck_assert_str_eq(tu_tag(e, "A goal and a penalty: 2-0. The Everton were better."), "");
    /* "NAME FC" must be the club's own name, not one of its aliases */
    ck_assert_str_eq(tu_tag(e, "A goal and a penalty: 2-0. Sporting were better."), "");
    gz_engine_free(e);
}
END_TEST

START_TEST(short_form_needs_the_story_country)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "Sydney and Canberra: the Senate sat."),
                     "Sydney/PLACE/sydney Canberra/PLACE/canberra Senate/ORG/senate-au");
    ck_assert_str_eq(tu_tag(e, "Atlanta and Texas: the Senate sat."),
                     "Atlanta/PLACE/atlanta Texas/PLACE/iso3166-2:US-TX Senate/ORG/senate-us");
    ck_assert_str_eq(tu_tag(e, "The Senate sat."), "");
    /* the full name stands anywhere */
    ck_assert_str_eq(tu_tag(e, "The Australian Senate sat."), "Australian Senate/ORG/senate-au");
    gz_engine_free(e);
}
END_TEST

START_TEST(agency_short_form_needs_a_credit_line)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "WASHINGTON (AP) - It rained."), "AP/ORG/ap");
    ck_assert_str_eq(tu_tag(e, "Photo: AP"), "AP/ORG/ap");
    ck_assert_str_eq(tu_tag(e, "An AP test."), "");
    gz_engine_free(e);
}
END_TEST

START_TEST(geographic_word_is_not_a_company)
{
    gz_engine *e = engine(0);
    ck_assert_str_eq(tu_tag(e, "the Apple orchard"), "");
    ck_assert_str_eq(tu_tag(e, "the Apple store"), "Apple/ORG/apple");
    gz_engine_free(e);
}
END_TEST

START_TEST(context_can_be_turned_off)
{
    gz_engine *e = engine(1);
    ck_assert_str_eq(tu_tag(e, "Birmingham, Alabama"),
                     "Birmingham/PLACE/bham-gb Alabama/PLACE/iso3166-2:US-AL");
    ck_assert_str_eq(tu_tag(e, "Leeds beat Burnley 2-0 after a goal and a penalty."),
                     "Leeds/PLACE/leeds Burnley/PLACE/burnley");
    ck_assert_str_eq(tu_tag(e, "the Apple orchard"), "Apple/ORG/apple");
    /* a short form that needs its context is never guessed */
    ck_assert_str_eq(tu_tag(e, "Sydney and Canberra: the Senate sat."),
                     "Sydney/PLACE/sydney Canberra/PLACE/canberra");
    gz_engine_free(e);
}
END_TEST

START_TEST(profile_spans_chunks_but_not_documents)
{
    gz_engine *e = engine(0);
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    const char *a = "Sydney and Canberra. ", *b = "The Senate sat.";
    gz_tagger_begin_doc(t);
    ck_assert_int_eq(gz_tag_chunk(t, a, strlen(a), 0, &s, &n, &err), 0);
    ck_assert_int_eq(gz_tag_chunk(t, b, strlen(b), strlen(a), &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(s[0].id, "senate-au");
    ck_assert_str_eq(gz_span_why(gz_span_at(s, 0)), "context: story country");
    gz_tagger_begin_doc(t);
    ck_assert_int_eq(gz_tag_chunk(t, b, strlen(b), 0, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    gz_tagger_free(t);
    gz_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("context");
    TCase *tc = tcase_create("context");
    tcase_add_test(tc, profile_counts_countries_the_readings_agree_on);
    tcase_add_test(tc, country_needs_a_clear_lead);
    tcase_add_test(tc, subject_comes_from_cue_words_and_score_lines);
    tcase_add_test(tc, city_state_chooses_the_namesake);
    tcase_add_test(tc, story_country_chooses_the_namesake);
    tcase_add_test(tc, story_region_chooses_among_namesakes_of_one_country);
    tcase_add_test(tc, city_is_a_team_only_in_a_sports_story);
    tcase_add_test(tc, club_named_without_fc_in_a_sports_story);
    tcase_add_test(tc, city_and_nickname_are_one_team);
    tcase_add_test(tc, short_form_needs_the_story_country);
    tcase_add_test(tc, agency_short_form_needs_a_credit_line);
    tcase_add_test(tc, geographic_word_is_not_a_company);
    tcase_add_test(tc, context_can_be_turned_off);
    tcase_add_test(tc, profile_spans_chunks_but_not_documents);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
