/* SPDX-License-Identifier: MIT */
/* check_docpass.c - document-level passes: acronyms, variants, propagation,
 * their switches, and memory across the chunks of one document. */
#include "testutil.h"

#include "docpass.h"
#include "tagger.h"
#include "tokenize.h"

static const char *DICT =
    "name\ttype\tid\tpriority\n"
    "Japan Aerospace Exploration Agency\tORG\tjaxa\t\n"
    "Katsunobu Kato\tPERSON\tkato\t\n"
    "NASA\tORG\tnasa\t\n"
    "professor\t_title\t\t\n"
    "mr\t_title\t\t\n"
    "Toby\t_given_name\t\t\n"
    "Denise\t_given_name\t\t\n"
    "Morrison\t_given_name\t\t\n"
    "Morrison\t_surname\t\t\n"
    "Alexandra\t_given_name\t\t\n"
    "Fayez al-Serraj\tPERSON\tserraj\t\n"
    "al\t_particle\t\t\n"
    "observatory\t_org_suffix\t\t\n"
    "Umar\t_given_name\t\t\n"
    "Victoria\tPLACE\tvic\t\n"
    "Belgrano\tPLACE\tbelgrano\t-25\n"
    "London\tPLACE\tlondon\t-15\n"
    "Jack\t_given_name\t\t\n"
    "Manuel\t_given_name\t\t\n"
    "Sydney\tPLACE\tsydney\t\n"
    "Sydney\t_given_name\t\t\n"
    "Dwight McNeil\tPERSON\tmcneil\t\n"
    "Tarnwick Observatory\tORG\ttarn\t\n";

static const char *RULES =
    "type\tname\tkind\tpattern\n"
    "PERSON\tgiven\ttokens\t< [@_given_name Cap] [Cap !@_title] >\n"
    "PERSON\ttitled\ttokens\t@_title < [Cap !@_title]+ >\n";

static gz_engine *engine(int no_acr, int no_var, int no_prop)
{
    gz_engine_options o = GZ_ENGINE_OPTIONS_INIT;
    o.no_acronyms = no_acr;
    o.no_variants = no_var;
    o.no_propagation = no_prop;
    gz_engine *e = gz_engine_new(&o);
    tu_add_types(e);
    gz_error err = {0};
    char *d = tu_write_file("dict", DICT), *r = tu_write_file("rules", RULES);
    ck_assert_int_eq(gz_engine_add_dictionary(e, d, 1, &err), 0);
    ck_assert_int_eq(gz_engine_add_rules(e, r, 1, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    tu_remove(d);
    tu_remove(r);
    return e;
}

START_TEST(acronym_after_long_form_takes_its_entity)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "the Japan Aerospace Exploration Agency (JAXA) said. Later JAXA"),
                     "Japan Aerospace Exploration Agency/ORG/jaxa JAXA/ORG/jaxa JAXA/ORG/jaxa");
    gz_engine_free(e);
}
END_TEST

START_TEST(long_form_after_acronym_takes_its_entity)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "NASA (National Aeronautics and Space Administration) flew"),
                     "NASA/ORG/nasa National Aeronautics and Space Administration/ORG/nasa");
    gz_engine_free(e);
}
END_TEST

START_TEST(unknown_definition_becomes_a_local_entity)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "the Pacific Orbital Debris Observatory (PODO) and PODO's staff"),
                     "Pacific Orbital Debris Observatory/ORG/local:pacific orbital debris observatory "
                     "PODO/ORG/local:pacific orbital debris observatory "
                     "PODO/ORG/local:pacific orbital debris observatory");
    /* the head word gives the type; without one it is MISC */
    ck_assert_str_eq(tu_tag(e, "a Very Large Telescope (VLT) run"),
                     "Very Large Telescope/MISC/local:very large telescope "
                     "VLT/MISC/local:very large telescope");
    gz_engine_free(e);
}
END_TEST

START_TEST(acronym_needs_matching_letters)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "the Pacific Orbital Debris Observatory (XYZ) said"), "");
    ck_assert_str_eq(tu_tag(e, "it was good (see) here"), "");
    gz_engine_free(e);
}
END_TEST

START_TEST(surname_variant_is_the_same_person)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Katsunobu Kato spoke. Kato said, Mr Kato added; Kato's aide"),
                     "Katsunobu Kato/PERSON/kato Kato/PERSON/kato Kato/PERSON/kato "
                     "Kato/PERSON/kato");
    ck_assert_str_eq(tu_tag(e, "Katsunobu Kato spoke about kato."), "Katsunobu Kato/PERSON/kato");
    gz_engine_free(e);
}
END_TEST

/* The passes read roles, not type names: a user's PER and COMPANY types
 * declared with the roles person and organisation get the same variants,
 * and without a types file no type has a role. */
START_TEST(user_types_with_roles_get_the_same_passes)
{
    const char *dict = "name\ttype\tid\nKatsunobu Kato\tPER\tk\nToyota Motor\tCOMPANY\tt\n";
    const char *text = "Katsunobu Kato met Toyota Motor. Later Kato and Toyota spoke.";
    gz_error err = {0};
    char *d = tu_write_file("dict", dict);
    char *ty = tu_write_file("types", "type\trole\nPER\tperson\nCOMPANY\torganisation\n");
    gz_engine *e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_types(e, ty, &err), 0);
    ck_assert_int_eq(gz_engine_add_dictionary(e, d, 1, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    ck_assert_str_eq(tu_tag(e, text), "Katsunobu Kato/PER/k Toyota Motor/COMPANY/t Kato/PER/k "
                                      "Toyota/COMPANY/t");
    gz_engine_free(e);
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_dictionary(e, d, 1, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    ck_assert_str_eq(tu_tag(e, text), "Katsunobu Kato/PER/k Toyota Motor/COMPANY/t");
    gz_engine_free(e);
    tu_remove(d);
    tu_remove(ty);
}
END_TEST

START_TEST(types_file_errors_say_where)
{
    gz_error err = {0};
    char *ty = tu_write_file("types", "type\trole\nPER\tperson\nPER\tplace\n");
    gz_engine *e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_types(e, ty, &err), -1);
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.message, "type 'PER' already has the role 'person'");
    gz_engine_free(e);
    tu_remove(ty);
    ty = tu_write_file("types", "type\trole\nPER\tpeople\n");
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_types(e, ty, &err), -1);
    ck_assert_str_eq(err.message, "unknown role 'people'");
    ck_assert_int_eq(err.column, 5);
    gz_engine_free(e);
    tu_remove(ty);
}
END_TEST

START_TEST(family_name_that_is_also_a_given_name_is_a_surname)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Denise Morrison spoke. Morrison left."),
                     "Denise Morrison/PERSON/local:denise morrison "
                     "Morrison/PERSON/local:denise morrison");
    ck_assert_str_eq(tu_tag(e, "Alexandra Toby spoke. Toby left."),
                     "Alexandra Toby/PERSON/local:alexandra toby");
    gz_engine_free(e);
}
END_TEST

START_TEST(hyphenated_particle_goes_with_the_surname)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Libya's al-Serraj left. Fayez al-Serraj spoke; Serraj and al smiled."),
                     "al-Serraj/PERSON/serraj Fayez al-Serraj/PERSON/serraj "
                     "Serraj/PERSON/serraj");
    gz_engine_free(e);
}
END_TEST

START_TEST(variant_found_before_the_full_name)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Kato said it. Later Katsunobu Kato spoke."),
                     "Kato/PERSON/kato Katsunobu Kato/PERSON/kato");
    gz_engine_free(e);
}
END_TEST

START_TEST(rule_found_name_propagates_to_caps_and_bare_uses)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Professor Jane Smith spoke. JANE SMITH WINS. Jane Smith left."),
                     "Jane Smith/PERSON/local:jane smith JANE SMITH/PERSON/local:jane smith "
                     "Jane Smith/PERSON/local:jane smith");
    gz_engine_free(e);
}
END_TEST

START_TEST(ordinary_word_is_not_propagated)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Professor Temple spoke. Temple said. We met at the temple."),
                     "Temple/PERSON/local:temple");
    ck_assert_str_eq(tu_tag(e, "Professor Temple spoke. Temple said."),
                     "Temple/PERSON/local:temple Temple/PERSON/local:temple");
    gz_engine_free(e);
}
END_TEST

START_TEST(acronym_is_not_learned_from_part_of_its_long_form)
{
    gz_engine *e = engine(0, 0, 0);
    /* "Victoria" ends the long form but holds only its last letter */
    ck_assert_str_eq(tu_tag(e, "head of Court Services Victoria (CSV) spoke. Later CSV said"),
                     "Victoria/PLACE/vic");
    gz_engine_free(e);
}
END_TEST

START_TEST(propagation_keeps_the_case_shape_it_learned)
{
    gz_engine *e = engine(0, 0, 0);
    /* "Umar" alone is the given name of the full name, not "Umar said" */
    ck_assert_str_eq(tu_tag(e, "Umar Talib spoke. Later Umar said so. UMAR TALIB WINS."),
                     "Umar Talib/PERSON/local:umar talib Umar/PERSON/local:umar talib "
                     "UMAR TALIB/PERSON/local:umar talib");
    ck_assert_str_eq(tu_tag(e, "Umar Said spoke. Later Umar said so, and Umar Said left."),
                     "Umar Said/PERSON/local:umar said Umar/PERSON/local:umar said "
                     "Umar Said/PERSON/local:umar said");
    gz_engine_free(e);
}
END_TEST

START_TEST(surname_of_a_person_in_the_text_outranks_a_place)
{
    gz_engine *e = engine(0, 0, 0);
    /* later, before and after the full name; not where it reads as a place */
    ck_assert_str_eq(tu_tag(e, "Belgrano won. Mr Manuel Belgrano led. Belgrano accepted."),
                     "Belgrano/PERSON/local:manuel belgrano Manuel Belgrano/PERSON/local:manuel "
                     "belgrano Belgrano/PERSON/local:manuel belgrano");
    ck_assert_str_eq(tu_tag(e, "Mr Manuel Belgrano led. He marched to Belgrano. Belgrano, Salta."),
                     "Manuel Belgrano/PERSON/local:manuel belgrano Belgrano/PLACE/belgrano "
                     "Belgrano/PLACE/belgrano");
    /* a major place keeps its reading ("London" after "Jack London") */
    ck_assert_str_eq(tu_tag(e, "Mr Jack London wrote. London slept."),
                     "Jack London/PERSON/local:jack london London/PLACE/london");
    /* without the person's full name, the place stays */
    ck_assert_str_eq(tu_tag(e, "Belgrano accepted."), "Belgrano/PLACE/belgrano");
    gz_engine_free(e);
}
END_TEST

START_TEST(abbreviation_is_not_learned_as_a_surname)
{
    gz_engine *e = engine(0, 0, 0);
    /* "Toby St." is what the rule read in "Toby St. Clair"; "St" is no surname */
    ck_assert_str_eq(tu_tag(e, "Toby St. Clair came. Later St Ives."),
                     "Toby St/PERSON/local:toby st");
    gz_engine_free(e);
}
END_TEST

START_TEST(surname_with_an_inner_capital_is_learned)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Dwight McNeil scored, then McNeil left."),
                     "Dwight McNeil/PERSON/mcneil McNeil/PERSON/mcneil");
    gz_engine_free(e);
}
END_TEST

START_TEST(variant_is_not_the_start_of_a_longer_name_or_a_place)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Katsunobu Kato spoke. Kato Holdings fell, and Kato left."),
                     "Katsunobu Kato/PERSON/kato Kato/PERSON/kato");
    ck_assert_str_eq(tu_tag(e, "The Tarnwick Observatory is in Tarnwick, Salta. Tarnwick said no."),
                     "Tarnwick Observatory/ORG/tarn Tarnwick/ORG/tarn");
    gz_engine_free(e);
}
END_TEST

START_TEST(given_name_of_a_person_in_the_text_is_that_person)
{
    gz_engine *e = engine(0, 0, 0);
    ck_assert_str_eq(tu_tag(e, "Denise Tran spoke. Later Denise left."),
                     "Denise Tran/PERSON/local:denise tran Denise/PERSON/local:denise tran");
    /* a given name that is also a place keeps the place reading alone */
    ck_assert_str_eq(tu_tag(e, "Sydney Sweeney spoke. Later Sydney slept."),
                     "Sydney Sweeney/PERSON/local:sydney sweeney Sydney/PLACE/sydney");
    /* after a determiner it is a word ("the Denise affair") */
    ck_assert_str_eq(tu_tag(e, "Denise Tran spoke. The Denise affair ended."),
                     "Denise Tran/PERSON/local:denise tran");
    /* no variants, no given name */
    gz_engine *nv = engine(0, 1, 0);
    ck_assert_str_eq(tu_tag(nv, "Denise Tran spoke. Later Denise left."),
                     "Denise Tran/PERSON/local:denise tran");
    gz_engine_free(nv);
    gz_engine_free(e);
}
END_TEST

START_TEST(name_keeps_the_type_of_its_strongest_evidence)
{
    gz_engine *e = tu_engine("name\ttype\tid\nKatsunobu Kato\tPERSON\tkato\nmr\t_title\t\n"
                             "group\t_org_suffix\t\nToby\t_given_name\t\n",
                             "type\tname\tkind\tpattern\n"
                             "PERSON\ttitled\ttokens\t@_title < [Cap !@_title]+ >\n"
                             "PERSON\tgiven\ttokens\t< [@_given_name Cap] Cap >\n"
                             "ORG\thead\ttokens\t< Cap [@_org_suffix Cap] >\n", 0);
    /* the dictionary's person outranks the rule's organisation, whichever
     * comes first */
    ck_assert_str_eq(tu_tag(e, "Katsunobu Kato spoke. The Kato Group rose. Later Kato left."),
                     "Katsunobu Kato/PERSON/kato Kato Group/ORG/local:kato group "
                     "Kato/PERSON/kato");
    ck_assert_str_eq(tu_tag(e, "The Kato Group rose. Katsunobu Kato spoke. Later Kato left."),
                     "Kato Group/ORG/local:kato group Katsunobu Kato/PERSON/kato "
                     "Kato/PERSON/kato");
    /* a rule with context ("Mr") outranks one that reads the name alone,
     * whichever comes first */
    ck_assert_str_eq(tu_tag(e, "Mr Tanaka spoke. The Tanaka Group rose. Later Tanaka left."),
                     "Tanaka/PERSON/local:tanaka Tanaka Group/ORG/local:tanaka group "
                     "Tanaka/PERSON/local:tanaka");
    ck_assert_str_eq(tu_tag(e, "The Tanaka Group rose. Mr Tanaka spoke. Later Tanaka left."),
                     "Tanaka Group/ORG/local:tanaka group Tanaka/PERSON/local:tanaka "
                     "Tanaka/PERSON/local:tanaka");
    /* equal evidence: the first type stays */
    ck_assert_str_eq(tu_tag(e, "Toby Walsh spoke. The Walsh Group rose. Later Walsh left."),
                     "Toby Walsh/PERSON/local:toby walsh Walsh Group/ORG/local:walsh group "
                     "Walsh/PERSON/local:toby walsh");
    ck_assert_str_eq(tu_tag(e, "The Walsh Group rose. Toby Walsh spoke. Later Walsh left."),
                     "Walsh Group/ORG/local:walsh group Toby Walsh/PERSON/local:toby walsh "
                     "Walsh/ORG/local:walsh group");
    gz_engine_free(e);
}
END_TEST

START_TEST(passes_can_be_turned_off)
{
    gz_engine *e = engine(1, 1, 1);
    ck_assert_str_eq(tu_tag(e, "Katsunobu Kato spoke. Kato said."), "Katsunobu Kato/PERSON/kato");
    ck_assert_str_eq(tu_tag(e, "the Pacific Orbital Debris Observatory (PODO) said"), "");
    gz_engine_free(e);
}
END_TEST

START_TEST(memory_spans_chunks_but_not_documents)
{
    gz_engine *e = engine(0, 0, 0);
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    gz_error err = {0};
    const char *a = "Katsunobu Kato spoke.\n\n", *b = "Kato said.";
    gz_tagger_begin_doc(t);
    ck_assert_int_eq(gz_tag_chunk(t, a, strlen(a), 0, &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(gz_tag_chunk(t, b, strlen(b), strlen(a), &s, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(s[0].id, "kato");
    ck_assert_uint_eq(s[0].start, strlen(a));
    /* a new document starts with an empty memory */
    ck_assert_int_eq(gz_tag(t, b, strlen(b), &s, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    gz_tagger_free(t);
    gz_engine_free(e);
}
END_TEST

/* ---- strings of the passes' mentions across compaction ---- */

/* Sixteen consonants: each word of a made-up name is one of them and "a",
 * so a short form's letters match exactly one word each. */
static const char LETTERS[] = "BCDFGHJKLMNPSTVZ";

/* The k-th short form (three letters) and its definition sentence. */
static void short_form(unsigned k, char sf[4])
{
    sf[0] = LETTERS[(k / 256) % 16];
    sf[1] = LETTERS[(k / 16) % 16];
    sf[2] = LETTERS[k % 16];
    sf[3] = '\0';
}

/* Definitions of short forms first..last-1 ("The Ba Ca Da (BCD) met."),
 * then a bare use of each short form in again[0..nagain). */
static char *definitions(unsigned first, unsigned last, const unsigned *again, size_t nagain)
{
    size_t cap = (last - first + nagain) * 40 + 1, len = 0;
    char *text = malloc(cap);
    char sf[4];
    for (unsigned k = first; k < last; k++) {
        short_form(k, sf);
        len += (size_t)snprintf(text + len, cap - len, "The %ca %ca %ca (%s) met. ", sf[0], sf[1],
                                sf[2], sf);
    }
    for (size_t i = 0; i < nagain; i++) {
        short_form(again[i], sf);
        len += (size_t)snprintf(text + len, cap - len, "Later %s met. ", sf);
    }
    return text;
}

/* Run the passes over one chunk of a document. */
static gz_span *run_chunk(gz_docmem *m, gz_tokens *tok, const char *text, size_t base,
                          size_t *n)
{
    static gz_roles *roles;
    if (!roles) {
        gz_error err = {0};
        roles = gz_roles_new();
        ck_assert_int_eq(gz_roles_load(roles, tu_types_path(), &err), 0);
    }
    gz_tokenize(tok, text, strlen(text), 0);
    gz_docview v = {text, base, tok, NULL, 0, NULL, NULL,
                    GZ_PASS_ACRONYMS | GZ_PASS_VARIANTS | GZ_PASS_PROPAGATION, roles};
    gz_span *out = NULL;
    size_t cap = 0;
    *n = 0;
    gz_docpass_run(m, &v, &out, n, &cap);
    return out;
}

/* Every mention is a long form "Ba Ca Da" or a short form "BCD", and names
 * the entity "local:ba ca da" either way. */
static void check_mentions(const char *text, size_t base, const gz_span *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *surf = text + (s[i].start - base);
        size_t len = s[i].end - s[i].start;
        char name[16], id[32];
        if (len == 3)
            snprintf(name, sizeof name, "%ca %ca %ca", surf[0], surf[1], surf[2]);
        else
            snprintf(name, sizeof name, "%.*s", (int)len, surf);
        snprintf(id, sizeof id, "local:%c%c %c%c %c%c", name[0] | 32, name[1], name[3] | 32,
                 name[4], name[6] | 32, name[7]);
        ck_assert_str_eq(s[i].type, "MISC");
        ck_assert_str_eq(s[i].name, name);
        ck_assert_str_eq(s[i].id, id);
    }
}

START_TEST(mentions_keep_their_names_when_memory_is_compacted)
{
    gz_docmem *m = gz_docmem_new();
    gz_docmem_set_arena_limit(m, 1);
    gz_tokens tok = {0};
    /* chunk 1 defines 300 names; chunk 2 300 others and uses 20 of the first */
    unsigned again[20];
    for (unsigned i = 0; i < 20; i++)
        again[i] = i * 15;
    char *a = definitions(0, 300, NULL, 0), *b = definitions(300, 600, again, 20);
    size_t n;
    gz_span *s = run_chunk(m, &tok, a, 0, &n);
    ck_assert_uint_eq(n, 600);
    check_mentions(a, 0, s, n);
    free(s);
    s = run_chunk(m, &tok, b, strlen(a), &n);
    /* the strings of forgotten and replaced names were dropped on the way */
    ck_assert_uint_ge(gz_docmem_compactions(m), 1);
    ck_assert_uint_eq(n, 620);
    check_mentions(b, strlen(a), s, n);
    free(s);
    free(a);
    free(b);
    gz_tokens_free(&tok);
    gz_docmem_free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("docpass");
    TCase *tc = tcase_create("docpass");
    tcase_add_test(tc, acronym_after_long_form_takes_its_entity);
    tcase_add_test(tc, long_form_after_acronym_takes_its_entity);
    tcase_add_test(tc, unknown_definition_becomes_a_local_entity);
    tcase_add_test(tc, acronym_needs_matching_letters);
    tcase_add_test(tc, surname_variant_is_the_same_person);
    tcase_add_test(tc, variant_found_before_the_full_name);
    tcase_add_test(tc, user_types_with_roles_get_the_same_passes);
    tcase_add_test(tc, types_file_errors_say_where);
    tcase_add_test(tc, family_name_that_is_also_a_given_name_is_a_surname);
    tcase_add_test(tc, hyphenated_particle_goes_with_the_surname);
    tcase_add_test(tc, rule_found_name_propagates_to_caps_and_bare_uses);
    tcase_add_test(tc, ordinary_word_is_not_propagated);
    tcase_add_test(tc, acronym_is_not_learned_from_part_of_its_long_form);
    tcase_add_test(tc, propagation_keeps_the_case_shape_it_learned);
    tcase_add_test(tc, surname_of_a_person_in_the_text_outranks_a_place);
    tcase_add_test(tc, given_name_of_a_person_in_the_text_is_that_person);
    tcase_add_test(tc, surname_with_an_inner_capital_is_learned);
    tcase_add_test(tc, abbreviation_is_not_learned_as_a_surname);
    tcase_add_test(tc, variant_is_not_the_start_of_a_longer_name_or_a_place);
    tcase_add_test(tc, name_keeps_the_type_of_its_strongest_evidence);
    tcase_add_test(tc, passes_can_be_turned_off);
    tcase_add_test(tc, memory_spans_chunks_but_not_documents);
    tcase_add_test(tc, mentions_keep_their_names_when_memory_is_compacted);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
