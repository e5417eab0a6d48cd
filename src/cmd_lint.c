/* SPDX-License-Identifier: MIT */
/*
 * cmd_lint.c - `gaztag lint`: options and wiring over lint.h.  Findings go
 * to standard output, one a line, escaped as diagnostics are; a file that
 * cannot be read is an error on standard error and makes the status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "lint.h"
#include "output.h"

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

/* The command's settings, as parsed from its arguments. */
typedef struct lint_opts {
    const char *words;          /* --words FILE, or NULL */
    int no_words;               /* --no-words */
    int fold;                   /* --fold-diacritics */
    char *const *dicts;         /* the dictionaries named, or none */
    size_t ndicts;
} lint_opts;

/* Parse the arguments into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, lint_opts *o)
{
    static const struct option longopts[] = {
        {"words", required_argument, NULL, OPT_WORDS},
        {"no-words", no_argument, NULL, OPT_NO_WORDS},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_WORDS: o->words = optarg; break;
        case OPT_NO_WORDS: o->no_words = 1; break;
        case OPT_FOLD_DIACRITICS: o->fold = 1; break;
        case 'h':
            return print_help(lint_help);
        case 'V':
            return print_version();
        default:
            return option_error("lint", c, argv);
        }
    }
    o->dicts = argv + optind;
    o->ndicts = (size_t)(argc - optind);
    return -1;
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

/* Load the common-word list into *words (NULL when there is none to use).
 * Returns 0, or -1 after reporting. */
static int load_words(const lint_opts *o, const char *datadir, gz_wordset **words)
{
    const char *path = o->words;
    char def[PATH_MAX + 32];
    gz_error err = {0};
    *words = NULL;
    if (o->no_words)
        return 0;
    if (!path) {
        snprintf(def, sizeof def, "%s/lint-common-words.txt", datadir);
        if (access(def, F_OK) == 0)
            path = def;
    }
    if (path && !(*words = gz_wordset_load(path, &err))) {
        report(&err);
        return -1;
    }
    return 0;
}

static int run(const lint_opts *o)
{
    char *datadir = NULL;
    char **files = NULL;
    size_t nfiles = 0;
    int rc = EXIT_USAGE;
    gz_wordset *words = NULL;
    if (o->ndicts == 0 || (!o->words && !o->no_words))
        datadir = find_datadir();
    if (o->ndicts == 0) {
        files = gz_list_tsv(datadir, &nfiles);
        if (!files) {
            errorf("cannot read the bundled dictionaries in '%s': %s (set GAZTAG_DATA or "
                   "name the dictionaries)", datadir, strerror(errno));
            goto done;
        }
    }
    if (load_words(o, datadir, &words) < 0)
        goto done;
    size_t unreadable = 0;
    size_t found = files ? gz_lint_dicts((const char *const *)files, nfiles, words, o->fold,
                                         lint_finding, lint_error, NULL, &unreadable)
                         : gz_lint_dicts((const char *const *)o->dicts, o->ndicts, words,
                                         o->fold, lint_finding, lint_error, NULL, &unreadable);
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
        gz_free_list(files, nfiles);
    free(datadir);
    return rc;
}

int cmd_lint(int argc, char **argv)
{
    lint_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    return rc >= 0 ? rc : run(&o);
}
