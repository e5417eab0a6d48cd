/* SPDX-License-Identifier: MIT */
/*
 * cmd_dict_from_conll.c - `gaztag dict-from-conll`: options and wiring over
 * gz_dict_from_conll (eval.h).  The whole training file is read, then the
 * dictionary is written at once, so a malformed file writes nothing.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "eval.h"

static const char dict_from_conll_help[] =
    "Usage: gaztag dict-from-conll TRAIN\n"
    "Print the entities of a CoNLL training file ('-' for standard input) as a\n"
    "gaztag dictionary: name, type, id.  Each name gets its most frequent type\n"
    "(PER becomes PERSON, LOC becomes PLACE, other types are kept; ties go to\n"
    "the type first in byte order) and the id conll:NAME (case-folded).\n";

/* The command's settings, as parsed from its arguments. */
typedef struct dict_from_conll_opts {
    const char *train;      /* the training file, "-" for standard input */
} dict_from_conll_opts;

/* Parse the arguments into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, dict_from_conll_opts *o)
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
            return print_help(dict_from_conll_help);
        case 'V':
            return print_version();
        default:
            return option_error("dict-from-conll", c, argv);
        }
    }
    if (argc - optind != 1)
        return usage_error("dict-from-conll", "expected one training file");
    o->train = argv[optind];
    return -1;
}

static int run(const dict_from_conll_opts *o)
{
    gz_buf in = {0}, out = {0};
    gz_error err = {0};
    int rc = EXIT_USAGE;
    if (read_input(o->train, &in) == 0) {
        if (gz_dict_from_conll(strcmp(o->train, "-") == 0 ? "(stdin)" : o->train,
                               in.data ? in.data : "", in.len, &out, &err) < 0)
            report(&err);
        else
            rc = write_stdout(&out, EXIT_OK);
    }
    gz_buf_free(&in);
    gz_buf_free(&out);
    return rc;
}

int cmd_dict_from_conll(int argc, char **argv)
{
    dict_from_conll_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    return rc >= 0 ? rc : run(&o);
}
