/* SPDX-License-Identifier: MIT */
/*
 * main.c - the gaztag command: options, wiring, diagnostics, exit codes.
 * Everything else lives in libgaztag; this file is the only one that speaks
 * to the user.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"
#include "gaztag.h"
#include "output.h"
#include "util.h"

#ifndef GZ_DATADIR
#define GZ_DATADIR "/usr/local/share/gaztag"
#endif

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

static void errorf(const char *fmt, ...) GZ_PRINTF(1, 2);
static void errorf(const char *fmt, ...)
{
    va_list ap;
    fputs("gaztag: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void report(const gz_error *err)
{
    if (err->file[0] && err->line && err->column)
        errorf("%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
    else if (err->file[0] && err->line)
        errorf("%s:%ld: %s", err->file, err->line, err->message);
    else
        errorf("%s", err->message);
}

static int usage_error(const char *cmd, const char *fmt, ...) GZ_PRINTF(2, 3);
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("gaztag: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, "Try 'gaztag %s%s--help' for more information.\n", cmd ? cmd : "",
            cmd ? " " : "");
    return EXIT_USAGE;
}

static int print_version(void)
{
    printf("gaztag %s\n", GAZTAG_VERSION);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_USAGE;
}

static const char main_help[] =
    "Usage: gaztag COMMAND [OPTIONS] [ARGS...]\n"
    "Tag named entities and keywords in text with gazetteers and rules.\n"
    "\n"
    "Commands:\n"
    "  tag        tag documents and print one row per mention\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n"
    "\n"
    "Run 'gaztag COMMAND --help' for a command's options; see gaztag(1).\n";

static const char tag_help[] =
    "Usage: gaztag tag [OPTIONS] [FILE...]\n"
    "Tag each FILE (or standard input, also as '-') and print one TSV row per\n"
    "mention: doc, start, end, text, type, id, name, source, alternatives.\n"
    "\n"
    "Dictionaries and rules:\n"
    "  -d, --dict FILE          add a dictionary (repeatable; the later wins ties)\n"
    "      --no-default-dicts   do not load the bundled dictionaries\n"
    "  -r, --rules FILE         add a rule file (repeatable)\n"
    "      --no-default-rules   do not load the bundled rules\n"
    "      --fold-diacritics    let every entry match without its diacritics\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE        write to FILE instead of standard output\n"
    "      --all-candidates     one row per candidate entity of each mention\n"
    "\n"
    "Corpus runs (directories are walked, entries in byte order of their names):\n"
    "  -j, --jobs N             worker threads (default: the number of CPUs)\n"
    "      --hidden             walk into files and folders whose name starts with '.'\n"
    "      --follow             follow symbolic links met while walking\n"
    "      --input FORMAT       text (default: a file is a document), lines (one\n"
    "                           ID<TAB>TEXT a line, TSV-escaped) or jsonl (one\n"
    "                           {\"id\": ..., \"text\": ...} a line)\n"
    "      --shard I/N          tag only the documents of shard I of N (by doc)\n"
    "      --binary POLICY      skip (default: name binary files on stderr) or tag\n"
    "      --no-progress        no progress line on a terminal\n"
    "  -v, --verbose            print a summary line at the end\n"
    "\n"
    "  -h, --help               show this help\n"
    "  -V, --version            show the version\n"
    "\n"
    "Environment: GAZTAG_DATA names the folder of the bundled dictionaries.\n"
    "Exit status: 0 success, 1 some input could not be read or completely\n"
    "tagged, 2 usage error, bad dictionary or rule, or output not written.\n";

/* ---- bundled data ---- */

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the bundled data: $GAZTAG_DATA, the build tree beside the
 * executable, an installation relative to it, or the compiled-in path. */
static char *find_datadir(void)
{
    const char *env = getenv("GAZTAG_DATA");
    if (env && *env)
        return gz_xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 64];
            snprintf(cand, sizeof cand, "%s/dictionaries", exe);
            if (is_dir(cand))
                return gz_xstrdup(cand);
            snprintf(cand, sizeof cand, "%s/../share/gaztag", exe);
            if (is_dir(cand))
                return gz_xstrdup(cand);
        }
    }
    return gz_xstrdup(GZ_DATADIR);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.tsv files of dir, sorted by byte value; NULL with errno on failure. */
static char **list_tsv(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        GZ_GROW(v, cap, n + 1);
        v[n++] = gz_xstrdup(path);
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, cmp_str);
    *count = n;
    if (!v)
        v = gz_xcalloc(1, sizeof *v);
    return v;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

typedef struct load_opts {
    const char **dicts;
    size_t ndicts;
    const char **rules;
    size_t nrules;
    int default_dicts, default_rules;
    int fold_diacritics;
} load_opts;

/* Build the engine: bundled data first, then the user's files in order.
 * Returns NULL after reporting. */
static gz_engine *load_engine(const load_opts *lo)
{
    gz_engine_options eo = {0};
    eo.fold_diacritics = lo->fold_diacritics;
    gz_engine *e = gz_engine_new(&eo);
    gz_error err = {0};
    char *datadir = NULL;
    if (lo->default_dicts || lo->default_rules)
        datadir = find_datadir();
    if (lo->default_dicts) {
        size_t n = 0;
        char **files = list_tsv(datadir, &n);
        if (!files) {
            errorf("cannot read the bundled dictionaries in '%s': %s (set GAZTAG_DATA or use "
                   "--no-default-dicts)", datadir, strerror(errno));
            goto fail;
        }
        for (size_t i = 0; i < n; i++) {
            if (gz_engine_add_dictionary(e, files[i], 0, &err) < 0) {
                report(&err);
                free_list(files, n);
                goto fail;
            }
        }
        free_list(files, n);
    }
    if (lo->default_rules) {
        char rdir[PATH_MAX];
        snprintf(rdir, sizeof rdir, "%s/rules", datadir);
        size_t n = 0;
        char **files = list_tsv(rdir, &n);
        if (!files) {
            errorf("cannot read the bundled rules in '%s': %s (set GAZTAG_DATA or use "
                   "--no-default-rules)", rdir, strerror(errno));
            goto fail;
        }
        for (size_t i = 0; i < n; i++) {
            if (gz_engine_add_rules(e, files[i], 0, &err) < 0) {
                report(&err);
                free_list(files, n);
                goto fail;
            }
        }
        free_list(files, n);
    }
    for (size_t i = 0; i < lo->ndicts; i++) {
        if (gz_engine_add_dictionary(e, lo->dicts[i], 1, &err) < 0) {
            report(&err);
            goto fail;
        }
    }
    for (size_t i = 0; i < lo->nrules; i++) {
        if (gz_engine_add_rules(e, lo->rules[i], 1, &err) < 0) {
            report(&err);
            goto fail;
        }
    }
    if (gz_engine_freeze(e, &err) < 0) {
        report(&err);
        goto fail;
    }
    free(datadir);
    return e;
fail:
    free(datadir);
    gz_engine_free(e);
    return NULL;
}

/* ---- tag ---- */

/* What a corpus run shows on stderr besides its messages. */
typedef struct tag_ui {
    int progress;           /* show a progress line (stderr is a terminal) */
    int verbose;            /* summary line at the end */
    int shown;              /* a progress line is on the screen */
} tag_ui;

static void clear_progress(tag_ui *ui)
{
    if (ui && ui->shown) {
        fputs("\r\033[K", stderr);
        ui->shown = 0;
    }
}

static void progress_print(void *ctx, const gz_run_stats *st, int final)
{
    tag_ui *ui = ctx;
    double mbs = st->seconds > 0 ? (double)st->bytes_done / 1e6 / st->seconds : 0;
    if (final) {
        clear_progress(ui);
        if (ui->verbose)
            errorf("%zu documents, %llu bytes, %zu mentions, %zu errors, %zu skipped, %.1f MB/s",
                   st->docs_done, st->bytes_done, st->mentions, st->errors, st->skipped, mbs);
        return;
    }
    if (!ui->progress)
        return;
    char left[48] = "";
    if (st->bytes_total_known && mbs > 0 && st->bytes_total >= st->bytes_done) {
        unsigned long s = (unsigned long)((double)(st->bytes_total - st->bytes_done) / 1e6 / mbs);
        snprintf(left, sizeof left, ", %lu:%02lu:%02lu left", s / 3600, s / 60 % 60, s % 60);
    }
    fprintf(stderr, "\r\033[Kgaztag: %zu of %zu%s documents, %.1f MB/s%s", st->docs_done,
            st->docs_total, st->total_final ? "" : "+", mbs, left);
    ui->shown = 1;
}

static void diag_print(void *ctx, const char *doc, const char *msg)
{
    clear_progress(ctx);
    if (doc)
        errorf("%s: %s", strcmp(doc, "-") == 0 ? "(stdin)" : doc, msg);
    else
        errorf("%s", msg);
}

/* Refuse an output file that is also an input. */
static int output_is_input(const char *out, char *const *in, size_t nin)
{
    struct stat so;
    if (stat(out, &so) != 0)
        return 0;
    for (size_t i = 0; i < nin; i++) {
        struct stat si;
        if (strcmp(in[i], "-") != 0 && stat(in[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino)
            return 1;
    }
    return 0;
}

enum {
    OPT_NO_DEFAULT_DICTS = 256,
    OPT_NO_DEFAULT_RULES,
    OPT_FOLD_DIACRITICS,
    OPT_ALL_CANDIDATES,
    OPT_HIDDEN,
    OPT_FOLLOW,
    OPT_INPUT,
    OPT_SHARD,
    OPT_BINARY,
    OPT_NO_PROGRESS
};

/* Parse a whole decimal number in [lo, hi]; -1 if it is not one. */
static long parse_count(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi || *s == '+' || *s == ' ')
        return -1;
    return v;
}

static int cmd_tag(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"dict", required_argument, NULL, 'd'},
        {"no-default-dicts", no_argument, NULL, OPT_NO_DEFAULT_DICTS},
        {"rules", required_argument, NULL, 'r'},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"output", required_argument, NULL, 'o'},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"all-candidates", no_argument, NULL, OPT_ALL_CANDIDATES},
        {"jobs", required_argument, NULL, 'j'},
        {"hidden", no_argument, NULL, OPT_HIDDEN},
        {"follow", no_argument, NULL, OPT_FOLLOW},
        {"input", required_argument, NULL, OPT_INPUT},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"binary", required_argument, NULL, OPT_BINARY},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    load_opts lo = {0};
    lo.default_dicts = lo.default_rules = 1;
    lo.dicts = gz_xcalloc((size_t)argc, sizeof *lo.dicts);
    lo.rules = gz_xcalloc((size_t)argc, sizeof *lo.rules);
    gz_run_opts ro = {0};
    ro.fmt.header = 1;
    const char *output = NULL;
    tag_ui ui = {0};
    int no_progress = 0;
    int rc = EXIT_OK, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":d:r:o:j:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': lo.dicts[lo.ndicts++] = optarg; break;
        case 'r': lo.rules[lo.nrules++] = optarg; break;
        case 'o': output = optarg; break;
        case OPT_NO_DEFAULT_DICTS: lo.default_dicts = 0; break;
        case OPT_NO_DEFAULT_RULES: lo.default_rules = 0; break;
        case OPT_FOLD_DIACRITICS: lo.fold_diacritics = 1; break;
        case OPT_ALL_CANDIDATES: ro.fmt.all_candidates = 1; break;
        case 'j': {
            long j = parse_count(optarg, 1, 1024);
            if (j < 0) {
                rc = usage_error("tag", "invalid --jobs '%s' (expected 1 to 1024)", optarg);
                goto done;
            }
            ro.jobs = (int)j;
            break;
        }
        case OPT_HIDDEN: ro.hidden = 1; break;
        case OPT_FOLLOW: ro.follow = 1; break;
        case OPT_INPUT:
            if (strcmp(optarg, "text") == 0)
                ro.input = GZ_INPUT_TEXT;
            else if (strcmp(optarg, "lines") == 0)
                ro.input = GZ_INPUT_LINES;
            else if (strcmp(optarg, "jsonl") == 0)
                ro.input = GZ_INPUT_JSONL;
            else {
                rc = usage_error("tag", "invalid --input '%s' (expected text, lines or jsonl)",
                                 optarg);
                goto done;
            }
            break;
        case OPT_SHARD: {
            char buf[64];
            const char *slash = strchr(optarg, '/');
            long i = -1, n = -1;
            if (slash && (size_t)(slash - optarg) < sizeof buf) {
                memcpy(buf, optarg, (size_t)(slash - optarg));
                buf[slash - optarg] = '\0';
                n = parse_count(slash + 1, 1, 1000000);
                i = n > 0 ? parse_count(buf, 1, n) : -1;
            }
            if (i < 0 || n < 0) {
                rc = usage_error("tag", "invalid --shard '%s' (expected I/N with 1 <= I <= N)",
                                 optarg);
                goto done;
            }
            ro.shard_i = (unsigned long)i;
            ro.shard_n = (unsigned long)n;
            break;
        }
        case OPT_BINARY:
            if (strcmp(optarg, "skip") == 0)
                ro.binary_tag = 0;
            else if (strcmp(optarg, "tag") == 0)
                ro.binary_tag = 1;
            else {
                rc = usage_error("tag", "invalid --binary '%s' (expected skip or tag)", optarg);
                goto done;
            }
            break;
        case OPT_NO_PROGRESS: no_progress = 1; break;
        case 'v': ui.verbose = 1; break;
        case 'h':
            fputs(tag_help, stdout);
            rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
            goto done;
        case 'V':
            rc = print_version();
            goto done;
        case ':':
            rc = usage_error("tag", "option '%s' needs an argument", argv[optind - 1]);
            goto done;
        default:
            rc = usage_error("tag", "unknown option '%s'", argv[optind - 1]);
            goto done;
        }
    }
    char *const *paths = argv + optind;
    size_t npaths = (size_t)(argc - optind);
    if (output && output_is_input(output, paths, npaths)) {
        errorf("refusing to write the output to input file '%s'", output);
        rc = EXIT_USAGE;
        goto done;
    }
    gz_engine *e = load_engine(&lo);
    if (!e) {
        rc = EXIT_USAGE;
        goto done;
    }
    int fd = STDOUT_FILENO;
    if (output) {
        fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0) {
            errorf("cannot open '%s' for writing: %s", output, strerror(errno));
            gz_engine_free(e);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    gz_out *out = gz_out_new(fd);
    int werr = 0;
    ui.progress = !no_progress && isatty(STDERR_FILENO);
    if (ui.progress || ui.verbose)
        ro.progress = progress_print;
    int st = gz_corpus_run(e, &ro, paths, npaths, out, diag_print, &ui, &werr);
    gz_out_free(out);
    if (output && close(fd) != 0 && st != GZ_RUN_CLOSED && st != GZ_RUN_WRITE_ERROR) {
        werr = errno;
        st = GZ_RUN_WRITE_ERROR;
    }
    switch (st) {
    case GZ_RUN_OK: rc = EXIT_OK; break;
    case GZ_RUN_PARTIAL: rc = EXIT_PARTIAL; break;
    case GZ_RUN_CLOSED: rc = EXIT_OK; break;
    default:
        errorf("cannot write '%s': %s", output ? output : "(stdout)", strerror(werr));
        rc = EXIT_USAGE;
    }
    gz_engine_free(e);
done:
    free(lo.dicts);
    free(lo.rules);
    return rc;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2)
        return usage_error(NULL, "no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(main_help, stdout);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
        return print_version();
    if (strcmp(cmd, "tag") == 0)
        return cmd_tag(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command '%s'", cmd);
}
