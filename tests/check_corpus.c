/* SPDX-License-Identifier: MIT */
/* check_corpus.c - corpus runs as a user sees them: output independent of
 * the number of workers and of chunking, walk order, line inputs and their
 * escaping, shards, the binary policy and a closed pipe. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include "corpus.h"
#include "output.h"
#include "testutil.h"

static const char *DICT =
    "name\ttype\tid\n"
    "Japan Aerospace Exploration Agency\tORG\tjaxa\n"
    "Tokyo\tPLACE\ttokyo\n"
    "Katsunobu Kato\tPERSON\tkato\n"
    "China\tPLACE\tcn\n";

static gz_engine *E;
static char dir[64];

static void setup(void)
{
    E = tu_engine(DICT, NULL, 0);
    strcpy(dir, "/tmp/gaztag-corpus-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    gz_engine_free(E);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void put(const char *rel, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0777);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static char diags[4096];

static void collect(void *ctx, const char *doc, const char *msg)
{
    (void)ctx;
    size_t k = strlen(diags);
    snprintf(diags + k, sizeof diags - k, "%s%s%s\n", doc ? doc : "", doc ? ": " : "", msg);
}

/* Run over paths with o; returns the output (malloc'd) and the status. */
static char *run_paths(const gz_run_opts *o, char **paths, size_t n, int *status)
{
    char out[300];
    snprintf(out, sizeof out, "%s/.out", dir);
    int fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0666);
    ck_assert_int_ge(fd, 0);
    gz_out *w = gz_out_new(fd);
    int werr = 0;
    diags[0] = '\0';
    *status = gz_corpus_run(E, o, paths, n, w, collect, NULL, &werr);
    ck_assert_int_eq(gz_out_free(w), 0);
    off_t size = lseek(fd, 0, SEEK_END);
    char *text = calloc(1, (size_t)size + 1);
    ck_assert_int_eq(pread(fd, text, (size_t)size, 0), size);
    close(fd);
    unlink(out);
    return text;
}

static char *run_dir(const gz_run_opts *o, int *status)
{
    char *paths[] = {dir};
    return run_paths(o, paths, 1, status);
}

/* The output with the temporary folder's name cut out of each row. */
static const char *rel(const char *out)
{
    static char buf[1 << 16];
    size_t dl = strlen(dir), k = 0;
    for (const char *p = out; *p && k < sizeof buf - 1;) {
        if (strncmp(p, dir, dl) == 0)
            p += dl;
        else
            buf[k++] = *p++;
    }
    buf[k] = '\0';
    return buf;
}

START_TEST(output_is_the_same_for_any_number_of_workers)
{
    for (int i = 0; i < 40; i++) {
        char name[32], text[128];
        snprintf(name, sizeof name, "d%d/f%02d.txt", i % 3, i);
        int n = snprintf(text, sizeof text, "Doc %d: Tokyo%s and China.\n", i,
                         i % 2 ? " then Katsunobu Kato" : "");
        put(name, text, (size_t)n);
    }
    gz_run_opts o = {0};
    o.fmt.header = 1;
    int st;
    o.jobs = 1;
    char *one = run_dir(&o, &st);
    ck_assert_int_eq(st, GZ_RUN_OK);
    o.jobs = 4;
    char *four = run_dir(&o, &st);
    ck_assert_int_eq(st, GZ_RUN_OK);
    ck_assert_str_eq(one, four);
    /* 40 documents, each with two or three rows, plus the header */
    size_t rows = 0;
    for (const char *p = one; *p; p++)
        rows += *p == '\n';
    ck_assert_uint_eq(rows, 1 + 40 * 2 + 20);
    free(one);
    free(four);
}
END_TEST

START_TEST(entries_come_in_byte_order_and_hidden_ones_are_skipped)
{
    put("b.txt", "Tokyo", 5);
    put("B.txt", "China", 5);
    put("a/z.txt", "Tokyo", 5);
    put(".hidden.txt", "China", 5);
    put(".git/x.txt", "China", 5);
    gz_run_opts o = {0};
    int st;
    char *out = run_dir(&o, &st);
    ck_assert_int_eq(st, GZ_RUN_OK);
    ck_assert_str_eq(rel(out), "/B.txt\t0\t5\tChina\tPLACE\tcn\tChina\tdict\t\n"
                               "/a/z.txt\t0\t5\tTokyo\tPLACE\ttokyo\tTokyo\tdict\t\n"
                               "/b.txt\t0\t5\tTokyo\tPLACE\ttokyo\tTokyo\tdict\t\n");
    ck_assert_str_eq(diags, "");
    free(out);
    o.hidden = 1;
    out = run_dir(&o, &st);
    ck_assert_ptr_nonnull(strstr(out, "/.git/x.txt\t"));
    ck_assert_ptr_nonnull(strstr(out, "/.hidden.txt\t"));
    free(out);
}
END_TEST

/* A long document without paragraph breaks, names everywhere: tagged in
 * small chunks it gives the rows of a single chunk, each name once. */
START_TEST(names_across_chunk_boundaries_are_found_once)
{
    gz_buf text = {0};
    const char *words[] = {"Japan Aerospace Exploration Agency", "Katsunobu Kato", "in",
                           "Tokyo", "and", "China;"};
    for (int i = 0; i < 30000; i++) {
        gz_buf_adds(&text, words[(i * 7) % 6]);
        gz_buf_addc(&text, i % 97 == 0 ? '\n' : ' ');
    }
    put("long.txt", text.data, text.len);
    gz_run_opts o = {0};
    int st;
    char *whole = run_dir(&o, &st);
    ck_assert_int_eq(st, GZ_RUN_OK);
    for (size_t chunk = 8192; chunk <= 65536; chunk *= 2) {
        o.chunk = chunk;
        char *parts = run_dir(&o, &st);
        ck_assert_int_eq(st, GZ_RUN_OK);
        ck_assert_msg(strcmp(whole, parts) == 0, "chunk %zu differs", chunk);
        free(parts);
    }
    free(whole);
    gz_buf_free(&text);
}
END_TEST

START_TEST(chunks_ending_at_paragraph_breaks_lose_nothing)
{
    gz_buf text = {0};
    for (int i = 0; i < 4000; i++)
        gz_buf_adds(&text, i % 3 ? "Tokyo and Katsunobu Kato.\n\n" : "China,\nTokyo.\n");
    put("paras.txt", text.data, text.len);
    gz_run_opts o = {0};
    int st;
    char *whole = run_dir(&o, &st);
    o.chunk = 10000;
    o.jobs = 2;
    char *parts = run_dir(&o, &st);
    ck_assert_str_eq(whole, parts);
    free(whole);
    free(parts);
    gz_buf_free(&text);
}
END_TEST

START_TEST(line_input_offsets_refer_to_the_unescaped_text)
{
    const char *in = "a\\tb\tX\\tTokyo\\\\China\n\nn2\tnothing here\n";
    put("in.tsv", in, strlen(in));
    gz_run_opts o = {0};
    o.input = GZ_INPUT_LINES;
    char path[128];
    snprintf(path, sizeof path, "%s/in.tsv", dir);
    char *paths[] = {path};
    int st;
    char *out = run_paths(&o, paths, 1, &st);
    ck_assert_int_eq(st, GZ_RUN_OK);
    ck_assert_str_eq(out, "a\\tb\t2\t7\tTokyo\tPLACE\ttokyo\tTokyo\tdict\t\n"
                          "a\\tb\t8\t13\tChina\tPLACE\tcn\tChina\tdict\t\n");
    free(out);
}
END_TEST

START_TEST(jsonl_input_reports_bad_lines_and_goes_on)
{
    const char *in = "{\"id\": \"one\", \"text\": \"\\u00e9 Tokyo\"}\n"
                     "{\"id\": 2, \"text\": \"China\"}\n"
                     "{\"id\": \"bad\"\n"
                     "[1]\n"
                     "{\"id\": \"four\", \"text\": \"Tokyo\"}\n";
    put("in.jsonl", in, strlen(in));
    gz_run_opts o = {0};
    o.input = GZ_INPUT_JSONL;
    o.jobs = 3;
    char path[128];
    snprintf(path, sizeof path, "%s/in.jsonl", dir);
    char *paths[] = {path};
    int st;
    char *out = run_paths(&o, paths, 1, &st);
    ck_assert_int_eq(st, GZ_RUN_PARTIAL);
    /* "é" is two bytes of UTF-8: Tokyo starts at byte 3 */
    ck_assert_str_eq(out, "one\t3\t8\tTokyo\tPLACE\ttokyo\tTokyo\tdict\t\n"
                          "2\t0\t5\tChina\tPLACE\tcn\tChina\tdict\t\n"
                          "four\t0\t5\tTokyo\tPLACE\ttokyo\tTokyo\tdict\t\n");
    ck_assert_ptr_nonnull(strstr(diags, "in.jsonl:3:"));
    ck_assert_ptr_nonnull(strstr(diags, "in.jsonl:4: expected an object"));
    free(out);
}
END_TEST

START_TEST(shards_partition_the_documents)
{
    /* FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c */
    ck_assert_uint_eq(gz_shard_of("a", 1000), 0xaf63dc4c8601ec8cULL % 1000 + 1);
    for (int i = 0; i < 30; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%02d.txt", i);
        put(name, "Tokyo China", 11);
    }
    gz_run_opts o = {0};
    int st;
    char *all = run_dir(&o, &st);
    size_t total = strlen(all), sum = 0;
    o.shard_n = 3;
    for (unsigned long i = 1; i <= 3; i++) {
        o.shard_i = i;
        char *part = run_dir(&o, &st);
        ck_assert_int_eq(st, GZ_RUN_OK);
        /* every row of a shard is a row of the whole run */
        for (char *line = strtok(part, "\n"); line; line = strtok(NULL, "\n")) {
            ck_assert_ptr_nonnull(strstr(all, line));
            sum += strlen(line) + 1;
        }
        free(part);
    }
    ck_assert_uint_eq(sum, total);
    free(all);
}
END_TEST

START_TEST(binary_files_are_named_and_skipped_without_failing)
{
    put("a.bin", "Tokyo\0\1\2", 8);
    put("b.txt", "China", 5);
    put("c.txt", "", 0);
    gz_run_opts o = {0};
    int st;
    char *out = run_dir(&o, &st);
    ck_assert_int_eq(st, GZ_RUN_OK);
    ck_assert_str_eq(rel(out), "/b.txt\t0\t5\tChina\tPLACE\tcn\tChina\tdict\t\n");
    ck_assert_str_eq(rel(diags), "/a.bin: binary file skipped (--binary=tag tags it)\n");
    free(out);
    o.binary_tag = 1;
    out = run_dir(&o, &st);
    ck_assert_ptr_nonnull(strstr(out, "/a.bin\t0\t5\tTokyo\t"));
    ck_assert_str_eq(diags, "");
    free(out);
}
END_TEST

START_TEST(unreadable_paths_are_named_and_make_the_run_partial)
{
    put("ok.txt", "Tokyo", 5);
    char ok[128], missing[128];
    snprintf(ok, sizeof ok, "%s/ok.txt", dir);
    snprintf(missing, sizeof missing, "%s/missing.txt", dir);
    char *paths[] = {missing, ok};
    gz_run_opts o = {0};
    int st;
    char *out = run_paths(&o, paths, 2, &st);
    ck_assert_int_eq(st, GZ_RUN_PARTIAL);
    ck_assert_ptr_nonnull(strstr(out, "/ok.txt\t0\t5\tTokyo"));
    ck_assert_str_eq(rel(diags), "cannot open '/missing.txt': No such file or directory\n");
    free(out);
}
END_TEST

START_TEST(a_closed_pipe_ends_the_run_quietly)
{
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%03d.txt", i);
        put(name, "Tokyo China Tokyo China Tokyo China Tokyo China Tokyo China", 59);
    }
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    close(p[0]);
    gz_out *w = gz_out_new(p[1]);
    gz_run_opts o = {0};
    o.jobs = 2;
    o.fmt.header = 1;
    char *paths[] = {dir};
    int werr = 0;
    int st = gz_corpus_run(E, &o, paths, 1, w, collect, NULL, &werr);
    ck_assert_int_eq(st, GZ_RUN_CLOSED);
    ck_assert_int_eq(werr, EPIPE);
    gz_out_free(w);
    close(p[1]);
}
END_TEST

static Suite *corpus_suite(void)
{
    Suite *s = suite_create("corpus");
    TCase *tc = tcase_create("corpus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, output_is_the_same_for_any_number_of_workers);
    tcase_add_test(tc, entries_come_in_byte_order_and_hidden_ones_are_skipped);
    tcase_add_test(tc, names_across_chunk_boundaries_are_found_once);
    tcase_add_test(tc, chunks_ending_at_paragraph_breaks_lose_nothing);
    tcase_add_test(tc, line_input_offsets_refer_to_the_unescaped_text);
    tcase_add_test(tc, jsonl_input_reports_bad_lines_and_goes_on);
    tcase_add_test(tc, shards_partition_the_documents);
    tcase_add_test(tc, binary_files_are_named_and_skipped_without_failing);
    tcase_add_test(tc, unreadable_paths_are_named_and_make_the_run_partial);
    tcase_add_test(tc, a_closed_pipe_ends_the_run_quietly);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(corpus_suite)
