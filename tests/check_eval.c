/* SPDX-License-Identifier: MIT */
/* check_eval.c - scoring as a user of `gaztag eval` sees it: conlleval's
 * chunks from IOB1 and IOB2, exact span and type, documents and their
 * rebuilt text, TSV offsets mapped to tokens, the type map, the report, and
 * the dictionary written by dict-from-conll. */
#include "eval.h"
#include "testutil.h"

static gz_gold *conll_gold(const char *text)
{
    gz_error err = {0};
    gz_gold *g = gz_gold_parse("gold.conll", text, strlen(text), GZ_GOLD_CONLL, &err);
    ck_assert_msg(g != NULL, "%s:%ld: %s", err.file, err.line, err.message);
    return g;
}

/* Score pred (CoNLL or TSV text) against gold with the default map. */
static gz_eval_counts score(const char *gold, const char *pred, const char *map)
{
    gz_gold *g = conll_gold(gold);
    gz_error err = {0};
    gz_typemap *m = gz_typemap_parse(map, &err);
    ck_assert_ptr_nonnull(m);
    gz_eval *ev = gz_eval_new(g, m);
    int rc = gz_eval_add_pred(ev, "pred", pred, strlen(pred), &err);
    ck_assert_msg(rc == 0, "%s:%ld: %s", err.file, err.line, err.message);
    gz_eval_counts c;
    gz_eval_counts_for(ev, NULL, &c);
    gz_eval_free(ev);
    gz_typemap_free(m);
    gz_gold_free(g);
    return c;
}

static const char *GOLD =
    "-DOCSTART- O\n\n"
    "Katsunobu B-PER\nKato I-PER\nvisited O\nNew B-LOC\nYork I-LOC\nCity I-LOC\n. O\n\n"
    "-DOCSTART- O\n\n"
    "JAXA B-ORG\nlaunched O\nit O\n. O\n";

START_TEST(iob1_predictions_score_like_the_same_iob2_gold)
{
    const char *pred =
        "-DOCSTART- O\n\n"
        "Katsunobu I-PERSON\nKato I-PERSON\nvisited O\nNew I-PLACE\nYork I-PLACE\nCity I-PLACE\n"
        ". O\n\n-DOCSTART- O\n\nJAXA I-ORG\nlaunched O\nit O\n. O\n";
    gz_eval_counts c = score(GOLD, pred, NULL);
    ck_assert_uint_eq(c.gold, 3);
    ck_assert_uint_eq(c.pred, 3);
    ck_assert_uint_eq(c.correct, 3);
    ck_assert_double_eq_tol(c.f1, 100.0, 1e-9);
}
END_TEST

START_TEST(b_splits_adjacent_mentions_of_one_type_in_iob1)
{
    const char *gold = "Ann I-PER\nBob B-PER\nsang O\n";
    const char *pred = "Ann B-PERSON\nBob I-PERSON\nsang O\n";
    gz_eval_counts c = score(gold, pred, NULL);
    ck_assert_uint_eq(c.gold, 2);
    ck_assert_uint_eq(c.pred, 1);
    ck_assert_uint_eq(c.correct, 0);
}
END_TEST

START_TEST(a_shorter_span_or_another_type_is_wrong_both_ways)
{
    const char *pred =
        "-DOCSTART- O\n\n"
        "Katsunobu B-ORG\nKato I-ORG\nvisited O\nNew B-PLACE\nYork I-PLACE\nCity O\n"
        ". O\n\n-DOCSTART- O\n\nJAXA B-ORG\nlaunched O\nit O\n. O\n";
    gz_eval_counts c = score(GOLD, pred, NULL);
    ck_assert_uint_eq(c.gold, 3);
    ck_assert_uint_eq(c.pred, 3);
    ck_assert_uint_eq(c.correct, 1);
    ck_assert_double_eq_tol(c.precision, 100.0 / 3, 1e-9);
    ck_assert_double_eq_tol(c.recall, 100.0 / 3, 1e-9);
}
END_TEST

START_TEST(documents_are_rebuilt_as_tokens_joined_by_spaces)
{
    gz_gold *g = conll_gold(GOLD);
    ck_assert_uint_eq(gz_gold_doc_count(g), 2);
    size_t n;
    const char *t = gz_gold_doc_text(g, 0, &n);
    ck_assert_str_eq(t, "Katsunobu Kato visited New York City .\n");
    t = gz_gold_doc_text(g, 1, &n);
    ck_assert_uint_eq(n, strlen("JAXA launched it .\n"));
    gz_gold_free(g);
    /* without -DOCSTART-, every blank-line group is a document */
    g = conll_gold("a O\nb O\n\nc O\n\nd O\ne O\n");
    ck_assert_uint_eq(gz_gold_doc_count(g), 3);
    t = gz_gold_doc_text(g, 2, &n);
    ck_assert_str_eq(t, "d e\n");
    gz_gold_free(g);
    /* a document closed by -DOCSTART- keeps its sentences on separate lines */
    g = conll_gold("a O\n\nb O\n-DOCSTART- O\n\nc O\n-DOCSTART- O\n");
    ck_assert_uint_eq(gz_gold_doc_count(g), 2);
    t = gz_gold_doc_text(g, 0, &n);
    ck_assert_str_eq(t, "a\nb\n");
    gz_gold_free(g);
}
END_TEST

START_TEST(tsv_spans_are_matched_to_numbered_documents_and_widened_to_tokens)
{
    /* doc 1: "Katsunobu Kato visited New York City .", doc 2: "JAXA launched it ." */
    const char *pred =
        "doc\tstart\tend\ttext\ttype\tid\tname\tsource\talternatives\n"
        "docs/0001.txt\t0\t14\tKatsunobu Kato\tPERSON\tk\tK\tpeople\t\n"
        "docs/0001.txt\t23\t31\tNew York\tPLACE\tny\tNY\tcities\t\n"
        "docs/0002.txt\t1\t4\tAXA\tORG\tj\tJ\torgs\t\n";
    gz_eval_counts c = score(GOLD, pred, NULL);
    ck_assert_uint_eq(c.pred, 3);
    /* "AXA" lies inside the token "JAXA": the mention is the whole token */
    ck_assert_uint_eq(c.correct, 2);
}
END_TEST

START_TEST(tsv_errors_name_the_line)
{
    gz_gold *g = conll_gold(GOLD);
    gz_typemap *m = gz_typemap_parse(NULL, NULL);
    gz_eval *ev = gz_eval_new(g, m);
    gz_error err = {0};
    const char *wrong_text = "docs/1.txt\t0\t9\tKatsunobo\tPERSON\n";
    ck_assert_int_eq(gz_eval_add_pred(ev, "p.tsv", wrong_text, strlen(wrong_text), &err), -1);
    ck_assert_str_eq(err.file, "p.tsv");
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.message, "single spaces"));
    const char *no_doc = "1.txt\t0\t9\tKatsunobu\tPERSON\nx/7.txt\t0\t4\tJAXA\tORG\n";
    ck_assert_int_eq(gz_eval_add_pred(ev, "p.tsv", no_doc, strlen(no_doc), &err), -1);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.message, "'x/7.txt'"));
    gz_eval_free(ev);
    gz_typemap_free(m);
    gz_gold_free(g);
}
END_TEST

START_TEST(types_the_map_does_not_name_are_not_scored)
{
    const char *pred =
        "Katsunobu B-KEYWORD\nKato I-KEYWORD\nvisited O\nNew B-LOC\nYork I-LOC\nCity I-LOC\n"
        ". O\nJAXA B-ORG\nlaunched O\nit O\n. O\n";
    gz_eval_counts c = score(GOLD, pred, NULL);
    /* KEYWORD is dropped; LOC is a gold type of the map and is kept */
    ck_assert_uint_eq(c.pred, 2);
    ck_assert_uint_eq(c.correct, 2);
    c = score(GOLD, pred, "ORG=ORG");
    ck_assert_uint_eq(c.pred, 1);
    ck_assert_uint_eq(c.gold, 3);
    gz_error err = {0};
    ck_assert_ptr_null(gz_typemap_parse("PERSON=PER,PLACE", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "'PLACE'"));
}
END_TEST

START_TEST(malformed_conll_names_line_and_column)
{
    const char *bad = "Kato B-PER\nvisited\nTokyo X-LOC\n";
    gz_error err = {0};
    ck_assert_ptr_null(gz_gold_parse("g.conll", bad, strlen(bad), GZ_GOLD_CONLL, &err));
    ck_assert_int_eq(err.line, 2);
    const char *bad2 = "Kato B-PER\nTokyo X-LOC\n";
    ck_assert_ptr_null(gz_gold_parse("g.conll", bad2, strlen(bad2), GZ_GOLD_CONLL, &err));
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 7);
    ck_assert_ptr_nonnull(strstr(err.message, "'X-LOC'"));
}
END_TEST

START_TEST(conll_tokens_must_match_the_gold)
{
    gz_gold *g = conll_gold("Kato B-PER\nsaid O\n");
    gz_typemap *m = gz_typemap_parse(NULL, NULL);
    gz_eval *ev = gz_eval_new(g, m);
    gz_error err = {0};
    const char *p = "Kato B-PERSON\nsays O\n";
    ck_assert_int_eq(gz_eval_add_pred(ev, "p", p, strlen(p), &err), -1);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.message, "'says'"));
    gz_eval_free(ev);
    gz_typemap_free(m);
    gz_gold_free(g);
}
END_TEST

START_TEST(tagging_the_gold_text_maps_spans_to_tokens)
{
    gz_engine *e = tu_engine("name\ttype\tid\nKatsunobu Kato\tPERSON\tk\nNew York\tPLACE\tny\n"
                             "JAXA\tORG\tj\nvisited\tMISC\tv\n",
                             NULL, 0);
    gz_gold *g = conll_gold(GOLD);
    gz_typemap *m = gz_typemap_parse(NULL, NULL);
    gz_eval *ev = gz_eval_new(g, m);
    gz_error err = {0};
    ck_assert_int_eq(gz_eval_tag(ev, e, &err), 0);
    gz_eval_counts c;
    gz_eval_counts_for(ev, NULL, &c);
    ck_assert_uint_eq(c.pred, 4);
    ck_assert_uint_eq(c.correct, 2);
    gz_eval_counts_for(ev, "LOC", &c);
    ck_assert_uint_eq(c.gold, 1);
    ck_assert_uint_eq(c.correct, 0);
    gz_buf out = {0};
    gz_eval_report(ev, 1, &out);
    gz_buf_addc(&out, '\0');
    ck_assert_ptr_nonnull(strstr(out.data,
        "gold.conll:6: false negative LOC 'New York City': Katsunobu Kato visited "
        "[New York City] .\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "gold.conll:6: false positive LOC (PLACE) 'New York'"));
    ck_assert_ptr_nonnull(strstr(out.data, "gold.conll:5: false positive MISC 'visited'"));
    ck_assert_ptr_nonnull(strstr(out.data,
        "overall       3       4       2     50.00  66.67  57.14\n"));
    gz_buf_free(&out);
    gz_eval_free(ev);
    gz_typemap_free(m);
    gz_gold_free(g);
    gz_engine_free(e);
}
END_TEST

START_TEST(brat_offsets_count_characters)
{
    char dir[] = "/tmp/gaztag-brat-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char txt[64], ann[64];
    snprintf(txt, sizeof txt, "%s/a.txt", dir);
    snprintf(ann, sizeof ann, "%s/a.ann", dir);
    FILE *f = fopen(txt, "w");
    fputs("Zoë visited Tōkyō.\n", f);   /* multi-byte letters before the span */
    fclose(f);
    const char *a = "T1\tPER 0 3\tZoë\nT2\tLOC 12 17\tTōkyō\n#1\tAnnotatorNotes T1\tx\n";
    gz_error err = {0};
    gz_gold *g = gz_gold_parse(ann, a, strlen(a), GZ_GOLD_BRAT, &err);
    ck_assert_msg(g != NULL, "%s", err.message);
    gz_typemap *m = gz_typemap_parse(NULL, NULL);
    gz_eval *ev = gz_eval_new(g, m);
    char pred[256];
    snprintf(pred, sizeof pred, "%s\t13\t20\tTōkyō\tPLACE\n", txt);
    ck_assert_int_eq(gz_eval_add_pred(ev, "p", pred, strlen(pred), &err), 0);
    gz_eval_counts c;
    gz_eval_counts_for(ev, NULL, &c);
    ck_assert_uint_eq(c.gold, 2);
    ck_assert_uint_eq(c.correct, 1);
    gz_eval_free(ev);
    gz_typemap_free(m);
    gz_gold_free(g);
    const char *past = "T1\tPER 0 30\tZoë\n";
    ck_assert_ptr_null(gz_gold_parse(ann, past, strlen(past), GZ_GOLD_BRAT, &err));
    ck_assert_int_eq(err.line, 1);
    unlink(txt);
    rmdir(dir);
}
END_TEST

START_TEST(dict_from_conll_keeps_the_most_frequent_type)
{
    const char *train =
        "Paris B-LOC\n\nParis B-LOC\n\nParis B-PER\nHilton I-PER\n\nParis B-PER\n\n"
        "Jordan B-PER\n\nJordan B-LOC\n\n#Apple B-corporation\n\nEU B-ORG\n\n";
    gz_buf out = {0};
    gz_error err = {0};
    long rows = gz_dict_from_conll("train", train, strlen(train), &out, &err);
    ck_assert_int_eq(rows, 5);
    gz_buf_addc(&out, '\0');
    ck_assert_str_eq(out.data,
                     "name\ttype\tid\n"
                     "\\x23Apple\tcorporation\tconll:#apple\n"
                     "EU\tORG\tconll:eu\n"
                     "Jordan\tPERSON\tconll:jordan\n"
                     "Paris\tPLACE\tconll:paris\n"
                     "Paris Hilton\tPERSON\tconll:paris hilton\n");
    gz_buf_free(&out);
}
END_TEST

START_TEST(dict_from_conll_output_loads_as_a_dictionary)
{
    const char *train = "#Apple B-corporation\nis O\nTokyo B-LOC\n";
    gz_buf out = {0};
    ck_assert_int_eq(gz_dict_from_conll("t", train, strlen(train), &out, NULL), 2);
    gz_buf_addc(&out, '\0');
    gz_engine *e = tu_engine(out.data, NULL, 0);
    ck_assert_str_eq(tu_tag(e, "In Tokyo"), "Tokyo/PLACE/conll:tokyo");
    gz_engine_free(e);
    gz_buf_free(&out);
}
END_TEST

static Suite *eval_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("eval");
    tcase_add_test(tc, iob1_predictions_score_like_the_same_iob2_gold);
    tcase_add_test(tc, b_splits_adjacent_mentions_of_one_type_in_iob1);
    tcase_add_test(tc, a_shorter_span_or_another_type_is_wrong_both_ways);
    tcase_add_test(tc, documents_are_rebuilt_as_tokens_joined_by_spaces);
    tcase_add_test(tc, tsv_spans_are_matched_to_numbered_documents_and_widened_to_tokens);
    tcase_add_test(tc, tsv_errors_name_the_line);
    tcase_add_test(tc, types_the_map_does_not_name_are_not_scored);
    tcase_add_test(tc, malformed_conll_names_line_and_column);
    tcase_add_test(tc, conll_tokens_must_match_the_gold);
    tcase_add_test(tc, tagging_the_gold_text_maps_spans_to_tokens);
    tcase_add_test(tc, brat_offsets_count_characters);
    tcase_add_test(tc, dict_from_conll_keeps_the_most_frequent_type);
    tcase_add_test(tc, dict_from_conll_output_loads_as_a_dictionary);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(eval_suite)
