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

#include "cmd.h"
#include "cmd_convert.h"
#include "corpus.h"
#include "gaztag.h"
#include "output.h"
#include "util.h"

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

void errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrorf(fmt, ap);
    va_end(ap);
}

void report(const gz_error *err)
{
    if (err->file[0] && err->line && err->column)
        errorf("%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
    else if (err->file[0] && err->line)
        errorf("%s:%ld: %s", err->file, err->line, err->message);
    else
        errorf("%s", err->message);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrorf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'gaztag %s%s--help' for more information.\n", cmd ? cmd : "",
            cmd ? " " : "");
    return EXIT_USAGE;
}

int print_help(const char *text)
{
    fputs(text, stdout);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
}

int print_version(void)
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
    "  -r, --rules FILE         add a rule file (repeatable)\n"
    "      --no-default-rules   do not load the bundled rules\n"
    "      --fold-diacritics    let every entry match without its diacritics\n"
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
    OPT_MAX_LINE_BYTES
};
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
static const char *output_is_loaded(const char *out, const engine_opts *lo, const char **what)
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
        {"rules", required_argument, NULL, 'r'},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"output", required_argument, NULL, 'o'},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"all-candidates", no_argument, NULL, OPT_ALL_CANDIDATES},
        {"no-acronyms", no_argument, NULL, OPT_NO_ACRONYMS},
        {"no-variants", no_argument, NULL, OPT_NO_VARIANTS},
        {"no-propagation", no_argument, NULL, OPT_NO_PROPAGATION},
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
    engine_opts lo;
    engine_opts_init(&lo, argc);
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
        if (engine_opts_take(&lo, c, optarg))
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
    gz_engine *e = engine_load(&lo);
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
    engine_opts_free(&lo);
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
