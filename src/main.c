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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd_convert.h"
#include "corpus.h"
#include "eval.h"
#include "gaztag.h"
#include "image.h"
#include "lint.h"
#include "output.h"
#include "roles.h"
#include "util.h"

#ifndef GZ_DATADIR
#define GZ_DATADIR "/usr/local/share/gaztag"
#endif

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

/* Print "gaztag: MESSAGE" and a line feed on stderr, in one write.  Every
 * diagnostic goes through here: the message is formatted at full length
 * (never cut) and its control characters and ill-formed bytes are shown
 * escaped (gz_term_escape), so no name or value from the input can drive
 * the terminal or fake another line. */
static void verrorf(const char *fmt, va_list ap) GZ_PRINTF(1, 0);
static void verrorf(const char *fmt, va_list ap)
{
    gz_buf msg = {0}, line = {0};
    gz_buf_vprintf(&msg, fmt, ap);
    gz_buf_adds(&line, "gaztag: ");
    gz_term_escape(&line, msg.data ? msg.data : "", msg.len, 0);
    gz_buf_addc(&line, '\n');
    fwrite(line.data, 1, line.len, stderr);
    fflush(stderr);
    gz_buf_free(&msg);
    gz_buf_free(&line);
}

static void errorf(const char *fmt, ...) GZ_PRINTF(1, 2);
static void errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrorf(fmt, ap);
    va_end(ap);
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
    va_start(ap, fmt);
    verrorf(fmt, ap);
    va_end(ap);
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
    "  compile    compile dictionaries into an image that loads at once\n"
    "  eval       score mentions against gold annotations (P, R, F1 per type)\n"
    "  dict-from-conll  write the entities of a CoNLL file as a dictionary\n"
    "  lint       check dictionaries and report every problem\n"
    "  convert    write a spaCy, CoreNLP RegexNER or GATE dictionary as a gaztag one\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n"
    "\n"
    "Run 'gaztag COMMAND --help' for a command's options; see gaztag(1).\n";

static const char tag_help[] =
    "Usage: gaztag tag [OPTIONS] [FILE...]\n"
    "Tag each FILE (or standard input, also as '-') and print one TSV row per\n"
    "mention: doc, start, end, text, type, id, name, source, alternatives\n"
    "(other views of the mentions: --format).\n"
    "\n"
    "Dictionaries and rules:\n"
    "  -d, --dict FILE          add a dictionary (repeatable; the later wins ties)\n"
    "      --no-default-dicts   do not load the bundled dictionaries\n"
    "      --image FILE         use the dictionaries compiled into FILE ('gaztag\n"
    "                           compile') instead of the bundled ones (repeatable)\n"
    "  -r, --rules FILE         add a rule file (repeatable)\n"
    "      --no-default-rules   do not load the bundled rules\n"
    "      --fold-diacritics    let every entry match without its diacritics\n"
    "      --words FILE         the list of ordinary words, names only where the\n"
    "                           text capitalises them mid-sentence (default: the\n"
    "                           bundled lint-common-words.txt)\n"
    "      --no-words           no list of ordinary words\n"
    "\n"
    "Document passes (on by default):\n"
    "      --no-acronyms        do not tag acronyms defined in the text\n"
    "      --no-variants        do not tag later variants of a name (\"Kato\")\n"
    "      --no-propagation     do not tag other occurrences of a rule-found name\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE        write to FILE instead of standard output\n"
    "      --all-candidates     one row per candidate entity of each mention\n"
    "  -f, --format FORMAT      %s\n"
    "      --color[=WHEN]       colour inline output: auto (default: on a terminal\n"
    "                           unless NO_COLOR is set), always or never\n"
    "      --offsets=UNIT       bytes (default) or chars (code points, as Python\n"
    "                           counts the text decoded with errors='replace')\n"
    "      --count              print 'type id name mentions documents' per entity\n"
    "                           instead of mentions (tsv, jsonl)\n"
    "      --explain            add how each mention was matched (tsv, jsonl)\n"
    "      --no-header          leave out the TSV header row\n"
    "      --output-dir DIR     one output file per input FILE, in DIR (for brat:\n"
    "                           NAME.ann beside a UTF-8 copy NAME.txt)\n"
    "\n"
    "Corpus runs (directories are walked, entries in byte order of their names):\n"
    "  -j, --jobs N             worker threads (default: the number of CPUs)\n"
    "      --hidden             walk into files and folders whose name starts with '.'\n"
    "      --follow             follow symbolic links met while walking\n"
    "      --input FORMAT       text (default: a file is a document), lines (one\n"
    "                           ID<TAB>TEXT a line, TSV-escaped) or jsonl (one\n"
    "                           {\"id\": ..., \"text\": ...} a line)\n"
    "      --max-line-bytes N   refuse a longer JSON Lines line (or lines id) and\n"
    "                           go on; K, M, G: KiB, MiB, GiB (default 64M)\n"
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
    "tagged, 2 usage error, bad dictionary or rule, or output not written,\n"
    "130 or 143 stopped by SIGINT or SIGTERM (at a record boundary).\n";

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
    const char **images;
    size_t nimages;
    const char **rules;
    size_t nrules;
    int default_dicts, default_rules;
    int fold_diacritics;
    int no_acronyms, no_variants, no_propagation;
    const char *words;      /* the list of ordinary words, NULL: the bundled one */
    int no_words;           /* no list of ordinary words */
} load_opts;

typedef int (*add_fn)(gz_engine *e, const char *path, int user, gz_error *err);

/* Load every *.tsv of dir with add, in byte order of the names.  what and
 * opt name the data and the option that does without it in the message.
 * Returns 0, or -1 after reporting. */
static int load_bundled(gz_engine *e, const char *dir, add_fn add, const char *what,
                        const char *opt)
{
    size_t n = 0;
    char **files = list_tsv(dir, &n);
    if (!files) {
        errorf("cannot read the bundled %s in '%s': %s (set GAZTAG_DATA or use %s)", what, dir,
               strerror(errno), opt);
        return -1;
    }
    gz_error err = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (add(e, files[i], 0, &err) < 0) {
            report(&err);
            rc = -1;
        }
    }
    free_list(files, n);
    return rc;
}

/* Load the bundled dictionaries of dir: from its image when that is current
 * for them, else from the files.  Returns 0, or -1 after reporting. */
static int load_bundled_dicts(gz_engine *e, const char *dir)
{
    size_t n = 0;
    char **files = list_tsv(dir, &n);
    if (!files)
        return load_bundled(e, dir, gz_engine_add_dictionary, "dictionaries",
                            "--no-default-dicts");
    char img[PATH_MAX + 32], types[PATH_MAX + 16];
    snprintf(img, sizeof img, "%s/%s", dir, GZ_IMAGE_BUNDLED);
    snprintf(types, sizeof types, "%s/types.txt", dir);
    gz_error err = {0};
    /* the image keeps the roles of the types file it was compiled with */
    struct stat si, st;
    int used = 0;
    if (stat(img, &si) != 0 || stat(types, &st) != 0 || st.st_mtime <= si.st_mtime)
        used = gz_image_add_bundled(e, img, (const char *const *)files, n, &err);
    free_list(files, n);
    if (used < 0)  /* a damaged image: say so, and read the files */
        errorf("%s; loading the dictionaries instead", err.message);
    if (used > 0)
        return 0;
    return load_bundled(e, dir, gz_engine_add_dictionary, "dictionaries", "--no-default-dicts");
}

/* Build the engine: bundled data (or the images named) first, then the
 * user's files in order.  Returns NULL after reporting. */
static gz_engine *load_engine(const load_opts *lo)
{
    gz_engine_options eo = GZ_ENGINE_OPTIONS_INIT;
    eo.fold_diacritics = lo->fold_diacritics;
    eo.no_acronyms = lo->no_acronyms;
    eo.no_variants = lo->no_variants;
    eo.no_propagation = lo->no_propagation;
    gz_engine *e = gz_engine_new(&eo);
    gz_error err = {0};
    char *datadir = find_datadir();
    /* The roles of the types hold for the user's dictionaries too, so the
     * bundled types file is read whenever there is one. */
    char types[PATH_MAX + 16];
    snprintf(types, sizeof types, "%s/types.txt", datadir);
    if (access(types, F_OK) == 0 && gz_engine_add_types(e, types, &err) < 0) {
        report(&err);
        goto fail;
    }
    for (size_t i = 0; i < lo->nimages; i++) {
        if (gz_engine_add_image(e, lo->images[i], &err) < 0) {
            report(&err);
            goto fail;
        }
    }
    if (lo->default_dicts && !lo->nimages && load_bundled_dicts(e, datadir) < 0)
        goto fail;
    if (lo->default_rules) {
        char rdir[PATH_MAX];
        snprintf(rdir, sizeof rdir, "%s/rules", datadir);
        if (load_bundled(e, rdir, gz_engine_add_rules, "rules", "--no-default-rules") < 0)
            goto fail;
    }
    /* the bundled list of ordinary words goes with the bundled
     * dictionaries, where there is one; a list the user names must be read */
    if (!lo->no_words && (lo->words || lo->default_dicts)) {
        char wpath[PATH_MAX + 32];
        if (!lo->words)
            snprintf(wpath, sizeof wpath, "%s/lint-common-words.txt", datadir);
        if ((lo->words || access(wpath, F_OK) == 0) &&
            gz_engine_add_words(e, lo->words ? lo->words : wpath, &err) < 0) {
            report(&err);
            goto fail;
        }
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
    OPT_NO_PROGRESS,
    OPT_COLOR,
    OPT_OFFSETS,
    OPT_COUNT,
    OPT_EXPLAIN,
    OPT_NO_HEADER,
    OPT_OUTPUT_DIR,
    OPT_NO_ACRONYMS,
    OPT_NO_VARIANTS,
    OPT_NO_PROPAGATION,
    OPT_MAX_LINE_BYTES,
    OPT_IMAGE,
    OPT_VERIFY,
    OPT_WORDS,
    OPT_NO_WORDS
};

/* Take an option that chooses dictionaries, rules or engine settings (the
 * same for every command that loads an engine).  Returns 1 if c was one. */
static int engine_option(load_opts *lo, int c, char *arg)
{
    switch (c) {
    case 'd': lo->dicts[lo->ndicts++] = arg; return 1;
    case OPT_IMAGE: lo->images[lo->nimages++] = arg; return 1;
    case 'r': lo->rules[lo->nrules++] = arg; return 1;
    case OPT_NO_DEFAULT_DICTS: lo->default_dicts = 0; return 1;
    case OPT_NO_DEFAULT_RULES: lo->default_rules = 0; return 1;
    case OPT_FOLD_DIACRITICS: lo->fold_diacritics = 1; return 1;
    case OPT_NO_ACRONYMS: lo->no_acronyms = 1; return 1;
    case OPT_NO_VARIANTS: lo->no_variants = 1; return 1;
    case OPT_NO_PROPAGATION: lo->no_propagation = 1; return 1;
    case OPT_WORDS: lo->words = arg; lo->no_words = 0; return 1;
    case OPT_NO_WORDS: lo->no_words = 1; return 1;
    default: return 0;
    }
}

/* ---- tag ---- */

/* The signal (SIGINT or SIGTERM) that asked a run to stop, or 0. */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

/* From now on SIGINT and SIGTERM stop the run at a record boundary
 * (gz_run_opts.interrupted) instead of killing it mid-row.  No SA_RESTART:
 * a blocking call returns so that the flag is seen. */
static void catch_signals(gz_run_opts *ro)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    ro->interrupted = &got_signal;
}

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
/* Is some ancestor folder of path (which need not exist) the folder d? */
static int inside_dir(const char *path, const struct stat *d)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (;;) {
        char *slash = strrchr(buf, '/');
        if (!slash)
            snprintf(buf, sizeof buf, ".");
        else if (slash == buf)
            buf[1] = '\0';
        else
            *slash = '\0';
        char real[PATH_MAX];
        struct stat sa;
        if (realpath(buf, real) && stat(real, &sa) == 0) {
            /* climb from the resolved folder: links and ".." are settled */
            for (;;) {
                if (sa.st_dev == d->st_dev && sa.st_ino == d->st_ino)
                    return 1;
                char *s = strrchr(real, '/');
                if (!s || (s == real && !real[1]))
                    return 0;
                s == real ? (void)(real[1] = '\0') : (void)(*s = '\0');
                if (stat(real, &sa) != 0)
                    return 0;
            }
        }
        if (!slash || slash == buf)
            return 0;
    }
}

/* Refuse an output file that is also an input: a file named, standard input
 * redirected from it, or a file in (or to be created in) a folder that is
 * walked.  Opening the output truncates it, so this is decided before. */
static int output_is_input(const char *out, char *const *in, size_t nin)
{
    struct stat so, si;
    int exists = stat(out, &so) == 0;
    int stdin_used = nin == 0;
    for (size_t i = 0; i < nin; i++) {
        if (strcmp(in[i], "-") == 0) {
            stdin_used = 1;
            continue;
        }
        if (stat(in[i], &si) != 0)
            continue;
        if (exists && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
            return 1;
        if (S_ISDIR(si.st_mode) && inside_dir(out, &si))
            return 1;
    }
    return exists && stdin_used && fstat(STDIN_FILENO, &si) == 0 && S_ISREG(si.st_mode) &&
           si.st_dev == so.st_dev && si.st_ino == so.st_ino;
}


/* The dictionary or rule file of lo that out names (the same file by
 * device and inode, whatever the path), or NULL.  *what says which. */
static const char *output_is_loaded(const char *out, const load_opts *lo, const char **what)
{
    struct stat so, si;
    if (stat(out, &so) != 0)
        return NULL;
    for (size_t i = 0; i < lo->ndicts + lo->nrules; i++) {
        const char *p = i < lo->ndicts ? lo->dicts[i] : lo->rules[i - lo->ndicts];
        if (stat(p, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
            *what = i < lo->ndicts ? "dictionary" : "rule file";
            return p;
        }
    }
    return NULL;
}

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

/* ---- output formats ---- */

/* Check that the output options fit the format, and settle --color=auto:
 * colour when standard output is a terminal, NO_COLOR is unset or empty and
 * TERM is not "dumb". */
static int check_format_opts(gz_fmt_opts *f, const char *output, const char *output_dir,
                             int *color)
{
    static const struct {
        size_t offset;      /* of the option's field in gz_fmt_opts */
        int when;           /* the field's value that asks for the option */
        unsigned cap;       /* what the format needs for it */
        const char *option, *note;
    } fits[] = {
        {offsetof(gz_fmt_opts, count), 1, GZ_FMT_TABULAR, "--count", ""},
        {offsetof(gz_fmt_opts, explain), 1, GZ_FMT_TABULAR, "--explain", ""},
        {offsetof(gz_fmt_opts, chars), 1, GZ_FMT_TABULAR, "--offsets",
         " (brat always counts characters)"},
        {offsetof(gz_fmt_opts, header), 0, GZ_FMT_HEADER, "--no-header", ""},
        {offsetof(gz_fmt_opts, all_candidates), 1, GZ_FMT_CANDIDATE_ROWS, "--all-candidates",
         " (jsonl lists the alternatives of each mention)"},
    };
    if (output && output_dir)
        return usage_error("tag", "--output and --output-dir cannot be used together");
    unsigned caps = gz_format_caps(f->format);
    for (size_t i = 0; i < sizeof fits / sizeof *fits; i++) {
        int value = *(const int *)((const char *)f + fits[i].offset);
        if (value != fits[i].when || (caps & fits[i].cap))
            continue;
        gz_buf list = {0};
        gz_format_list(&list, fits[i].cap, "and", 0);
        int rc = usage_error("tag", "%s works with %s output, not '%s'%s", fits[i].option,
                             list.data, gz_format_name(f->format), fits[i].note);
        gz_buf_free(&list);
        return rc;
    }
    if (*color < 0) {
        const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
        *color = !output && !output_dir && isatty(STDOUT_FILENO) && !(nc && *nc) &&
                 !(term && strcmp(term, "dumb") == 0);
    }
    f->color = *color && (caps & GZ_FMT_COLOR);
    return EXIT_OK;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* DIR/STEM + ext, where STEM is the input's file name without ".txt". */
static char *dir_target(const char *dir, const char *input, const char *ext)
{
    const char *b = base_name(input);
    size_t l = strlen(b);
    if (l > 4 && strcmp(b + l - 4, ".txt") == 0)
        l -= 4;
    gz_buf p = {0};
    gz_buf_printf(&p, "%s/%.*s%s", dir, (int)l, b, ext);
    return p.data;
}

/* --output-dir takes regular files only, with distinct names. */
static int check_output_dir(const char *dir, char *const *paths, size_t npaths,
                            const gz_run_opts *ro)
{
    if (!is_dir(dir)) {
        errorf("output folder '%s' does not exist or is not a folder", dir);
        return EXIT_USAGE;
    }
    if (ro->input != GZ_INPUT_TEXT)
        return usage_error("tag", "--output-dir works with --input text only");
    if (npaths == 0)
        return usage_error("tag", "--output-dir needs input files (not standard input)");
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 || !S_ISREG(st.st_mode))
            return usage_error("tag", "--output-dir takes files only: '%s' is not a file",
                               paths[i]);
        char *a = dir_target(dir, paths[i], "");
        for (size_t j = 0; j < i; j++) {
            char *b = dir_target(dir, paths[j], "");
            int same = strcmp(a, b) == 0;
            free(b);
            if (same) {
                errorf("'%s' and '%s' would both be written to '%s'", paths[j], paths[i], a);
                free(a);
                return EXIT_USAGE;
            }
        }
        free(a);
    }
    return EXIT_OK;
}

/* Create a new file beside target (which is DIR/NAME) for its contents:
 * DIR/.NAME.XXXXXXXX.tmp, hidden so that a walk of DIR skips it.  O_EXCL
 * with O_NOFOLLOW never opens an existing file or follows a link planted
 * in DIR, so nothing outside DIR is written and concurrent runs each get
 * their own file.  Returns the descriptor and sets *tmp (to free), or -1
 * with errno. */
static int open_temp(const char *target, char **tmp)
{
    static unsigned long seq;
    const char *b = base_name(target);
    int dirlen = (int)(b - target);
    for (int attempt = 0; attempt < 64; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long x = ((unsigned long)getpid() << 16) ^ (unsigned long)ts.tv_nsec ^
                          (++seq * 0x9E3779B1UL);
        gz_buf p = {0};
        gz_buf_printf(&p, "%.*s.%s.%08lx.tmp", dirlen, target, b, x & 0xFFFFFFFFUL);
        int fd = open(p.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp = p.data;
            return fd;
        }
        int e = errno;
        gz_buf_free(&p);
        if (e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

/* Copy the text of input to the new file fd (named path in messages), each
 * ill-formed UTF-8 unit replaced by U+FFFD, so that brat reads it and its
 * offsets match.  Closes fd.  Reports failures. */
static int copy_text(const char *input, int fd, const char *path)
{
    /* without blocking: the file may have been replaced by a FIFO */
    int in = open(input, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (in >= 0 && (fstat(in, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(in);
        in = -1;
        errno = EINVAL;
    }
    if (in < 0) {
        errorf("cannot open '%s': %s", input, strerror(errno));
        close(fd);
        return EXIT_PARTIAL;
    }
    fcntl(in, F_SETFL, fcntl(in, F_GETFL) & ~O_NONBLOCK);
    gz_out *o = gz_out_new(fd);
    gz_buf text = {0}, clean = {0};
    int rc = EXIT_OK, eof = 0;
    while (!eof && rc == EXIT_OK) {
        gz_buf_reserve(&text, 65536);
        ssize_t n = read(in, text.data + text.len, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorf("'%s': read error: %s", input, strerror(errno));
            rc = EXIT_PARTIAL;
            break;
        }
        eof = n == 0;
        text.len += (size_t)n;
        clean.len = 0;
        size_t used = gz_utf8_sanitize(&clean, text.data, text.len, eof);
        memmove(text.data, text.data + used, text.len - used);
        text.len -= used;
        if (clean.len && gz_out_write(o, clean.data, clean.len) < 0)
            rc = EXIT_USAGE;
    }
    int werr = gz_out_free(o) < 0 || rc == EXIT_USAGE ? errno : 0;
    if (close(fd) != 0 && !werr)
        werr = errno;
    if (werr) {
        errorf("cannot write '%s': %s", path, strerror(werr));
        rc = EXIT_USAGE;
    }
    close(in);
    gz_buf_free(&text);
    gz_buf_free(&clean);
    return rc;
}

/* Tag input into the new file fd (named target in messages) and close it.
 * Returns the exit code. */
static int tag_one_to(const gz_engine *e, const gz_run_opts *ro, char *input, int fd,
                      const char *target, tag_ui *ui)
{
    gz_out *out = gz_out_new(fd);
    int werr = 0;
    int st = gz_corpus_run(e, ro, &input, 1, out, diag_print, ui, &werr);
    if (gz_out_free(out) < 0 && st == GZ_RUN_OK) {
        werr = errno;
        st = GZ_RUN_WRITE_ERROR;
    }
    if (close(fd) != 0 && st != GZ_RUN_WRITE_ERROR) {
        werr = errno;
        st = GZ_RUN_WRITE_ERROR;
    }
    if (st == GZ_RUN_OK)
        return EXIT_OK;
    if (st == GZ_RUN_PARTIAL)
        return EXIT_PARTIAL;
    if (st == GZ_RUN_INTERRUPTED)
        return 128 + got_signal;
    errorf("cannot write '%s': %s", target, strerror(werr));
    return EXIT_USAGE;
}

/* Tag each input into its own file in dir.  Each file is written under a
 * temporary name and renamed into place once complete, so an output file
 * is either the old one or a whole new one, and rename replaces a link in
 * dir rather than writing through it.  Returns the exit code. */
static int tag_to_dir(const gz_engine *e, const gz_run_opts *ro, const char *dir,
                      char *const *paths, size_t npaths, tag_ui *ui)
{
    int rc = EXIT_OK;
    int brat = (gz_format_caps(ro->fmt.format) & GZ_FMT_TEXT_COPY) != 0;
    for (size_t i = 0; i < npaths && rc < EXIT_USAGE && !got_signal; i++) {
        char *target = dir_target(dir, paths[i], gz_format_ext(ro->fmt.format));
        char *txt = dir_target(dir, paths[i], ".txt");
        char *tmp = NULL, *tmp_txt = NULL;
        const char *bad = output_is_input(target, paths, npaths) ? target
                          : brat && output_is_input(txt, paths, npaths) ? txt : NULL;
        int r = EXIT_OK;
        if (bad) {
            errorf("refusing to overwrite input file '%s' (choose another --output-dir)", bad);
            r = EXIT_USAGE;
            goto next;
        }
        int fd = open_temp(target, &tmp);
        if (fd < 0) {
            errorf("cannot create a file in '%s': %s", dir, strerror(errno));
            r = EXIT_USAGE;
            goto next;
        }
        r = tag_one_to(e, ro, paths[i], fd, target, ui);
        if (r < EXIT_USAGE && brat) {
            int tfd = open_temp(txt, &tmp_txt);
            if (tfd < 0) {
                errorf("cannot create a file in '%s': %s", dir, strerror(errno));
                r = EXIT_USAGE;
                goto next;
            }
            int c = copy_text(paths[i], tfd, txt);
            if (c > r)
                r = c;
        }
        if (r >= EXIT_USAGE)
            goto next;  /* an error or a signal: the temporary files go */
        if (tmp_txt && rename(tmp_txt, txt) != 0) {
            errorf("cannot write '%s': %s", txt, strerror(errno));
            r = EXIT_USAGE;
            goto next;
        }
        free(tmp_txt);
        tmp_txt = NULL;
        if (rename(tmp, target) != 0) {
            errorf("cannot write '%s': %s", target, strerror(errno));
            r = EXIT_USAGE;
        }
    next:
        if (r >= EXIT_USAGE) {
            if (tmp)
                unlink(tmp);
            if (tmp_txt)
                unlink(tmp_txt);
        }
        if (r > rc)
            rc = r;
        free(tmp);
        free(tmp_txt);
        free(target);
        free(txt);
    }
    if (got_signal && rc < EXIT_USAGE)
        rc = 128 + got_signal;  /* stopped between two files */
    return rc;
}

static int cmd_tag(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"dict", required_argument, NULL, 'd'},
        {"no-default-dicts", no_argument, NULL, OPT_NO_DEFAULT_DICTS},
        {"image", required_argument, NULL, OPT_IMAGE},
        {"rules", required_argument, NULL, 'r'},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"output", required_argument, NULL, 'o'},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"all-candidates", no_argument, NULL, OPT_ALL_CANDIDATES},
        {"no-acronyms", no_argument, NULL, OPT_NO_ACRONYMS},
        {"no-variants", no_argument, NULL, OPT_NO_VARIANTS},
        {"no-propagation", no_argument, NULL, OPT_NO_PROPAGATION},
        {"words", required_argument, NULL, OPT_WORDS},
        {"no-words", no_argument, NULL, OPT_NO_WORDS},
        {"jobs", required_argument, NULL, 'j'},
        {"hidden", no_argument, NULL, OPT_HIDDEN},
        {"follow", no_argument, NULL, OPT_FOLLOW},
        {"input", required_argument, NULL, OPT_INPUT},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"max-line-bytes", required_argument, NULL, OPT_MAX_LINE_BYTES},
        {"binary", required_argument, NULL, OPT_BINARY},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"format", required_argument, NULL, 'f'},
        {"color", optional_argument, NULL, OPT_COLOR},
        {"colour", optional_argument, NULL, OPT_COLOR},
        {"offsets", required_argument, NULL, OPT_OFFSETS},
        {"count", no_argument, NULL, OPT_COUNT},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"no-header", no_argument, NULL, OPT_NO_HEADER},
        {"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    load_opts lo = {0};
    lo.default_dicts = lo.default_rules = 1;
    lo.dicts = gz_xcalloc((size_t)argc, sizeof *lo.dicts);
    lo.images = gz_xcalloc((size_t)argc, sizeof *lo.images);
    lo.rules = gz_xcalloc((size_t)argc, sizeof *lo.rules);
    gz_run_opts ro = {0};
    ro.fmt.header = 1;
    ro.fmt.format = gz_format_at(0);
    const char *output = NULL, *output_dir = NULL;
    int color = -1;  /* auto */
    tag_ui ui = {0};
    int no_progress = 0;
    int rc = EXIT_OK, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":d:r:o:j:f:vhV", longopts, NULL)) != -1) {
        if (engine_option(&lo, c, optarg))
            continue;
        switch (c) {
        case 'o': output = optarg; break;
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
        case OPT_MAX_LINE_BYTES: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
            if (shift)
                end++;
            if (end == optarg || *end || errno || v == 0 || *optarg == '-' || *optarg == '+' ||
                *optarg == ' ' || v > (SIZE_MAX >> 1 >> shift)) {
                rc = usage_error("tag", "invalid --max-line-bytes '%s' (expected a positive "
                                 "number of bytes, with K, M or G for KiB, MiB, GiB)", optarg);
                goto done;
            }
            ro.max_line = (size_t)(v << shift);
            break;
        }
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
        case 'f':
            ro.fmt.format = gz_format_find(optarg);
            if (!ro.fmt.format) {
                gz_buf list = {0};
                gz_format_list(&list, 0, "or", 0);
                rc = usage_error("tag", "invalid --format '%s' (expected %s)", optarg, list.data);
                gz_buf_free(&list);
                goto done;
            }
            break;
        case OPT_COLOR:
            if (!optarg || strcmp(optarg, "always") == 0)
                color = 1;
            else if (strcmp(optarg, "never") == 0)
                color = 0;
            else if (strcmp(optarg, "auto") == 0)
                color = -1;
            else {
                rc = usage_error("tag", "invalid --color '%s' (expected auto, always or never)",
                                 optarg);
                goto done;
            }
            break;
        case OPT_OFFSETS:
            if (strcmp(optarg, "bytes") == 0 || strcmp(optarg, "chars") == 0)
                ro.fmt.chars = optarg[0] == 'c';
            else {
                rc = usage_error("tag", "invalid --offsets '%s' (expected bytes or chars)",
                                 optarg);
                goto done;
            }
            break;
        case OPT_COUNT: ro.fmt.count = 1; break;
        case OPT_EXPLAIN: ro.fmt.explain = 1; break;
        case OPT_NO_HEADER: ro.fmt.header = 0; break;
        case OPT_OUTPUT_DIR: output_dir = optarg; break;
        case 'v': ui.verbose = 1; break;
        case 'h': {
            gz_buf list = {0};
            gz_format_list(&list, 0, "or", 1);
            printf(tag_help, list.data);
            gz_buf_free(&list);
            rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
            goto done;
        }
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
    rc = check_format_opts(&ro.fmt, output, output_dir, &color);
    if (rc != EXIT_OK)
        goto done;
    if (output && output_is_input(output, paths, npaths)) {
        errorf("refusing to write the output to input file '%s'", output);
        rc = EXIT_USAGE;
        goto done;
    }
    const char *what = NULL;
    if (output && output_is_loaded(output, &lo, &what)) {
        errorf("refusing to write the output to %s '%s'", what, output);
        rc = EXIT_USAGE;
        goto done;
    }
    if (output_dir && (rc = check_output_dir(output_dir, paths, npaths, &ro)) != EXIT_OK)
        goto done;
    for (size_t i = 0; output_dir && i < npaths; i++) {
        int brat = (gz_format_caps(ro.fmt.format) & GZ_FMT_TEXT_COPY) != 0;
        char *target = dir_target(output_dir, paths[i], gz_format_ext(ro.fmt.format));
        char *txt = dir_target(output_dir, paths[i], ".txt");
        const char *hit = output_is_loaded(target, &lo, &what);
        if (!hit && brat)
            hit = output_is_loaded(txt, &lo, &what);
        if (hit)
            errorf("refusing to overwrite %s '%s' (choose another --output-dir)", what, hit);
        free(target);
        free(txt);
        if (hit) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    gz_engine *e = load_engine(&lo);
    if (!e) {
        rc = EXIT_USAGE;
        goto done;
    }
    catch_signals(&ro);
    if (output_dir) {
        ui.progress = 0;
        rc = tag_to_dir(e, &ro, output_dir, paths, npaths, &ui);
        gz_engine_free(e);
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
    case GZ_RUN_INTERRUPTED: rc = 128 + got_signal; break;
    default:
        errorf("cannot write '%s': %s", output ? output : "(stdout)", strerror(werr));
        rc = EXIT_USAGE;
    }
    gz_engine_free(e);
done:
    free(lo.dicts);
    free(lo.images);
    free(lo.rules);
    return rc;
}

/* ---- compile ---- */

static const char compile_help[] =
    "Usage: gaztag compile [OPTIONS] -o IMAGE\n"
    "       gaztag compile --verify IMAGE\n"
    "Compile dictionaries into an image that 'gaztag tag --image IMAGE' maps and\n"
    "uses in place, with no parsing at start-up; tagging with it gives the same\n"
    "output as loading the same dictionaries.  Compile again after changing any.\n"
    "\n"
    "  -o, --output IMAGE       write the image to IMAGE\n"
    "  -d, --dict FILE          add a dictionary (repeatable; the later wins ties)\n"
    "      --no-default-dicts   do not include the bundled dictionaries\n"
    "      --fold-diacritics    let every entry match without its diacritics (the\n"
    "                           image must then be used with --fold-diacritics)\n"
    "      --verify IMAGE       check the whole image, and print what it holds\n"
    "\n"
    "Exit status: 0 written (or verified), 2 usage error, bad dictionary, or an\n"
    "image that could not be written or is damaged.\n";

static int cmd_compile(int argc, char **argv)
{
    gz_roles *roles = NULL;
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"dict", required_argument, NULL, 'd'},
        {"no-default-dicts", no_argument, NULL, OPT_NO_DEFAULT_DICTS},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"verify", required_argument, NULL, OPT_VERIFY},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char **dicts = gz_xcalloc((size_t)argc, sizeof *dicts);
    size_t ndicts = 0;
    const char *output = NULL, *verify = NULL;
    int defaults = 1, fold = 0, rc = EXIT_USAGE, c;
    char *datadir = NULL;
    char **files = NULL;
    size_t nfiles = 0;
    gz_error err = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:d:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'd': dicts[ndicts++] = optarg; break;
        case OPT_NO_DEFAULT_DICTS: defaults = 0; break;
        case OPT_FOLD_DIACRITICS: fold = 1; break;
        case OPT_VERIFY: verify = optarg; break;
        case 'h':
            fputs(compile_help, stdout);
            rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
            goto done;
        case 'V':
            rc = print_version();
            goto done;
        case ':':
            rc = usage_error("compile", "option '%s' needs an argument", argv[optind - 1]);
            goto done;
        default:
            rc = usage_error("compile", "unknown option '%s'", argv[optind - 1]);
            goto done;
        }
    }
    if (optind < argc) {
        rc = usage_error("compile", "unexpected argument '%s'", argv[optind]);
        goto done;
    }
    if (verify) {
        if (output || ndicts || !defaults || fold) {
            rc = usage_error("compile", "--verify takes no other option");
            goto done;
        }
        gz_image_info info;
        if (gz_image_verify(verify, &info, &err) < 0) {
            report(&err);
            goto done;
        }
        printf("%s: ok: %zu entries, %zu names and aliases, %zu dictionaries, %zu bytes\n",
               verify, info.entries, info.forms, info.sources, info.bytes);
        rc = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_USAGE;
        goto done;
    }
    if (!output) {
        rc = usage_error("compile", "no image file given (-o IMAGE)");
        goto done;
    }
    datadir = find_datadir();
    if (defaults) {
        files = list_tsv(datadir, &nfiles);
        if (!files) {
            errorf("cannot read the bundled dictionaries in '%s': %s (set GAZTAG_DATA or use "
                   "--no-default-dicts)", datadir, strerror(errno));
            goto done;
        }
    }
    /* the image keeps the roles of its types, from the bundled types file */
    roles = gz_roles_new();
    char types[PATH_MAX + 16];
    snprintf(types, sizeof types, "%s/types.txt", datadir);
    if ((access(types, F_OK) == 0 && gz_roles_load(roles, types, &err) < 0) ||
        gz_image_compile((const char *const *)files, nfiles, dicts, ndicts,
                         fold ? GZ_GAZ_FOLD_DIACRITICS : 0, roles, output, &err) < 0) {
        report(&err);
        goto done;
    }
    rc = EXIT_OK;
done:
    gz_roles_free(roles);
    if (files)
        free_list(files, nfiles);
    free(datadir);
    free(dicts);
    return rc;
}

/* ---- eval, dict-from-conll, lint ---- */

static const char eval_help[] =
    "Usage: gaztag eval --gold FILE [OPTIONS] [PRED]\n"
    "Score predicted mentions against gold annotations (exact span and type, as\n"
    "conlleval) and print precision, recall and F1 per type and overall.\n"
    "\n"
    "PRED is gaztag TSV output or a CoNLL file with the gold's tokens ('-' for\n"
    "standard input).  Without PRED, CoNLL and brat gold are tagged here: a\n"
    "CoNLL document's text is its tokens joined by single spaces, one sentence\n"
    "per line; TSV gold reads the predictions from standard input.  TSV\n"
    "predictions over CoNLL gold name each document by its number (1.txt, ...).\n"
    "\n"
    "  -g, --gold FILE          the gold annotations\n"
    "      --gold-format FMT    conll, brat (FILE.ann beside FILE.txt) or tsv\n"
    "                           (default: from the file name, else conll)\n"
    "      --map MAP            predicted type to gold type, comma-separated\n"
    "                           (default " GZ_EVAL_DEFAULT_MAP ");\n"
    "                           other predicted types are not scored\n"
    "      --errors             list false negatives and false positives first\n"
    "\n"
    "Dictionaries and rules when tagging (as for 'gaztag tag'):\n"
    "  -d, --dict FILE          add a dictionary (repeatable; the later wins ties)\n"
    "      --no-default-dicts   do not load the bundled dictionaries\n"
    "  -r, --rules FILE         add a rule file (repeatable)\n"
    "      --no-default-rules   do not load the bundled rules\n"
    "      --fold-diacritics    let every entry match without its diacritics\n"
    "\n"
    "Exit status: 0 scored, 1 scored but some document was tagged only in\n"
    "part, 2 could not score (usage, unreadable or malformed file).\n";

static const char dict_from_conll_help[] =
    "Usage: gaztag dict-from-conll TRAIN\n"
    "Print the entities of a CoNLL training file ('-' for standard input) as a\n"
    "gaztag dictionary: name, type, id.  Each name gets its most frequent type\n"
    "(PER becomes PERSON, LOC becomes PLACE, other types are kept; ties go to\n"
    "the type first in byte order) and the id conll:NAME (case-folded).\n";

static const char lint_help[] =
    "Usage: gaztag lint [OPTIONS] [DICT...]\n"
    "Check dictionaries (default: the bundled ones) and print one line per\n"
    "problem on standard output, FILE:LINE[:COLUMN]: message: malformed rows,\n"
    "names shared by entries of different types and ids, names that are\n"
    "common lower-case English words, names that can never match.\n"
    "\n"
    "      --words FILE         the common-word list (default: lint-common-words.txt\n"
    "                           in the bundled data folder, when present)\n"
    "      --no-words           skip the common-word check\n"
    "      --fold-diacritics    load as 'gaztag tag --fold-diacritics' would\n"
    "\n"
    "Exit status: 0 no problem, 1 problems found, 2 usage error or a file\n"
    "that could not be read.\n";

/* Read a whole file ("-": standard input) into b; reports and returns -1. */
static int read_input(const char *path, gz_buf *b)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        errorf("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        gz_buf_reserve(b, 65536);
        ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorf("cannot read '%s': %s", strcmp(path, "-") == 0 ? "(stdin)" : path,
                   strerror(errno));
            if (fd != STDIN_FILENO)
                close(fd);
            return -1;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    return 0;
}

/* Write b to standard output; returns the exit code (a closed pipe is 0). */
static int write_stdout(const gz_buf *b, int rc)
{
    if (b->len)
        fwrite(b->data, 1, b->len, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE)
            return rc;
        errorf("cannot write '(stdout)': %s", strerror(errno));
        return EXIT_USAGE;
    }
    return rc;
}

enum {
    OPT_EV_GOLD_FORMAT = 400,
    OPT_EV_MAP,
    OPT_EV_ERRORS,
    OPT_LINT_WORDS,
    OPT_LINT_NO_WORDS
};

static int gold_format_of(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".ann") == 0)
        return GZ_GOLD_BRAT;
    if (n > 4 && strcmp(path + n - 4, ".tsv") == 0)
        return GZ_GOLD_TSV;
    return GZ_GOLD_CONLL;
}

static int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"gold", required_argument, NULL, 'g'},
        {"gold-format", required_argument, NULL, OPT_EV_GOLD_FORMAT},
        {"map", required_argument, NULL, OPT_EV_MAP},
        {"errors", no_argument, NULL, OPT_EV_ERRORS},
        {"dict", required_argument, NULL, 'd'},
        {"no-default-dicts", no_argument, NULL, OPT_NO_DEFAULT_DICTS},
        {"rules", required_argument, NULL, 'r'},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    load_opts lo = {0};
    lo.default_dicts = lo.default_rules = 1;
    lo.dicts = gz_xcalloc((size_t)argc, sizeof *lo.dicts);
    lo.images = gz_xcalloc((size_t)argc, sizeof *lo.images);
    lo.rules = gz_xcalloc((size_t)argc, sizeof *lo.rules);
    const char *gold = NULL, *map = NULL;
    int format = -1, errors = 0, rc = EXIT_OK, c;
    gz_typemap *tm = NULL;
    gz_gold *g = NULL;
    gz_eval *ev = NULL;
    gz_engine *e = NULL;
    gz_buf gdata = {0}, pdata = {0}, out = {0};
    gz_error err = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":g:d:r:hV", longopts, NULL)) != -1) {
        if (engine_option(&lo, c, optarg))
            continue;
        switch (c) {
        case 'g': gold = optarg; break;
        case OPT_EV_MAP: map = optarg; break;
        case OPT_EV_ERRORS: errors = 1; break;
        case OPT_EV_GOLD_FORMAT:
            if (strcmp(optarg, "conll") == 0)
                format = GZ_GOLD_CONLL;
            else if (strcmp(optarg, "brat") == 0)
                format = GZ_GOLD_BRAT;
            else if (strcmp(optarg, "tsv") == 0)
                format = GZ_GOLD_TSV;
            else {
                rc = usage_error("eval", "invalid --gold-format '%s' (expected conll, brat or tsv)",
                                 optarg);
                goto done;
            }
            break;
        case 'h':
            fputs(eval_help, stdout);
            rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
            goto done;
        case 'V':
            rc = print_version();
            goto done;
        case ':':
            rc = usage_error("eval", "option '%s' needs an argument", argv[optind - 1]);
            goto done;
        default:
            rc = usage_error("eval", "unknown option '%s'", argv[optind - 1]);
            goto done;
        }
    }
    if (!gold) {
        rc = usage_error("eval", "no gold file given (--gold FILE)");
        goto done;
    }
    if (argc - optind > 1) {
        rc = usage_error("eval", "more than one prediction file given");
        goto done;
    }
    const char *pred = optind < argc ? argv[optind] : NULL;
    if (format < 0)
        format = gold_format_of(gold);
    if (format == GZ_GOLD_TSV && !pred)
        pred = "-";
    if (!(tm = gz_typemap_parse(map, &err))) {
        rc = usage_error("eval", "invalid --map: %s", err.message);
        goto done;
    }
    rc = EXIT_USAGE;
    if (read_input(gold, &gdata) < 0)
        goto done;
    if (!(g = gz_gold_parse(gold, gdata.data ? gdata.data : "", gdata.len, format, &err))) {
        report(&err);
        goto done;
    }
    ev = gz_eval_new(g, tm);
    rc = EXIT_OK;
    if (pred) {
        const char *pname = strcmp(pred, "-") == 0 ? "(stdin)" : pred;
        if (read_input(pred, &pdata) < 0 ||
            gz_eval_add_pred(ev, pname, pdata.data ? pdata.data : "", pdata.len, &err) < 0) {
            if (err.message[0])
                report(&err);
            rc = EXIT_USAGE;
            goto done;
        }
    } else {
        if (!(e = load_engine(&lo))) {
            rc = EXIT_USAGE;
            goto done;
        }
        int r = gz_eval_tag(ev, e, &err);
        if (r != 0)
            report(&err);
        if (r < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (r > 0)
            rc = EXIT_PARTIAL;
    }
    gz_eval_report(ev, errors, &out);
    rc = write_stdout(&out, rc);
done:
    gz_eval_free(ev);
    gz_gold_free(g);
    gz_typemap_free(tm);
    gz_engine_free(e);
    gz_buf_free(&gdata);
    gz_buf_free(&pdata);
    gz_buf_free(&out);
    free(lo.dicts);
    free(lo.images);
    free(lo.rules);
    return rc;
}

static int cmd_dict_from_conll(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(dict_from_conll_help, stdout);
            return fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
        case 'V':
            return print_version();
        default:
            return usage_error("dict-from-conll", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return usage_error("dict-from-conll", "expected one training file");
    const char *path = argv[optind];
    gz_buf in = {0}, out = {0};
    gz_error err = {0};
    int rc = EXIT_USAGE;
    if (read_input(path, &in) == 0) {
        if (gz_dict_from_conll(strcmp(path, "-") == 0 ? "(stdin)" : path,
                               in.data ? in.data : "", in.len, &out, &err) < 0)
            report(&err);
        else
            rc = write_stdout(&out, EXIT_OK);
    }
    gz_buf_free(&in);
    gz_buf_free(&out);
    return rc;
}

static void lint_finding(void *ctx, const char *file, long line, long column, const char *msg)
{
    (void)ctx;
    gz_buf b = {0};
    if (column)
        gz_buf_printf(&b, "%s:%ld:%ld: %s", file, line, column, msg);
    else
        gz_buf_printf(&b, "%s:%ld: %s", file, line, msg);
    gz_buf esc = {0};
    gz_term_escape(&esc, b.data, b.len, 0);
    gz_buf_addc(&esc, '\n');
    fwrite(esc.data, 1, esc.len, stdout);
    gz_buf_free(&b);
    gz_buf_free(&esc);
}

static void lint_error(void *ctx, const char *file, long line, long column, const char *msg)
{
    (void)ctx;
    (void)line;
    (void)column;
    if (!strstr(msg, file))
        errorf("'%s': %s", file, msg);
    else
        errorf("%s", msg);
}

static int cmd_lint(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"words", required_argument, NULL, OPT_LINT_WORDS},
        {"no-words", no_argument, NULL, OPT_LINT_NO_WORDS},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *words_path = NULL;
    int no_words = 0, fold = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_LINT_WORDS: words_path = optarg; break;
        case OPT_LINT_NO_WORDS: no_words = 1; break;
        case OPT_FOLD_DIACRITICS: fold = 1; break;
        case 'h':
            fputs(lint_help, stdout);
            return fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
        case 'V':
            return print_version();
        case ':':
            return usage_error("lint", "option '%s' needs an argument", argv[optind - 1]);
        default:
            return usage_error("lint", "unknown option '%s'", argv[optind - 1]);
        }
    }
    char *datadir = NULL;
    char **files = NULL;
    size_t nfiles = 0;
    int rc = EXIT_USAGE;
    gz_wordset *words = NULL;
    if (optind == argc || (!words_path && !no_words))
        datadir = find_datadir();
    if (optind == argc) {
        files = list_tsv(datadir, &nfiles);
        if (!files) {
            errorf("cannot read the bundled dictionaries in '%s': %s (set GAZTAG_DATA or "
                   "name the dictionaries)", datadir, strerror(errno));
            goto done;
        }
    }
    if (!no_words) {
        gz_error err = {0};
        char def[PATH_MAX + 32];
        if (!words_path) {
            snprintf(def, sizeof def, "%s/lint-common-words.txt", datadir);
            if (access(def, F_OK) == 0)
                words_path = def;
        }
        if (words_path && !(words = gz_wordset_load(words_path, &err))) {
            report(&err);
            goto done;
        }
    }
    size_t unreadable = 0;
    size_t found = files ? gz_lint_dicts((const char *const *)files, nfiles, words, fold,
                                         lint_finding, lint_error, NULL, &unreadable)
                         : gz_lint_dicts((const char *const *)(argv + optind),
                                         (size_t)(argc - optind), words, fold, lint_finding,
                                         lint_error, NULL, &unreadable);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE) {
            errorf("cannot write '(stdout)': %s", strerror(errno));
            goto done;
        }
    }
    rc = unreadable ? EXIT_USAGE : found ? EXIT_PARTIAL : EXIT_OK;
done:
    gz_wordset_free(words);
    if (files)
        free_list(files, nfiles);
    free(datadir);
    return rc;
}

/* Open /dev/null on any of descriptors 0, 1 and 2 that is closed, so that
 * no file opened later takes its number: with stderr closed, messages
 * would otherwise land in the -o file.  Returns -1 if one cannot be. */
static int std_fds_open(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n != fd) {
            if (n >= 0)
                close(n);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (std_fds_open() < 0)
        return EXIT_USAGE;
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
    if (strcmp(cmd, "compile") == 0)
        return cmd_compile(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0)
        return cmd_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "dict-from-conll") == 0)
        return cmd_dict_from_conll(argc - 1, argv + 1);
    if (strcmp(cmd, "lint") == 0)
        return cmd_lint(argc - 1, argv + 1);
    if (strcmp(cmd, "convert") == 0)
        return cmd_convert(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command '%s'", cmd);
}
