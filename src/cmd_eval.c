/* SPDX-License-Identifier: MIT */
/*
 * cmd_eval.c - `gaztag eval`: options and wiring over eval.h.  The gold is
 * read whole; the predictions come from a file, or eval tags the gold's
 * text itself with an engine built from the same options as `gaztag tag`
 * (cmd_engine.c).  Nothing is printed until everything is scored.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "eval.h"

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
    ENGINE_HELP_DATA
    "\n"
    "Document passes when tagging (on by default, as for 'gaztag tag'):\n"
    ENGINE_HELP_PASSES
    "\n"
    "Exit status: 0 scored, 1 scored but some document was tagged only in\n"
    "part, 2 could not score (usage, unreadable or malformed file).\n";

/* The command's settings, as parsed from its arguments. */
typedef struct eval_opts {
    const char *gold;           /* --gold FILE */
    int format;                 /* GZ_GOLD_*: --gold-format or from the name */
    const char *map;            /* --map, or NULL for the default */
    int errors;                 /* --errors */
    const char *pred;           /* the predictions, or NULL: tag the gold */
    engine_opts engine;         /* the engine that tags the gold's text */
} eval_opts;

enum { OPT_GOLD_FORMAT = 300, OPT_MAP, OPT_ERRORS };

static int gold_format_of(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".ann") == 0)
        return GZ_GOLD_BRAT;
    if (n > 4 && strcmp(path + n - 4, ".tsv") == 0)
        return GZ_GOLD_TSV;
    return GZ_GOLD_CONLL;
}

/* Take --gold-format's value; returns 0, or the exit code of the error. */
static int take_gold_format(eval_opts *o, const char *arg)
{
    if (strcmp(arg, "conll") == 0)
        o->format = GZ_GOLD_CONLL;
    else if (strcmp(arg, "brat") == 0)
        o->format = GZ_GOLD_BRAT;
    else if (strcmp(arg, "tsv") == 0)
        o->format = GZ_GOLD_TSV;
    else
        return usage_error("eval", "invalid --gold-format '%s' (expected conll, brat or tsv)",
                           arg);
    return 0;
}

/* Parse the arguments into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, eval_opts *o)
{
    static const struct option longopts[] = {
        {"gold", required_argument, NULL, 'g'},
        {"gold-format", required_argument, NULL, OPT_GOLD_FORMAT},
        {"map", required_argument, NULL, OPT_MAP},
        {"errors", no_argument, NULL, OPT_ERRORS},
        ENGINE_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":g:" ENGINE_SHORTOPTS "hV", longopts, NULL)) != -1) {
        if (engine_opts_take(&o->engine, c, optarg))
            continue;
        switch (c) {
        case 'g': o->gold = optarg; break;
        case OPT_MAP: o->map = optarg; break;
        case OPT_ERRORS: o->errors = 1; break;
        case OPT_GOLD_FORMAT:
            if (take_gold_format(o, optarg) != 0)
                return EXIT_USAGE;
            break;
        case 'h':
            return print_help(eval_help);
        case 'V':
            return print_version();
        default:
            return option_error("eval", c, argv);
        }
    }
    if (!o->gold)
        return usage_error("eval", "no gold file given (--gold FILE)");
    if (argc - optind > 1)
        return usage_error("eval", "more than one prediction file given");
    o->pred = optind < argc ? argv[optind] : NULL;
    if (o->format < 0)
        o->format = gold_format_of(o->gold);
    if (o->format == GZ_GOLD_TSV && !o->pred)
        o->pred = "-";
    return -1;
}

/* Add the predictions of the file pred to ev.  Returns the exit code so
 * far, after reporting a failure. */
static int score_file(gz_eval *ev, const char *pred, gz_error *err)
{
    gz_buf pdata = {0};
    int rc = EXIT_OK;
    const char *pname = strcmp(pred, "-") == 0 ? "(stdin)" : pred;
    if (read_input(pred, &pdata) < 0 ||
        gz_eval_add_pred(ev, pname, pdata.data ? pdata.data : "", pdata.len, err) < 0) {
        if (err->message[0])
            report(err);
        rc = EXIT_USAGE;
    }
    gz_buf_free(&pdata);
    return rc;
}

/* Tag the gold's text with the engine of eo (kept in *e, which the
 * mentions may point into) and add the mentions to ev.  Returns the exit
 * code so far, after reporting a failure. */
static int score_tagging(gz_eval *ev, const engine_opts *eo, gz_engine **e, gz_error *err)
{
    if (!(*e = engine_load(eo)))
        return EXIT_USAGE;
    int r = gz_eval_tag(ev, *e, err);
    if (r != 0)
        report(err);
    return r < 0 ? EXIT_USAGE : r > 0 ? EXIT_PARTIAL : EXIT_OK;
}

static int run(const eval_opts *o)
{
    gz_typemap *tm = NULL;
    gz_gold *g = NULL;
    gz_eval *ev = NULL;
    gz_engine *e = NULL;
    gz_buf gdata = {0}, out = {0};
    gz_error err = {0};
    int rc;
    if (!(tm = gz_typemap_parse(o->map, &err))) {
        rc = usage_error("eval", "invalid --map: %s", err.message);
        goto done;
    }
    rc = EXIT_USAGE;
    if (read_input(o->gold, &gdata) < 0)
        goto done;
    if (!(g = gz_gold_parse(o->gold, gdata.data ? gdata.data : "", gdata.len, o->format,
                            &err))) {
        report(&err);
        goto done;
    }
    ev = gz_eval_new(g, tm);
    rc = o->pred ? score_file(ev, o->pred, &err) : score_tagging(ev, &o->engine, &e, &err);
    if (rc < EXIT_USAGE) {
        gz_eval_report(ev, o->errors, &out);
        rc = write_stdout(&out, rc);
    }
done:
    gz_eval_free(ev);
    gz_gold_free(g);
    gz_typemap_free(tm);
    gz_engine_free(e);
    gz_buf_free(&gdata);
    gz_buf_free(&out);
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    eval_opts o = {0};
    o.format = -1;
    engine_opts_init(&o.engine, argc);
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        rc = run(&o);
    engine_opts_free(&o.engine);
    return rc;
}
