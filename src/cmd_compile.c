/* SPDX-License-Identifier: MIT */
/*
 * cmd_compile.c - `gaztag compile`: options and wiring over image.h.  The
 * image is compiled from the bundled dictionaries (unless left out) and the
 * ones named, with the roles of the bundled types file and of those named;
 * --verify reads a whole image and says what it holds.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "image.h"
#include "roles.h"

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
    "      --types FILE         read the roles of more types (repeatable), as for tag\n"
    "      --fold-diacritics    let every entry match without its diacritics (the\n"
    "                           image must then be used with --fold-diacritics)\n"
    "      --verify IMAGE       check the whole image, and print what it holds\n"
    "\n"
    "Exit status: 0 written (or verified), 2 usage error, bad dictionary, or an\n"
    "image that could not be written or is damaged.\n";

enum { OPT_VERIFY = 300 };

/* The command's settings, as parsed from its arguments. */
typedef struct compile_opts {
    const char **dicts;         /* -d, in order */
    size_t ndicts;
    const char **types;         /* --types, in order */
    size_t ntypes;
    const char *output, *verify;
    int defaults, fold;
} compile_opts;

/* Returns -1 to go on, else the exit code (help, version, usage error). */
static int parse_args(compile_opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"dict", required_argument, NULL, 'd'},
        {"no-default-dicts", no_argument, NULL, OPT_NO_DEFAULT_DICTS},
        {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},
        {"types", required_argument, NULL, OPT_TYPES},
        {"verify", required_argument, NULL, OPT_VERIFY},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:d:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'd': o->dicts[o->ndicts++] = optarg; break;
        case OPT_NO_DEFAULT_DICTS: o->defaults = 0; break;
        case OPT_FOLD_DIACRITICS: o->fold = 1; break;
        case OPT_TYPES: o->types[o->ntypes++] = optarg; break;
        case OPT_VERIFY: o->verify = optarg; break;
        case 'h':
            return print_help(compile_help);
        case 'V':
            return print_version();
        default:
            return option_error("compile", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("compile", "unexpected argument '%s'", argv[optind]);
    if (o->verify && (o->output || o->ndicts || o->ntypes || !o->defaults || o->fold))
        return usage_error("compile", "--verify takes no other option");
    if (!o->verify && !o->output)
        return usage_error("compile", "no image file given (-o IMAGE)");
    return -1;
}

static int verify(const char *path)
{
    gz_image_info info;
    gz_error err = {0};
    if (gz_image_verify(path, &info, &err) < 0) {
        report(&err);
        return EXIT_USAGE;
    }
    printf("%s: ok: %zu entries, %zu names and aliases, %zu dictionaries, %zu bytes\n", path,
           info.entries, info.forms, info.sources, info.bytes);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_USAGE;
}

static int compile(const compile_opts *o)
{
    int rc = EXIT_USAGE;
    char *datadir = find_datadir();
    char **files = NULL;
    size_t nfiles = 0;
    gz_error err = {0};
    if (o->defaults && !(files = gz_list_tsv(datadir, &nfiles))) {
        errorf("cannot read the bundled dictionaries in '%s': %s (set GAZTAG_DATA or use "
               "--no-default-dicts)", datadir, strerror(errno));
        free(datadir);
        return rc;
    }
    /* the image keeps the roles of its types: the bundled types file's,
     * then those of each --types file */
    gz_roles *roles = gz_roles_new();
    char types[PATH_MAX + 16];
    snprintf(types, sizeof types, "%s/types.txt", datadir);
    int bad = access(types, F_OK) == 0 && gz_roles_load(roles, types, &err) < 0;
    for (size_t i = 0; !bad && i < o->ntypes; i++)
        bad = gz_roles_load(roles, o->types[i], &err) < 0;
    if (bad ||
        gz_image_compile((const char *const *)files, nfiles, o->dicts, o->ndicts,
                         o->fold ? GZ_GAZ_FOLD_DIACRITICS : 0, roles, o->output, &err) < 0)
        report(&err);
    else
        rc = EXIT_OK;
    gz_roles_free(roles);
    if (files)
        gz_free_list(files, nfiles);
    free(datadir);
    return rc;
}

int cmd_compile(int argc, char **argv)
{
    compile_opts o = {0};
    o.defaults = 1;
    o.dicts = gz_xcalloc((size_t)argc, sizeof *o.dicts);
    o.types = gz_xcalloc((size_t)argc, sizeof *o.types);
    int rc = parse_args(&o, argc, argv);
    if (rc < 0)
        rc = o.verify ? verify(o.verify) : compile(&o);
    free(o.dicts);
    free(o.types);
    return rc;
}
