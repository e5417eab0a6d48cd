/* SPDX-License-Identifier: MIT */
/*
 * cmd_convert.c - `gaztag convert`: options and wiring over convert.h.
 *
 * The inputs are all converted before anything is written, so the
 * dictionary has one header; a problem in an input is printed as it is
 * found and makes the exit status 1, and the rest is still converted.
 */
#include "cmd_convert.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "convert.h"
#include "util.h"

static const char convert_help[] =
    "Usage: gaztag convert --from FORMAT [OPTIONS] FILE...\n"
    "Convert another tagger's dictionary into a gaztag dictionary on standard\n"
    "output.  FORMAT is spacy (entity-ruler patterns, JSON Lines), regexner\n"
    "(CoreNLP RegexNER mappings) or gate (a GATE lists.def; its .lst files are\n"
    "read from its folder).  '-' reads standard input.  What a dictionary\n"
    "cannot express is named on standard error and left out.\n"
    "\n"
    "      --from FORMAT        spacy, regexner or gate\n"
    "  -o, --output FILE        write the dictionary to FILE\n"
    "      --type-map FILE      rename types: lines THEIR-TYPE<TAB>GAZTAG-TYPE\n"
    "      --rules-out FILE     regexner: write patterns with regex tokens to FILE\n"
    "                           as a rule file (else they are left out)\n"
    "      --separator CHAR     gate: the feature separator of the .lst files\n"
    "                           (default: ':', '&' or tab, before key=value)\n"
    "\n"
    "  -h, --help               show this help\n"
    "  -V, --version            show the version\n"
    "\n"
    "Exit status: 0 all converted, 1 something was left out or could not be\n"
    "read, 2 usage error, bad type map, or output not written.\n";

/* The command's settings, as parsed from its arguments. */
typedef struct convert_opts {
    gz_convert_opts conv;
    const char *from;
    const char *output;
    const char *type_map;
    const char *rules_out;
} convert_opts;

/* A problem in an input, as every diagnostic is printed (control
 * characters escaped, in one write). */
static void on_problem(void *ctx, const char *file, long line, long column, const char *msg)
{
    (void)ctx;
    if (line && column)
        errorf("%s:%ld:%ld: %s", file, line, column, msg);
    else if (line)
        errorf("%s:%ld: %s", file, line, msg);
    else
        errorf("%s", msg);
}

/* Write b to path ("-" or NULL: standard output).  Returns 0, or -1 after
 * reporting; a closed pipe on standard output is not an error. */
static int write_out(const char *path, const gz_buf *b)
{
    int to_stdout = !path || strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    if (!f) {
        errorf("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    if (b->len)
        fwrite(b->data, 1, b->len, f);
    int bad = fflush(f) != 0 || ferror(f);
    int e = errno;
    if (!to_stdout && fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad && !(to_stdout && e == EPIPE)) {
        errorf("cannot write '%s': %s", to_stdout ? "(stdout)" : path, strerror(e));
        return -1;
    }
    return 0;
}

static int read_stdin(gz_buf *b)
{
    for (;;) {
        gz_buf_reserve(b, 65536);
        ssize_t n = read(STDIN_FILENO, b->data + b->len, b->cap - b->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        b->len += (size_t)n;
    }
}

enum { OPT_FROM = 500, OPT_TYPE_MAP, OPT_RULES_OUT, OPT_SEPARATOR };

/* Parse the options into o; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, convert_opts *o)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, OPT_FROM},
        {"output", required_argument, NULL, 'o'},
        {"type-map", required_argument, NULL, OPT_TYPE_MAP},
        {"rules-out", required_argument, NULL, OPT_RULES_OUT},
        {"separator", required_argument, NULL, OPT_SEPARATOR},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_FROM: o->from = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_TYPE_MAP: o->type_map = optarg; break;
        case OPT_RULES_OUT: o->rules_out = optarg; break;
        case OPT_SEPARATOR:
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                o->conv.separator = '\t';
            else if (strlen(optarg) == 1 && optarg[0] != '=')
                o->conv.separator = optarg[0];
            else
                return usage_error("convert",
                                   "invalid --separator '%s' (expected one character or 'tab')",
                                   optarg);
            break;
        case 'h':
            return print_help(convert_help);
        case 'V':
            return print_version();
        default:
            return option_error("convert", c, argv);
        }
    }
    if (!o->from)
        return usage_error("convert",
                           "no input format given (--from spacy, regexner or gate)");
    if ((o->conv.from = gz_convert_from_parse(o->from)) < 0)
        return usage_error("convert", "invalid --from '%s' (expected spacy, regexner or gate)",
                           o->from);
    if (o->rules_out && o->conv.from != GZ_FROM_REGEXNER)
        return usage_error("convert", "--rules-out works with --from regexner only");
    if (o->conv.separator && o->conv.from != GZ_FROM_GATE)
        return usage_error("convert", "--separator works with --from gate only");
    if (optind == argc)
        return usage_error("convert", "no input file given");
    o->conv.rules = o->rules_out != NULL;
    return -1;
}

int cmd_convert(int argc, char **argv)
{
    convert_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    gz_convert *c = gz_convert_new(&o.conv, on_problem, NULL);
    gz_buf data = {0}, out = {0};
    gz_error err = {0};
    rc = EXIT_USAGE;
    if (o.type_map) {
        if (gz_read_file(o.type_map, &data, &err) < 0 ||
            gz_convert_type_map(c, o.type_map, data.data, data.len, &err) < 0) {
            on_problem(NULL, err.file, err.line, err.column, err.message);
            goto done;
        }
    }
    size_t problems = 0;
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") != 0) {
            problems += gz_convert_add_file(c, argv[i]);
            continue;
        }
        data.len = 0;
        if (read_stdin(&data) < 0) {
            errorf("cannot read '(stdin)': %s", strerror(errno));
            problems++;
        } else {
            problems += gz_convert_add(c, "(stdin)", data.data, data.len);
        }
    }
    gz_convert_write_dict(c, &out);
    if (write_out(o.output, &out) < 0)
        goto done;
    if (o.rules_out) {
        out.len = 0;
        gz_convert_write_rules(c, &out);
        if (write_out(o.rules_out, &out) < 0)
            goto done;
    }
    rc = problems ? EXIT_PARTIAL : EXIT_OK;
done:
    gz_buf_free(&data);
    gz_buf_free(&out);
    gz_convert_free(c);
    return rc;
}
