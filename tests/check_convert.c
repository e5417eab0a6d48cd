/* SPDX-License-Identifier: MIT */
/* check_convert.c - `gaztag convert`: spaCy patterns, RegexNER mappings and
 * GATE lists become dictionaries (and rules) that load and tag as the
 * other tool would match, and whatever cannot be expressed is named with
 * its line and left out. */
#include <sys/stat.h>

#include "convert.h"
#include "testutil.h"

static char msgs[8192];
static size_t nmsgs;
static gz_buf dict, rules;

static void collect(void *ctx, const char *file, long line, long column, const char *msg)
{
    (void)ctx;
    const char *base = strrchr(file, '/');
    size_t k = strlen(msgs);
    snprintf(msgs + k, sizeof msgs - k, "%s:%ld:%ld: %s\n", base ? base + 1 : file, line,
             column, msg);
    nmsgs++;
}

static void reset(void)
{
    msgs[0] = '\0';
    nmsgs = 0;
    gz_buf_free(&dict);
    gz_buf_free(&rules);
    gz_buf_adds(&dict, "");
    gz_buf_adds(&rules, "");
}

/* Convert text (of the format from) with an optional type map; returns
 * the number of problems and leaves the outputs in dict and rules. */
static size_t conv(int from, int with_rules, const char *map, const char *text)
{
    reset();
    gz_convert_opts o = {from, with_rules, 0};
    gz_convert *c = gz_convert_new(&o, collect, NULL);
    if (map) {
        gz_error err = {0};
        ck_assert_int_eq(gz_convert_type_map(c, "map.tsv", map, strlen(map), &err), 0);
    }
    size_t n = gz_convert_add(c, "in.txt", text, strlen(text));
    gz_convert_write_dict(c, &dict);
    gz_convert_write_rules(c, &rules);
    gz_convert_free(c);
    return n;
}

/* Tag text with the converted dictionary (and rules). */
static const char *tag(const char *text, int with_rules)
{
    gz_engine *e = tu_engine(dict.data, with_rules ? rules.data : NULL, 0);
    const char *r = tu_tag(e, text);
    gz_engine_free(e);
    return r;
}

START_TEST(spacy_phrases_and_orth_are_exact_and_lower_folds_case)
{
    size_t n = conv(GZ_FROM_SPACY, 0, NULL,
                    "{\"label\": \"ORG\", \"pattern\": \"Apple\", \"id\": \"apple\"}\n"
                    "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": \"san\"}, "
                    "{\"LOWER\": \"francisco\"}], \"id\": \"sf\"}\n"
                    "{\"label\": \"ORG\", \"pattern\": [{\"ORTH\": \"Bank\"}, {\"TEXT\": \"of\"}, "
                    "{\"ORTH\": \"England\"}]}\n");
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(dict.data, "name\ttype\tid\tcase\n"
                                "Apple\tORG\tapple\texact\n"
                                "san francisco\tGPE\tsf\tfold\n"
                                "Bank of England\tORG\t\texact\n");
    ck_assert_str_eq(tag("APPLE, Apple and SAN Francisco; bank of england, Bank of England", 0),
                     "Apple/ORG/apple SAN Francisco/GPE/sf Bank of England/ORG/");
}
END_TEST

START_TEST(spacy_what_a_dictionary_cannot_express_is_named_and_skipped)
{
    size_t n = conv(GZ_FROM_SPACY, 0, NULL,
                    "{\"label\": \"PERSON\", \"pattern\": [{\"POS\": \"PROPN\"}]}\n"
                    "{\"label\": \"X\", \"pattern\": [{\"LOWER\": {\"IN\": [\"a\", \"b\"]}}]}\n"
                    "{\"label\": \"X\", \"pattern\": [{\"LOWER\": \"a\", \"OP\": \"?\"}]}\n"
                    "\n"
                    "{\"label\": \"ORG\", \"pattern\": [{\"LOWER\": \"bank\"}, {\"ORTH\": \"Of\"}]}\n"
                    "{\"label\": \"ORG\" \"pattern\": \"x\"}\n"
                    "{\"label\": \"ORG\", \"pattern\": \"Kept\"}\n"
                    "{\"pattern\": \"No label\"}\n"
                    "{\"label\": \"ORG\", \"pattern\": [{}]}\n");
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(nmsgs, 7);
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:1:0: token 1 uses 'POS'"));
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:2:0: token 1: the value of 'LOWER' is not a string"));
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:3:0: token 1 uses 'OP'"));
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:5:0: LOWER and ORTH/TEXT"));
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:6:"));
    ck_assert_ptr_nonnull(strstr(msgs, "invalid JSON"));
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:8:0: no \"label\""));
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:9:0: token 1 is empty"));
    ck_assert_str_eq(dict.data, "name\ttype\tid\tcase\nKept\tORG\t\texact\n");
}
END_TEST

START_TEST(spacy_lower_with_caseless_orth_tokens_folds_and_tokens_join_as_written)
{
    size_t n = conv(GZ_FROM_SPACY, 0, NULL,
                    "{\"label\": \"ORG\", \"pattern\": [{\"LOWER\": \"at\"}, {\"ORTH\": \"&\"}, "
                    "{\"LOWER\": \"t\"}]}\n"
                    "{\"label\": \"ORG\", \"pattern\": [{\"ORTH\": \"Apple\"}, {\"ORTH\": \"'s\"}]}\n"
                    "{\"label\": \"KEYWORD\", \"pattern\": [{\"LOWER\": \"cyber\"}, "
                    "{\"ORTH\": \"-\"}, {\"LOWER\": \"attack\"}]}\n");
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(dict.data, "name\ttype\tid\tcase\n"
                                "at & t\tORG\t\tfold\n"
                                "Apple's\tORG\t\texact\n"
                                "cyber-attack\tKEYWORD\t\tfold\n");
}
END_TEST

START_TEST(regexner_literal_names_keep_type_overwrite_and_scaled_priority)
{
    size_t n = conv(GZ_FROM_REGEXNER, 0, NULL,
                    "Bachelor of Arts\tDEGREE\n"
                    "U\\.S\\. Army\tORGANIZATION\tMISC,LOCATION\t1.5\n"
                    "Tiny\tX\t\t-0.0004\n"
                    "Huge\tX\t\t1e12\n"
                    "Half\tX\t\t-0.0025\n"
                    "Bad\tX\t\tten\n");
    ck_assert_uint_eq(n, 1);
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:6:"));
    ck_assert_ptr_nonnull(strstr(msgs, "priority 'ten' is not a number"));
    ck_assert_str_eq(dict.data, "name\ttype\tid\tcase\tpriority\toverwrite\n"
                                "Bachelor of Arts\tDEGREE\t\texact\t\t\n"
                                "U.S. Army\tORGANIZATION\t\texact\t1500\tMISC,LOCATION\n"
                                "Tiny\tX\t\texact\t0\t\n"
                                "Huge\tX\t\texact\t2147483647\t\n"
                                "Half\tX\t\texact\t-3\t\n");
    ck_assert_str_eq(tag("He holds a Bachelor of Arts from the U.S. Army", 0),
                     "Bachelor of Arts/DEGREE/ U.S. Army/ORGANIZATION/");
}
END_TEST

START_TEST(regexner_regex_tokens_need_rules_and_then_tag_whole_tokens)
{
    const char *map = "Law[a-z]*\tDEGREE\n"
                      "Mr\\. [A-Z]\\w+\tPERSON\t\t2\n"
                      "( /University/ /of/ [ {ner:LOCATION} ] )\tSCHOOL\n"
                      "A.C\tCODE\n";
    size_t n = conv(GZ_FROM_REGEXNER, 0, NULL, map);
    ck_assert_uint_eq(n, 4);
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:1:1: pattern 'Law[a-z]*' has regex tokens"));
    ck_assert_ptr_nonnull(strstr(msgs, "in.txt:3:1: pattern '( /University/"));
    ck_assert_str_eq(rules.data, "name\ttype\tpattern\tpriority\n");

    n = conv(GZ_FROM_REGEXNER, 1, NULL, map);
    ck_assert_uint_eq(n, 1);
    ck_assert_ptr_nonnull(strstr(msgs, "TokensRegex syntax"));
    ck_assert_str_eq(rules.data,
                     "name\ttype\tpattern\tpriority\n"
                     "in-1\tDEGREE\t(?<!\\w)(?:Law[a-z]*)(?!\\w)\t\n"
                     "in-2\tPERSON\t(?<!\\w)(?:Mr\\.)\\s+(?:[A-Z][A-Za-z0-9_]+)(?!\\w)\t2000\n"
                     "in-4\tCODE\t(?<!\\w)(?:A\\SC)(?!\\w)\t\n");
    /* Whole tokens only, and '.' never matches the space between tokens. */
    ck_assert_str_eq(tag("Lawyers, Outlaws, Mr.  Kato, A C, ABC", 1),
                     "Lawyers/DEGREE/Lawyers Mr.  Kato/PERSON/Mr.  Kato ABC/CODE/ABC");
}
END_TEST

START_TEST(rules_from_inputs_with_the_same_stem_get_distinct_names)
{
    reset();
    gz_convert_opts o = {GZ_FROM_REGEXNER, 1, 0};
    gz_convert *c = gz_convert_new(&o, collect, NULL);
    const char *a = "Law[a-z]*\tDEGREE\n", *b = "Med[a-z]*\tDEGREE\n";
    ck_assert_uint_eq(gz_convert_add(c, "a/map.tab", a, strlen(a)), 0);
    ck_assert_uint_eq(gz_convert_add(c, "b/map.tab", b, strlen(b)), 0);
    ck_assert_uint_eq(gz_convert_add(c, "c/map.tab", b, strlen(b)), 0);
    gz_convert_write_dict(c, &dict);
    ck_assert_uint_eq(gz_convert_write_rules(c, &rules), 3);
    gz_convert_free(c);
    ck_assert_ptr_nonnull(strstr(rules.data, "\nmap-1\t"));
    ck_assert_ptr_nonnull(strstr(rules.data, "\nmap.2-1\t"));
    ck_assert_ptr_nonnull(strstr(rules.data, "\nmap.3-1\t"));
    ck_assert_str_eq(tag("Lawyers and Medics", 1), "Lawyers/DEGREE/Lawyers Medics/DEGREE/Medics");
}
END_TEST

static const char *pattern(const char *pat)
{
    static char out[512];
    gz_buf b = {0};
    char why[256];
    if (gz_convert_regexner_pattern(pat, strlen(pat), &b, why, sizeof why) < 0)
        snprintf(out, sizeof out, "FAIL %s", why);
    else
        snprintf(out, sizeof out, "%.*s", (int)b.len, b.data);
    gz_buf_free(&b);
    return out;
}

START_TEST(regexner_tokens_translate_only_what_keeps_its_meaning)
{
    ck_assert_str_eq(pattern("^[^a]$ \\d{4} \\p{Lu}\\P{L}"),
                     "(?<!\\w)(?:[^\\sa])\\s+(?:[0-9]{4})\\s+(?:\\p{Lu}[^\\s\\p{L}])(?!\\w)");
    ck_assert_str_eq(pattern("(?i)(a|b)+ [\\w\\-]"),
                     "(?<!\\w)(?:(?i)(?:a|b)+)\\s+(?:[A-Za-z0-9_\\-])(?!\\w)");
    ck_assert_str_eq(pattern("foo\\sbar"), "FAIL token 'foo\\sbar': '\\s' cannot match inside a token");
    ck_assert_str_eq(pattern("(?=x)y"),
                     "FAIL token '(?=x)y': '(?' constructs other than (?: and (?i) are not translated");
    ck_assert_str_eq(pattern("(a)\\1"), "FAIL token '(a)\\1': '\\1' is not translated");
    ck_assert_str_eq(pattern("[a[b]]"), "FAIL token '[a[b]]': nested classes are not translated");
    ck_assert_str_eq(pattern("[a-z&&[^e]]"),
                     "FAIL token '[a-z&&[^e]]': class intersections (&&) are not translated");
    ck_assert_str_eq(pattern("\\p{IsAlphabetic}"),
                     "FAIL token '\\p{IsAlphabetic}': '\\p' with a property other than a general "
                     "category");
    ck_assert_str_eq(pattern("a^b"), "FAIL token 'a^b': '^' inside a token is not translated");
    ck_assert_str_eq(pattern("a{2,1}"), "FAIL the translated pattern does not compile: numbers out "
                                        "of order in {} quantifier");
}
END_TEST

START_TEST(type_map_renames_types_of_entries_and_rules)
{
    size_t n = conv(GZ_FROM_REGEXNER, 1, "# theirs\tours\nORGANIZATION\tORG\nSCHOOL\tORG\n",
                    "Acme Corp\tORGANIZATION\nStanford\tSCHOOL\nSt[a-z]+ford\tSCHOOL\nX\tOTHER\n");
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(dict.data, "name\ttype\tid\tcase\n"
                                "Acme Corp\tORG\t\texact\n"
                                "Stanford\tORG\t\texact\n"
                                "X\tOTHER\t\texact\n");
    ck_assert_ptr_nonnull(strstr(rules.data, "in-3\tORG\t"));

    gz_convert_opts o = {GZ_FROM_SPACY, 0, 0};
    gz_convert *c = gz_convert_new(&o, collect, NULL);
    gz_error err = {0};
    const char *bad = "A\tB\nC\tD\tE\n";
    ck_assert_int_eq(gz_convert_type_map(c, "map.tsv", bad, strlen(bad), &err), -1);
    ck_assert_str_eq(err.file, "map.tsv");
    ck_assert_int_eq(err.line, 2);
    gz_convert_free(c);
}
END_TEST

START_TEST(names_that_look_like_comments_or_hold_controls_still_load)
{
    size_t n = conv(GZ_FROM_SPACY, 0, NULL,
                    "{\"label\": \"TAG\", \"pattern\": \"#MeToo\"}\n"
                    "{\"label\": \"X\\tY\", \"pattern\": \"a\\\\b\"}\n");
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(dict.data, "name\ttype\tid\tcase\n"
                                "\\x23MeToo\tTAG\t\texact\n"
                                "a\\\\b\tX\\tY\t\texact\n");
    ck_assert_str_eq(tag("Say #MeToo", 0), "#MeToo/TAG/");
}
END_TEST

/* A folder with lists.def and .lst files; returns its path (malloc'd). */
static char *gate_dir(void)
{
    char tmpl[] = "/tmp/gaztag-gate-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    const char *files[][2] = {
        {"lists.def", "city.lst:location:city\n"
                      "org.lst:organization::en\n"
                      "missing.lst:location:country\n"
                      "not a definition\n"
                      "person.lst:person:::Person\n"},
        {"city.lst", "Paris:country=France:population=2100000\n"
                     "Star Trek: Voyager\n"
                     "New York&state=NY\n"
                     "London\tcountry=UK\ttype=capital\n"},
        {"org.lst", "AT&T\nBank of England\n"},
        {"person.lst", "\xEF\xBB\xBF" "Ada Lovelace&gender=female\r\n"}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", tmpl, files[i][0]);
        FILE *f = fopen(p, "wb");
        ck_assert_ptr_nonnull(f);
        fputs(files[i][1], f);
        ck_assert_int_eq(fclose(f), 0);
    }
    return strdup(tmpl);
}

static void gate_rm(char *dir)
{
    const char *names[] = {"lists.def", "city.lst", "org.lst", "person.lst"};
    char p[256];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    free(dir);
}

START_TEST(gate_lists_become_entries_with_minor_type_and_features)
{
    char *dir = gate_dir();
    char def[256];
    snprintf(def, sizeof def, "%s/lists.def", dir);
    reset();
    gz_convert_opts o = {GZ_FROM_GATE, 0, 0};
    gz_convert *c = gz_convert_new(&o, collect, NULL);
    size_t n = gz_convert_add_file(c, def);
    gz_convert_write_dict(c, &dict);
    gz_convert_free(c);
    ck_assert_uint_eq(n, 2);
    ck_assert_ptr_nonnull(strstr(msgs, "lists.def:3:0: cannot open '"));
    ck_assert_ptr_nonnull(strstr(msgs, "/missing.lst': No such file or directory; list skipped"));
    ck_assert_ptr_nonnull(strstr(msgs, "lists.def:4:0: expected FILE.lst:majorType"));
    ck_assert_str_eq(dict.data,
                     "name\ttype\tid\tcase\tminorType\tcountry\tpopulation\tstate\tgate.type\t"
                     "language\tannotationType\tgender\n"
                     "Paris\tlocation\t\texact\tcity\tFrance\t2100000\t\t\t\t\t\n"
                     "Star Trek: Voyager\tlocation\t\texact\tcity\t\t\t\t\t\t\t\n"
                     "New York\tlocation\t\texact\tcity\t\t\tNY\t\t\t\t\n"
                     "London\tlocation\t\texact\tcity\tUK\t\t\tcapital\t\t\t\n"
                     "AT&T\torganization\t\texact\t\t\t\t\t\ten\t\t\n"
                     "Bank of England\torganization\t\texact\t\t\t\t\t\ten\t\t\n"
                     "Ada Lovelace\tperson\t\texact\t\t\t\t\t\t\tPerson\tfemale\n");
    ck_assert_str_eq(tag("AT&T left Paris for London.", 0),
                     "AT&T/organization/ Paris/location/ London/location/");

    /* With a set separator, every line after it must be features. */
    reset();
    o.separator = '&';
    c = gz_convert_new(&o, collect, NULL);
    n = gz_convert_add_file(c, def);
    gz_convert_free(c);
    ck_assert_uint_eq(n, 3);
    ck_assert_ptr_nonnull(strstr(msgs, "org.lst:1:4: features must be key=value"));
    gate_rm(dir);
}
END_TEST

static Suite *convert_suite(void)
{
    Suite *s = suite_create("convert");
    TCase *tc = tcase_create("convert");
    tcase_add_test(tc, spacy_phrases_and_orth_are_exact_and_lower_folds_case);
    tcase_add_test(tc, spacy_what_a_dictionary_cannot_express_is_named_and_skipped);
    tcase_add_test(tc, spacy_lower_with_caseless_orth_tokens_folds_and_tokens_join_as_written);
    tcase_add_test(tc, regexner_literal_names_keep_type_overwrite_and_scaled_priority);
    tcase_add_test(tc, regexner_regex_tokens_need_rules_and_then_tag_whole_tokens);
    tcase_add_test(tc, regexner_tokens_translate_only_what_keeps_its_meaning);
    tcase_add_test(tc, rules_from_inputs_with_the_same_stem_get_distinct_names);
    tcase_add_test(tc, type_map_renames_types_of_entries_and_rules);
    tcase_add_test(tc, names_that_look_like_comments_or_hold_controls_still_load);
    tcase_add_test(tc, gate_lists_become_entries_with_minor_type_and_features);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(convert_suite)
