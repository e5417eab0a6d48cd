/* SPDX-License-Identifier: MIT */
/*
 * cmd_tag.c - `gaztag tag`: options and wiring over corpus.h and output.h.
 *
 * The options are parsed into a tag_opts and checked (format against
 * output options, outputs against inputs, dictionaries and rule files)
 * before the engine is built, so no output file is opened, truncated or
 * created for a run that cannot start.  The output goes to standard output,
 * to one -o file, or with --output-dir to one file per input, each written
 * under a temporary name and renamed into place once complete.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "corpus.h"
#include "output.h"

static const char tag_help[] =
    "Usage: gaztag tag [OPTIONS] [FILE...]\n"
    "Tag each FILE (or standard input, also as '-') and print one TSV row per\n"
    "mention: doc, start, end, text, type, id, name, source, alternatives\n"
    "(other views of the mentions: --format).\n"
    "\n"
    "Dictionaries and rules:\n"
    ENGINE_HELP_DATA
    "\n"
    "Document passes (on by default):\n"
    ENGINE_HELP_PASSES
    "\n"
    "Output:\n"
    "  -o, --output FILE        write to FILE instead of standard output\n"
    "      --all-candidates     one row per candidate entity of each mention\n"
    "      --overlapping        also the mentions a longer one covers, marked as\n"
    "                           covered (tsv, jsonl, brat, html)\n"
    "  -f, --format FORMAT      %s\n"
    "      --color[=WHEN]       colour inline output: auto (default: on a terminal\n"
    "                           unless NO_COLOR is set), always or never\n"
    "      --offsets=UNIT       bytes (default) or chars (code points, as Python\n"
    "                           counts the text decoded with errors='replace')\n"
    "      --count              print 'type id name mentions documents' per entity\n"
    "                           instead of mentions (tsv, csv, jsonl)\n"
    "      --explain            add how each mention was matched (tsv, csv, jsonl)\n"
    "      --attrs KEYS         add the entity's attributes KEYS (key1,key2,...) as\n"
    "                           columns after alternatives (tsv, csv)\n"
    "      --no-header          leave out the TSV or CSV header row (jsonl has none)\n"
    "      --output-dir DIR     one output file per input FILE, in DIR (for brat:\n"
    "                           NAME.ann beside a UTF-8 copy NAME.txt); DIR is\n"
    "                           created if missing, and folders are mirrored\n"
    "\n";
/* The help in two parts: C11 promises string literals of 4095 bytes only. */
static const char tag_help_corpus[] =
    "Corpus runs (directories are walked, entries in byte order of their names):\n"
    "  -j, --jobs N             worker threads (default: the number of CPUs)\n"
    "      --hidden             walk into files and folders whose name starts with '.'\n"
    "      --follow             follow symbolic links met while walking\n"
    "      --input FORMAT       text (default: a file is a document), lines (one\n"
    "                           ID<TAB>TEXT a line, TSV-escaped) or jsonl (one\n"
    "                           {\"id\": ..., \"text\": ...} a line)\n"
    "      --id-key KEY         --input=jsonl: the member holding the id (default id)\n"
    "      --text-key KEY       --input=jsonl: the member holding the text (default\n"
    "                           text)\n"
    "      --max-line-bytes N   refuse a longer JSON Lines line (or lines id) and\n"
    "                           go on; K, M, G: KiB, MiB, GiB (default 64M)\n"
    "      --files-from FILE    also tag the files named in FILE ('-': standard\n"
    "                           input), one a line, in that order\n"
    "  -0, --null               names in --files-from end with NUL bytes (as\n"
    "                           find -print0 writes them), not line feeds\n"
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

/* The command's settings, as parsed from its arguments. */
typedef struct tag_opts {
    engine_opts engine;         /* dictionaries, rules, engine settings */
    gz_run_opts run;            /* the corpus run and its output format */
    const char *output;         /* -o FILE, or NULL: standard output */
    const char *output_dir;     /* --output-dir DIR, or NULL */
    int color;                  /* --color: 1, 0, or -1 for auto */
    int no_progress;            /* --no-progress */
    int verbose;                /* -v */
    char *const *paths;         /* the inputs; none: standard input */
    size_t npaths;
    const char *files_from;     /* --files-from FILE, or NULL */
    int null_names;             /* -0: its names end with NUL bytes */
    char **list;                /* the names of the list (owned) */
    size_t nlist;
    char **all;                 /* the arguments, then the list's names */
    char **attrs;               /* --attrs, split at commas (owned) */
    char **rels;                /* --output-dir: each input's name in DIR (NULL:
                                   its base name); parallel to paths */
    char **walked;              /* files found in folder inputs (owned), and */
    char **walked_rels;         /* their paths relative to the folder (owned) */
    size_t nwalked;
    char **dir_paths;           /* --output-dir: the inputs, folders expanded */
    size_t walk_errors;         /* entries of folder inputs that could not be read */
} tag_opts;

enum {
    OPT_ALL_CANDIDATES = 300,
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
    OPT_MAX_LINE_BYTES,
    OPT_OVERLAPPING,
    OPT_FILES_FROM,
    OPT_ATTRS,
    OPT_ID_KEY,
    OPT_TEXT_KEY
};

/* ---- options ---- */

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

/* Take --max-line-bytes N[K|M|G]; returns 0, or the exit code of the error. */
static int take_max_line_bytes(gz_run_opts *ro, const char *arg)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (shift)
        end++;
    if (end == arg || *end || errno || v == 0 || *arg == '-' || *arg == '+' || *arg == ' ' ||
        v > (SIZE_MAX >> 1 >> shift))
        return usage_error("tag", "invalid --max-line-bytes '%s' (expected a positive "
                           "number of bytes, with K, M or G for KiB, MiB, GiB)", arg);
    ro->max_line = (size_t)(v << shift);
    return 0;
}

/* Take --shard I/N; returns 0, or the exit code of the error. */
static int take_shard(gz_run_opts *ro, const char *arg)
{
    char buf[64];
    const char *slash = strchr(arg, '/');
    long i = -1, n = -1;
    if (slash && (size_t)(slash - arg) < sizeof buf) {
        memcpy(buf, arg, (size_t)(slash - arg));
        buf[slash - arg] = '\0';
        n = parse_count(slash + 1, 1, 1000000);
        i = n > 0 ? parse_count(buf, 1, n) : -1;
    }
    if (i < 0 || n < 0)
        return usage_error("tag", "invalid --shard '%s' (expected I/N with 1 <= I <= N)", arg);
    ro->shard_i = (unsigned long)i;
    ro->shard_n = (unsigned long)n;
    return 0;
}

/* Take --format; returns 0, or the exit code of the error. */
static int take_format(gz_fmt_opts *f, const char *arg)
{
    f->format = gz_format_find(arg);
    if (f->format)
        return 0;
    gz_buf list = {0};
    gz_format_list(&list, 0, "or", 0);
    int rc = usage_error("tag", "invalid --format '%s' (expected %s)", arg, list.data);
    gz_buf_free(&list);
    return rc;
}

/* Take --color[=WHEN]; returns 0, or the exit code of the error. */
static int take_color(tag_opts *o, const char *arg)
{
    if (!arg || strcmp(arg, "always") == 0)
        o->color = 1;
    else if (strcmp(arg, "never") == 0)
        o->color = 0;
    else if (strcmp(arg, "auto") == 0)
        o->color = -1;
    else
        return usage_error("tag", "invalid --color '%s' (expected auto, always or never)", arg);
    return 0;
}

/* Take one of the options that parse a value (c, with its argument arg).
 * Returns 0, the exit code of an error, or -1 if c is not one of them. */
/* Take --attrs KEY[,KEY...]; returns 0, or the exit code of the error. */
static int take_attrs(tag_opts *o, const char *arg)
{
    for (size_t i = 0; i < o->run.fmt.n_attrs; i++)
        free(o->attrs[i]);
    free(o->attrs);
    size_t n = 1;
    for (const char *p = arg; *p; p++)
        n += *p == ',';
    o->attrs = gz_xcalloc(n, sizeof *o->attrs);
    o->run.fmt.attrs = o->attrs;
    o->run.fmt.n_attrs = 0;
    for (const char *p = arg;;) {
        size_t len = strcspn(p, ",");
        if (!len)
            return usage_error("tag", "invalid --attrs '%s' (expected KEY[,KEY...])", arg);
        o->attrs[o->run.fmt.n_attrs++] = gz_xstrndup(p, len);
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

static int take_value(tag_opts *o, int c, const char *arg)
{
    gz_run_opts *ro = &o->run;
    long j;
    switch (c) {
    case 'j':
        if ((j = parse_count(arg, 1, 1024)) < 0)
            return usage_error("tag", "invalid --jobs '%s' (expected 1 to 1024)", arg);
        ro->jobs = (int)j;
        return 0;
    case OPT_INPUT:
        if (strcmp(arg, "text") == 0)
            ro->input = GZ_INPUT_TEXT;
        else if (strcmp(arg, "lines") == 0)
            ro->input = GZ_INPUT_LINES;
        else if (strcmp(arg, "jsonl") == 0)
            ro->input = GZ_INPUT_JSONL;
        else
            return usage_error("tag", "invalid --input '%s' (expected text, lines or jsonl)",
                               arg);
        return 0;
    case OPT_BINARY:
        if (strcmp(arg, "skip") != 0 && strcmp(arg, "tag") != 0)
            return usage_error("tag", "invalid --binary '%s' (expected skip or tag)", arg);
        ro->binary_tag = strcmp(arg, "tag") == 0;
        return 0;
    case OPT_OFFSETS:
        if (strcmp(arg, "bytes") != 0 && strcmp(arg, "chars") != 0)
            return usage_error("tag", "invalid --offsets '%s' (expected bytes or chars)", arg);
        ro->fmt.chars = arg[0] == 'c';
        return 0;
    case OPT_ATTRS: return take_attrs(o, arg);
    case OPT_MAX_LINE_BYTES: return take_max_line_bytes(ro, arg);
    case OPT_SHARD: return take_shard(ro, arg);
    case 'f': return take_format(&ro->fmt, arg);
    case OPT_COLOR: return take_color(o, arg);
    default: return -1;
    }
}

static int print_tag_help(void)
{
    gz_buf list = {0};
    gz_format_list(&list, 0, "or", 1);
    printf(tag_help, list.data);
    fputs(tag_help_corpus, stdout);
    gz_buf_free(&list);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
}

/* Parse the arguments into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, tag_opts *o)
{
    static const struct option longopts[] = {
        ENGINE_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"all-candidates", no_argument, NULL, OPT_ALL_CANDIDATES},
        {"overlapping", no_argument, NULL, OPT_OVERLAPPING},
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
        {"files-from", required_argument, NULL, OPT_FILES_FROM},
        {"attrs", required_argument, NULL, OPT_ATTRS},
        {"id-key", required_argument, NULL, OPT_ID_KEY},
        {"text-key", required_argument, NULL, OPT_TEXT_KEY},
        {"null", no_argument, NULL, '0'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c, rc;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" ENGINE_SHORTOPTS "o:j:f:0vhV", longopts, NULL)) !=
           -1) {
        if (engine_opts_take(&o->engine, c, optarg))
            continue;
        if ((rc = take_value(o, c, optarg)) >= 0) {
            if (rc != 0)
                return rc;
            continue;
        }
        switch (c) {
        case 'o': o->output = optarg; break;
        case OPT_ALL_CANDIDATES: o->run.fmt.all_candidates = 1; break;
        case OPT_OVERLAPPING:
            o->run.fmt.overlapping = 1;
            o->engine.engine.overlapping = 1;
            break;
        case OPT_HIDDEN: o->run.hidden = 1; break;
        case OPT_FOLLOW: o->run.follow = 1; break;
        case OPT_NO_PROGRESS: o->no_progress = 1; break;
        case OPT_COUNT: o->run.fmt.count = 1; break;
        case OPT_EXPLAIN: o->run.fmt.explain = 1; break;
        case OPT_NO_HEADER: o->run.fmt.header = 0; break;
        case OPT_OUTPUT_DIR: o->output_dir = optarg; break;
        case OPT_FILES_FROM: o->files_from = optarg; break;
        case OPT_ID_KEY: o->run.id_key = optarg; break;
        case OPT_TEXT_KEY: o->run.text_key = optarg; break;
        case '0': o->null_names = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h': return print_tag_help();
        case 'V': return print_version();
        default:
            return option_error("tag", c, argv);
        }
    }
    o->paths = argv + optind;
    o->npaths = (size_t)(argc - optind);
    if (o->null_names && !o->files_from)
        return usage_error("tag", "-0 needs --files-from");
    if ((o->run.id_key || o->run.text_key) && o->run.input != GZ_INPUT_JSONL)
        return usage_error("tag", "%s works with --input=jsonl only",
                           o->run.id_key ? "--id-key" : "--text-key");
    return -1;
}

/* --files-from: the inputs become the arguments, then the names of the
 * list, in order.  Returns -1 to go on, else an exit code. */
static int read_files_from(tag_opts *o)
{
    const char *f = o->files_from;
    int from_stdin = strcmp(f, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(f, O_RDONLY);
    if (fd < 0) {
        errorf("cannot open file list '%s': %s", f, strerror(errno));
        return EXIT_USAGE;
    }
    size_t bad = 0;
    int rc = gz_read_path_list(fd, o->null_names, &o->list, &o->nlist, &bad);
    int err = errno;
    if (!from_stdin)
        close(fd);
    const char *shown = from_stdin ? "(stdin)" : f;
    if (rc == -1) {
        errorf("cannot read file list '%s': %s", shown, strerror(err));
        return EXIT_USAGE;
    }
    if (rc == -2) {
        errorf("%s:%zu: a name holds a NUL byte (for NUL-separated names: -0)", shown, bad);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < o->nlist; i++)
        if (from_stdin && strcmp(o->list[i], "-") == 0)
            return usage_error("tag", "the file list is standard input: it cannot name '-'");
    o->all = gz_xcalloc(o->npaths + o->nlist + 1, sizeof *o->all);
    memcpy(o->all, o->paths, o->npaths * sizeof *o->all);
    if (o->nlist)
        memcpy(o->all + o->npaths, o->list, o->nlist * sizeof *o->all);
    o->run.no_stdin = 1;
    o->paths = o->all;
    o->npaths += o->nlist;
    return -1;
}

/* ---- checks before the run ---- */

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

/* The dictionary or rule file of eo that out names (the same file by
 * device and inode, whatever the path), or NULL.  *what says which. */
static const char *output_is_loaded(const char *out, const engine_opts *eo, const char **what)
{
    struct stat so, si;
    if (stat(out, &so) != 0)
        return NULL;
    for (size_t i = 0; i < eo->ndicts + eo->nrules; i++) {
        const char *p = i < eo->ndicts ? eo->dicts[i] : eo->rules[i - eo->ndicts];
        if (stat(p, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
            *what = i < eo->ndicts ? "dictionary" : "rule file";
            return p;
        }
    }
    return NULL;
}

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
        {offsetof(gz_fmt_opts, overlapping), 1, GZ_FMT_OVERLAPS, "--overlapping",
         " (it cannot show one mention inside another)"},
    };
    if (output && output_dir)
        return usage_error("tag", "--output and --output-dir cannot be used together");
    unsigned caps = gz_format_caps(f->format);
    if (f->n_attrs && f->count)
        return usage_error("tag", "--attrs cannot be used with --count");
    if (f->n_attrs && !(caps & GZ_FMT_ATTR_COLUMNS)) {
        gz_buf list = {0};
        gz_format_list(&list, GZ_FMT_ATTR_COLUMNS, "and", 0);
        int rc = usage_error("tag", "--attrs works with %s output, not '%s'%s", list.data,
                             gz_format_name(f->format),
                             caps & GZ_FMT_TABULAR ? " (jsonl has every attribute in attrs)"
                                                   : "");
        gz_buf_free(&list);
        return rc;
    }
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
/* DIR/NAME+ext for the input paths[i], NAME being its path in a folder
 * input (rels[i]) or its base name, without ".txt". */
static char *dir_target(const char *dir, char *const *paths, char *const *rels, size_t i,
                        const char *ext)
{
    const char *b = rels && rels[i] ? rels[i] : base_name(paths[i]);
    size_t l = strlen(b);
    if (l > 4 && strcmp(b + l - 4, ".txt") == 0)
        l -= 4;
    gz_buf p = {0};
    gz_buf_printf(&p, "%s/%.*s%s", dir, (int)l, b, ext);
    return p.data;
}

/* Create the folders of path that are missing, as mkdir -p does; from
 * offset skip on, an existing component must be a real folder, not a link
 * (the parts of DIR below the output folder).  Returns 0, or -1 after
 * saying why. */
static int make_dirs(const char *path, size_t skip)
{
    if (!*path) {
        errorf("the output folder name is empty");
        return -1;
    }
    char *p = gz_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s && *s != '/')
            continue;
        char c = *s;
        *s = '\0';
        struct stat st;
        if ((size_t)(s - p) > skip && lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
            errorf("refusing to write through the link '%s' in the output folder", p);
            rc = -1;
        } else if (stat(p, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                errorf("cannot create the folder '%s': a file is in the way", p);
                rc = -1;
            }
        } else if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            errorf("cannot create the folder '%s': %s", p, strerror(errno));
            rc = -1;
        }
        *s = c;
        if (rc || !c)
            break;
    }
    free(p);
    return rc;
}

/* The folders of DIR/SUB/NAME (target) below DIR, created where missing;
 * none of them may be a link. */
static int make_parent_dirs(const char *dir, const char *target)
{
    char *parent = gz_xstrdup(target);
    *strrchr(parent, '/') = '\0';
    int rc = make_dirs(parent, strlen(dir));
    free(parent);
    return rc;
}

/* --output-dir takes regular files only (folders are expanded before),
 * with distinct names; DIR is created if missing.  A missing file is left
 * to the run, which names it as skipped. */
static int check_output_dir(const char *dir, char *const *paths, char *const *rels,
                            size_t npaths, const gz_run_opts *ro)
{
    if (!is_dir(dir) && make_dirs(dir, 0) != 0)
        return EXIT_USAGE;
    if (ro->input != GZ_INPUT_TEXT)
        return usage_error("tag", "--output-dir works with --input text only");
    if (npaths == 0)
        return usage_error("tag", "--output-dir needs input files (not standard input)");
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        /* a file that cannot be found is named as skipped when its turn
         * comes, like any document that cannot be read (exit 1) */
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) != 0)
            continue;
        if (strcmp(paths[i], "-") == 0 || !S_ISREG(st.st_mode))
            return usage_error("tag", "--output-dir takes files only: '%s' is not a file",
                               paths[i]);
        char *a = dir_target(dir, paths, rels, i, "");
        for (size_t j = 0; j < i; j++) {
            char *b = dir_target(dir, paths, rels, j, "");
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

/* Refuse an --output-dir file (or brat's text copy) that would overwrite a
 * dictionary or rule file of the run. */
static int check_dir_targets(const tag_opts *o)
{
    int brat = (gz_format_caps(o->run.fmt.format) & GZ_FMT_TEXT_COPY) != 0;
    for (size_t i = 0; i < o->npaths; i++) {
        const char *what = NULL;
        char *target = dir_target(o->output_dir, o->paths, o->rels, i,
                                  gz_format_ext(o->run.fmt.format));
        char *txt = dir_target(o->output_dir, o->paths, o->rels, i, ".txt");
        const char *hit = output_is_loaded(target, &o->engine, &what);
        if (!hit && brat)
            hit = output_is_loaded(txt, &o->engine, &what);
        if (hit)
            errorf("refusing to overwrite %s '%s' (choose another --output-dir)", what, hit);
        free(target);
        free(txt);
        if (hit)
            return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Check the options together before anything is loaded or opened.
 * Returns -1 to go on, else an exit code. */
static void list_diag(void *ctx, const char *doc, const char *msg)
{
    errorf("%s", msg);
}

/* --output-dir: replace each folder input by the files a walk of it finds,
 * in order, each to be written at its path relative to the folder. */
static void expand_folders(tag_opts *o)
{
    size_t *upto = gz_xcalloc(o->npaths + 1, sizeof *upto);  /* walked so far */
    size_t files = 0;
    for (size_t i = 0; i < o->npaths; i++) {
        if (strcmp(o->paths[i], "-") != 0 && is_dir(o->paths[i]))
            o->walk_errors += gz_corpus_list_dir(&o->run, o->paths[i], &o->walked,
                                                 &o->walked_rels, &o->nwalked, list_diag, NULL);
        else
            files++;
        upto[i] = o->nwalked;
    }
    o->dir_paths = gz_xcalloc(files + o->nwalked + 1, sizeof *o->dir_paths);
    o->rels = gz_xcalloc(files + o->nwalked + 1, sizeof *o->rels);
    size_t k = 0, w = 0;
    for (size_t i = 0; i < o->npaths; i++) {
        if (upto[i] == w && !(strcmp(o->paths[i], "-") != 0 && is_dir(o->paths[i]))) {
            o->dir_paths[k++] = o->paths[i];
            continue;
        }
        for (; w < upto[i]; w++, k++) {
            o->dir_paths[k] = o->walked[w];
            o->rels[k] = o->walked_rels[w];
        }
    }
    free(upto);
    o->paths = o->dir_paths;
    o->npaths = k;
}

static int check_outputs(tag_opts *o)
{
    const char *what = NULL;
    int rc = check_format_opts(&o->run.fmt, o->output, o->output_dir, &o->color);
    if (rc != EXIT_OK)
        return rc;
    if (o->output && output_is_input(o->output, o->paths, o->npaths)) {
        errorf("refusing to write the output to input file '%s'", o->output);
        return EXIT_USAGE;
    }
    if (o->output && output_is_loaded(o->output, &o->engine, &what)) {
        errorf("refusing to write the output to %s '%s'", what, o->output);
        return EXIT_USAGE;
    }
    if (o->output_dir) {
        expand_folders(o);
        if ((rc = check_output_dir(o->output_dir, o->paths, o->rels, o->npaths, &o->run)) !=
            EXIT_OK)
            return rc;
        if ((rc = check_dir_targets(o)) != EXIT_OK)
            return rc;
    }
    return -1;
}

/* ---- what a run shows on stderr ---- */

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

/* ---- --output-dir: one file per input ---- */

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
        return stopped_exit_code();
    errorf("cannot write '%s': %s", target, strerror(werr));
    return EXIT_USAGE;
}

/* Tag each input into its own file in dir.  Each file is written under a
 * temporary name and renamed into place once complete, so an output file
 * is either the old one or a whole new one, and rename replaces a link in
 * dir rather than writing through it.  Returns the exit code. */
/* Can input be opened for reading?  If not, say why. */
static int readable(const char *input)
{
    int in = open(input, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (in < 0) {
        errorf("cannot open '%s': %s", input, strerror(errno));
        return 0;
    }
    close(in);
    return 1;
}

static int tag_to_dir(const gz_engine *e, const gz_run_opts *ro, const char *dir,
                      char *const *paths, char *const *rels, size_t npaths, tag_ui *ui)
{
    int rc = EXIT_OK;
    int brat = (gz_format_caps(ro->fmt.format) & GZ_FMT_TEXT_COPY) != 0;
    for (size_t i = 0; i < npaths && rc < EXIT_USAGE && !*ro->interrupted; i++) {
        char *target = dir_target(dir, paths, rels, i, gz_format_ext(ro->fmt.format));
        char *txt = dir_target(dir, paths, rels, i, ".txt");
        char *tmp = NULL, *tmp_txt = NULL;
        const char *bad = output_is_input(target, paths, npaths) ? target
                          : brat && output_is_input(txt, paths, npaths) ? txt : NULL;
        int r = EXIT_OK;
        if (bad) {
            errorf("refusing to overwrite input file '%s' (choose another --output-dir)", bad);
            r = EXIT_USAGE;
            goto next;
        }
        if (rels && rels[i] && strchr(rels[i], '/') && make_parent_dirs(dir, target) != 0) {
            r = EXIT_USAGE;
            goto next;
        }
        if (!readable(paths[i])) {
            r = EXIT_PARTIAL;   /* named as skipped; no output file for it */
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
    if (*ro->interrupted && rc < EXIT_USAGE)
        rc = stopped_exit_code();  /* stopped between two files */
    return rc;
}

/* ---- the run ---- */

/* Tag every input into standard output or the -o file.  Returns the exit
 * code. */
static int tag_to_stream(const gz_engine *e, tag_opts *o, tag_ui *ui)
{
    int fd = STDOUT_FILENO;
    if (o->output) {
        fd = open(o->output, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0) {
            errorf("cannot open '%s' for writing: %s", o->output, strerror(errno));
            return EXIT_USAGE;
        }
    }
    gz_out *out = gz_out_new(fd);
    int werr = 0;
    ui->progress = !o->no_progress && isatty(STDERR_FILENO);
    if (ui->progress || ui->verbose)
        o->run.progress = progress_print;
    int st = gz_corpus_run(e, &o->run, o->paths, o->npaths, out, diag_print, ui, &werr);
    gz_out_free(out);
    if (o->output && close(fd) != 0 && st != GZ_RUN_CLOSED && st != GZ_RUN_WRITE_ERROR) {
        werr = errno;
        st = GZ_RUN_WRITE_ERROR;
    }
    switch (st) {
    case GZ_RUN_OK: return EXIT_OK;
    case GZ_RUN_PARTIAL: return EXIT_PARTIAL;
    case GZ_RUN_CLOSED: return EXIT_OK;
    case GZ_RUN_INTERRUPTED: return stopped_exit_code();
    default:
        errorf("cannot write '%s': %s", o->output ? o->output : "(stdout)", strerror(werr));
        return EXIT_USAGE;
    }
}

static int run(tag_opts *o)
{
    gz_engine *e = engine_load(&o->engine);
    if (!e)
        return EXIT_USAGE;
    o->run.interrupted = catch_stop_signals();
    tag_ui ui = {0};
    ui.verbose = o->verbose;
    int rc = o->output_dir
                 ? tag_to_dir(e, &o->run, o->output_dir, o->paths, o->rels, o->npaths, &ui)
                 : tag_to_stream(e, o, &ui);
    gz_engine_free(e);
    return rc;
}

int cmd_tag(int argc, char **argv)
{
    tag_opts o = {0};
    engine_opts_init(&o.engine, argc);
    o.run.fmt.header = 1;
    o.run.fmt.format = gz_format_at(0);
    o.color = -1;  /* auto */
    int rc = parse_args(argc, argv, &o);
    if (rc < 0 && o.files_from)
        rc = read_files_from(&o);
    if (rc < 0)
        rc = check_outputs(&o);
    if (rc < 0)
        rc = run(&o);
    if (rc == EXIT_OK && o.walk_errors)
        rc = EXIT_PARTIAL;
    engine_opts_free(&o.engine);
    for (size_t i = 0; i < o.nlist; i++)
        free(o.list[i]);
    free(o.list);
    free(o.all);
    for (size_t i = 0; i < o.nwalked; i++) {
        free(o.walked[i]);
        free(o.walked_rels[i]);
    }
    free(o.walked);
    free(o.walked_rels);
    free(o.dir_paths);
    free(o.rels);
    for (size_t i = 0; i < o.run.fmt.n_attrs; i++)
        free(o.attrs[i]);
    free(o.attrs);
    return rc;
}
