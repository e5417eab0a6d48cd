/* SPDX-License-Identifier: MIT */
/* check_output.c - the output formats: escaping, character offsets, text
 * printed once across pieces, CoNLL tokens and sentences, frequency tables. */
#include "testutil.h"

#include "output.h"
#include "tsv.h"

/* A span over the first occurrence of needle in text. */
static gz_span at(const char *text, const char *needle, const char *type, const char *name)
{
    const char *p = strstr(text, needle);
    ck_assert_ptr_nonnull(p);
    gz_span s = {0};
    s.start = (size_t)(p - text);
    s.end = s.start + strlen(needle);
    s.type = type;
    s.id = "x:1";
    s.name = name;
    s.source = "test";
    return s;
}

static gz_span mk(size_t start, size_t end, const char *type, const char *id, const char *name)
{
    gz_span s = {0};
    s.start = start;
    s.end = end;
    s.type = type;
    s.id = id;
    s.name = name;
    s.source = "test";
    return s;
}

/* Render one document through the protocol, cut into pieces that own the
 * bytes up to each of cuts[0..ncuts) (then the rest), each piece seeing
 * `look` bytes past its end as corpus runs do.  Returns a malloc'd string. */
static char *render_doc(const gz_fmt_opts *o, const char *text, size_t len, const gz_span *spans,
                        size_t n, const size_t *cuts, size_t ncuts, size_t look)
{
    gz_render *run = gz_render_new(o), *r = gz_render_new(o);
    gz_buf out = {0};
    gz_render_run_begin(run, &out);
    gz_render_doc_begin(r, &out, "doc");
    size_t base = 0, si = 0;
    for (size_t p = 0; p <= ncuts; p++) {
        size_t end = p < ncuts ? cuts[p] : len;
        size_t plen = end + look < len ? end + look : len;
        size_t sj = si;
        while (sj < n && spans[sj].start < end)
            sj++;
        gz_render_piece(r, &out, text + base, plen - base, base, end - base, spans + si, sj - si);
        si = sj;
        base = end;
    }
    gz_render_doc_end(r, &out);
    gz_render_merge(run, r);
    gz_render_run_end(run, &out);
    gz_render_free(r);
    gz_render_free(run);
    gz_buf_addc(&out, '\0');
    return out.data;
}

static char *render1(const gz_fmt_opts *o, const char *text, const gz_span *spans, size_t n)
{
    return render_doc(o, text, strlen(text), spans, n, NULL, 0, 0);
}

static gz_fmt_opts fmt(const char *format)
{
    gz_fmt_opts o = {0};
    o.format = gz_format_find(format);
    ck_assert_ptr_nonnull(o.format);
    o.header = 1;
    return o;
}

static size_t units(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        int cp;
        i += gz_utf8_unit((const unsigned char *)s + i, n - i, &cp);
    }
    return k;
}

START_TEST(ill_formed_bytes_count_as_python_replaces_them)
{
    /* len(b.decode("utf-8", "replace")) in Python 3 */
    static const struct { const char *s; size_t n, want; } cases[] = {
        {"\xE0\x80\x80", 3, 3},      {"\xED\xA0\x80", 3, 3}, {"\xF0\x80", 2, 2},
        {"\xE2\x82" "A", 3, 2},      {"\xF4\x90\x80\x80", 4, 4}, {"\xC0\xAF", 2, 2},
        {"\xF0\x9F\x98", 3, 1},      {"\xF0\x9F\x98\x80", 4, 1}, {"\xC3\xA9", 2, 1},
        {"\x80\x80", 2, 2},          {"\xE2\x82\xAC\xFF", 4, 2}, {"\xF5\x80", 2, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_msg(units(cases[i].s, cases[i].n) == cases[i].want, "case %zu: %zu units", i,
                      units(cases[i].s, cases[i].n));
}
END_TEST

START_TEST(char_offsets_name_their_columns_and_count_code_points)
{
    const char *text = "\xFF\xFE Tōkyō and JAXA";
    gz_span s[] = {mk(3, 10, "PLACE", "p:1", "Tokyo"), mk(15, 19, "ORG", "o:1", "JAXA")};
    gz_fmt_opts o = fmt("tsv");
    o.chars = 1;
    char *got = render1(&o, text, s, 2);
    ck_assert_str_eq(got, "doc\tchar_start\tchar_end\ttext\ttype\tid\tname\tsource\talternatives\n"
                          "doc\t3\t8\tTōkyō\tPLACE\tp:1\tTokyo\ttest\t\n"
                          "doc\t13\t17\tJAXA\tORG\to:1\tJAXA\ttest\t\n");
    free(got);
}
END_TEST

START_TEST(every_format_prints_the_same_across_pieces)
{
    /* the text of a document cut into pieces must come out as if whole */
    const char *text = "Tokyo said JAXA\xFF was hit. \xE6\x9D\xB1\xE4\xBA\xAC and "
                       "Katsunobu\nKato spoke.\n\nThe \x1B[2J end.";
    size_t len = strlen(text);
    gz_span s[] = {at(text, "Tokyo", "PLACE", "Tokyo"), at(text, "JAXA", "ORG", "JAXA"),
                   at(text, "\xE6\x9D\xB1\xE4\xBA\xAC", "PLACE", "Tokyo"),
                   at(text, "Katsunobu\nKato", "PERSON", "Kato")};
    /* cuts at mention starts and inside mentions (a mention that starts
     * before a cut is printed whole by its piece) */
    static const size_t cuts1[] = {11, 26, 29, 40, 60};
    static const size_t cuts2[] = {1, 2, 3, 4, 5, 15, 16, 20, 29, 48, 56, 57};
    const gz_format *f;
    for (size_t fi = 0; (f = gz_format_at(fi)) != NULL; fi++) {
        for (int chars = 0; chars < 2; chars++) {
            gz_fmt_opts o = fmt(gz_format_name(f));
            o.chars = chars;
            char *whole = render_doc(&o, text, len, s, 4, NULL, 0, 0);
            char *a = render_doc(&o, text, len, s, 4, cuts1, 5, 16);
            char *b = render_doc(&o, text, len, s, 4, cuts2, 12, 14);
            ck_assert_msg(strcmp(whole, a) == 0, "format %s:\n%s\n---\n%s", gz_format_name(f), whole, a);
            ck_assert_msg(strcmp(whole, b) == 0, "format %s:\n%s\n---\n%s", gz_format_name(f), whole, b);
            free(whole);
            free(a);
            free(b);
        }
    }
}
END_TEST

START_TEST(jsonl_escapes_controls_and_marks_replacements_as_lossy)
{
    const char *text = "\"A\x01\xFF\\\"";
    gz_span s[] = {mk(0, 6, "ORG", "o:1", "Name\t\xE2\x80\xA8")};
    gz_fmt_opts o = fmt("jsonl");
    char *got = render1(&o, text, s, 1);
    ck_assert_str_eq(got, "{\"doc\":\"doc\",\"start\":0,\"end\":6,"
                          "\"text\":\"\\\"A\\u0001\xEF\xBF\xBD\\\\\\\"\",\"type\":\"ORG\","
                          "\"id\":\"o:1\",\"name\":\"Name\\t\\u2028\",\"source\":\"test\","
                          "\"attrs\":{},\"alternatives\":[],\"lossy\":true}\n");
    free(got);
}
END_TEST

START_TEST(inline_never_passes_terminal_controls)
{
    const char *text = "\x1B]0;x\x07JAXA\xC2\x9B" "1m\xFF\tok\n";
    gz_span s[] = {mk(6, 10, "ORG", "o:1", "JAXA")};
    gz_fmt_opts o = fmt("inline");
    char *got = render1(&o, text, s, 1);
    ck_assert_str_eq(got, "\\x1B]0;x\\x07[JAXA](ORG)\\xC2\\x9B1m\\xFF\tok\n");
    free(got);
    o.color = 1;
    got = render1(&o, text + 6, (gz_span[]){mk(0, 4, "ORG", "o:1", "JAXA")}, 1);
    ck_assert_str_eq(got, "\x1B[1;34m[JAXA](ORG)\x1B[0m\\xC2\\x9B1m\\xFF\tok\n");
    free(got);
}
END_TEST

START_TEST(html_escapes_the_text_and_shows_entity_on_hover)
{
    const char *text = "<b>&'JAXA\x01";
    gz_span s[] = {mk(5, 9, "ORG", "gaztag:jaxa", "Japan <Aerospace>")};
    gz_fmt_opts o = fmt("html");
    char *got = render1(&o, text, s, 1);
    ck_assert_ptr_nonnull(strstr(got, "&lt;b&gt;&amp;&#39;<mark class=\"c1\" title=\"ORG \xC2\xB7 "
                                      "Japan &lt;Aerospace&gt; \xC2\xB7 gaztag:jaxa\">JAXA</mark>"
                                      "&#x2401;</div>"));
    ck_assert_ptr_null(strstr(got, "<b>"));
    ck_assert_ptr_nonnull(strstr(got, "</html>\n"));
    free(got);
}
END_TEST

START_TEST(conll_mentions_are_whole_tokens)
{
    const char *text = "JAXA's Japan-based team (Tokyo) met.";
    gz_span s[] = {mk(0, 4, "ORG", "o:1", "JAXA"), mk(7, 12, "PLACE", "p:2", "Japan"),
                   mk(25, 30, "PLACE", "p:1", "Tokyo")};
    gz_fmt_opts o = fmt("conll");
    char *got = render1(&o, text, s, 3);
    ck_assert_str_eq(got, "-DOCSTART- O\n\nJAXA B-ORG\n's O\nJapan B-PLACE\n- O\nbased O\n"
                          "team O\n( O\nTokyo B-PLACE\n) O\nmet O\n. O\n\n");
    free(got);
}
END_TEST

START_TEST(conll_splits_sentences_but_not_before_lower_case)
{
    const char *text = "He left. She came (at 3 p.m. today). \"Yes.\" Then\n\nNew para "
                       "\xE6\x9D\xB1\xE3\x80\x82\xE4\xBA\xAC";
    gz_fmt_opts o = fmt("conll");
    char *got = render1(&o, text, NULL, 0);
    ck_assert_str_eq(got, "-DOCSTART- O\n\nHe O\nleft O\n. O\n\nShe O\ncame O\n( O\nat O\n"
                          "3 O\np O\n. O\nm O\n. O\ntoday O\n) O\n. O\n\n\" O\nYes O\n. O\n\" O\n\n"
                          "Then O\n\nNew O\npara O\n\xE6\x9D\xB1 O\n\xE3\x80\x82 O\n\n"
                          "\xE4\xBA\xAC O\n\n");
    free(got);
}
END_TEST

START_TEST(brat_splits_mentions_at_line_breaks)
{
    const char *text = "\xC3\xA9 Katsunobu\r\nKato";
    gz_span s[] = {mk(3, 18, "PERSON", "q:1", "Katsunobu Kato")};
    gz_fmt_opts o = fmt("brat");
    char *got = render1(&o, text, s, 1);
    ck_assert_str_eq(got, "T1\tPERSON 2 11;13 17\tKatsunobu Kato\n"
                          "#1\tAnnotatorNotes T1\tq:1 Katsunobu Kato\n");
    free(got);
}
END_TEST

START_TEST(count_sorts_by_mentions_then_type_then_name)
{
    gz_fmt_opts o = fmt("tsv");
    o.count = 1;
    gz_render *run = gz_render_new(&o);
    gz_buf out = {0};
    gz_render_run_begin(run, &out);
    const char *text = "A B C A";
    gz_span d1[] = {mk(0, 1, "ORG", "a", "Alpha"), mk(2, 3, "ORG", "b", "Beta"),
                    mk(4, 5, "KEYWORD", "c", "Gamma"), mk(6, 7, "ORG", "a", "Alpha")};
    gz_span d2[] = {mk(2, 3, "ORG", "b", "Beta"), mk(4, 5, "KEYWORD", "c", "Gamma")};
    for (int d = 0; d < 2; d++) {
        gz_render *r = gz_render_new(&o);
        gz_render_doc_begin(r, &out, d ? "two" : "one");
        gz_render_piece(r, &out, text, 7, 0, 7, d ? d2 : d1, d ? 2 : 4);
        gz_render_doc_end(r, &out);
        gz_render_merge(run, r);
        gz_render_free(r);
    }
    gz_render_run_end(run, &out);
    gz_buf_addc(&out, '\0');
    ck_assert_str_eq(out.data, "type\tid\tname\tmentions\tdocuments\n"
                               "KEYWORD\tc\tGamma\t2\t2\n"
                               "ORG\ta\tAlpha\t2\t1\n"
                               "ORG\tb\tBeta\t2\t2\n");
    gz_buf_free(&out);
    gz_render_free(run);
}
END_TEST

START_TEST(sanitize_leaves_a_cut_character_for_the_next_read)
{
    gz_buf b = {0};
    ck_assert_uint_eq(gz_utf8_sanitize(&b, "ab\xE6\x9D", 4, 0), 2);
    ck_assert_uint_eq(gz_utf8_sanitize(&b, "\xE6\x9D\xB1\xFF", 4, 1), 4);
    gz_buf_addc(&b, '\0');
    ck_assert_str_eq(b.data, "ab\xE6\x9D\xB1\xEF\xBF\xBD");
    gz_buf_free(&b);
}
END_TEST

START_TEST(csv_field_quotes_only_where_needed)
{
    static const struct { const char *in; size_t n; const char *out; } cases[] = {
        {"plain", 5, "plain"},
        {"NA", 2, "NA"},
        {"a,b", 3, "\"a,b\""},
        {"\"Royal\" gang", 12, "\"\"\"Royal\"\" gang\""},
        {"two\nlines", 9, "\"two\nlines\""},
        {"cr\r", 3, "\"cr\r\""},
        {"tab\there", 8, "tab\there"},
        {"back\\slash", 10, "back\\slash"},
        {"bell\a", 5, "bell\xEF\xBF\xBD"},
        {"nul\0x", 5, "nul\xEF\xBF\xBDx"},
        {"bad\xFF", 4, "bad\xEF\xBF\xBD"},
        {"csi\xC2\x9B", 5, "csi\xEF\xBF\xBD"},
        {"caf\xC3\xA9", 5, "caf\xC3\xA9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gz_buf b = {0};
        gz_csv_field(&b, cases[i].in, cases[i].n);
        gz_buf_addc(&b, '\0');
        ck_assert_str_eq(b.data, cases[i].out);
        gz_buf_free(&b);
    }
}
END_TEST

START_TEST(tsv_escape_is_valid_utf8_and_undoes_exactly)
{
    static const struct { const char *in; size_t n; const char *out; } cases[] = {
        {"caf\xC3\xA9", 5, "caf\xC3\xA9"},
        {"bad\xFF", 4, "bad\\xFF"},
        {"cut\xE2\x82", 5, "cut\\xE2\\x82"},
        {"cut\xE2\x82x", 6, "cut\\xE2\\x82x"},
        {"sur\xED\xA0\x80", 6, "sur\\xED\\xA0\\x80"},
        {"csi\xC2\x9B", 5, "csi\\xC2\\x9B"},
        {"t\tn\nb\\", 6, "t\\tn\\nb\\\\"},
        {"nul\0", 4, "nul\\x00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gz_buf b = {0}, back = {0};
        gz_tsv_escape(&b, cases[i].in, cases[i].n);
        ck_assert_uint_eq(gz_utf8_sanitize(&back, b.data, b.len, 1), b.len);
        ck_assert_mem_eq(back.data, b.data, b.len);  /* nothing to replace */
        back.len = 0;
        ck_assert_uint_eq(gz_tsv_unescape(&back, b.data, b.len), cases[i].n);
        ck_assert_mem_eq(back.data, cases[i].in, cases[i].n);
        gz_buf_addc(&b, '\0');
        ck_assert_str_eq(b.data, cases[i].out);
        gz_buf_free(&b);
        gz_buf_free(&back);
    }
}
END_TEST

START_TEST(format_names_parse)
{
    ck_assert_str_eq(gz_format_name(gz_format_find("conll")), "conll");
    ck_assert_ptr_null(gz_format_find("TSV"));
    ck_assert_str_eq(gz_format_ext(gz_format_find("brat")), ".ann");
    ck_assert_str_eq(gz_format_name(gz_format_at(0)), "tsv");
    gz_buf b = {0};
    gz_format_list(&b, 0, "or", 1);
    ck_assert_str_eq(b.data, "tsv (default), csv, jsonl, inline, html, brat or conll");
    b.len = 0;
    gz_format_list(&b, GZ_FMT_TABULAR, "and", 0);
    ck_assert_str_eq(b.data, "tsv, csv and jsonl");
    gz_buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");
    tcase_add_test(tc, ill_formed_bytes_count_as_python_replaces_them);
    tcase_add_test(tc, char_offsets_name_their_columns_and_count_code_points);
    tcase_add_test(tc, every_format_prints_the_same_across_pieces);
    tcase_add_test(tc, jsonl_escapes_controls_and_marks_replacements_as_lossy);
    tcase_add_test(tc, inline_never_passes_terminal_controls);
    tcase_add_test(tc, html_escapes_the_text_and_shows_entity_on_hover);
    tcase_add_test(tc, conll_mentions_are_whole_tokens);
    tcase_add_test(tc, conll_splits_sentences_but_not_before_lower_case);
    tcase_add_test(tc, brat_splits_mentions_at_line_breaks);
    tcase_add_test(tc, count_sorts_by_mentions_then_type_then_name);
    tcase_add_test(tc, sanitize_leaves_a_cut_character_for_the_next_read);
    tcase_add_test(tc, format_names_parse);
    tcase_add_test(tc, csv_field_quotes_only_where_needed);
    tcase_add_test(tc, tsv_escape_is_valid_utf8_and_undoes_exactly);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
