/* SPDX-License-Identifier: MIT */
/*
 * cmd_engine.c - the options that build an engine, shared by every command
 * that tags (tag, eval), and the bundled data folder (also read by lint).
 *
 * An engine option is added in one place: its code in cmd.h, its row in
 * ENGINE_LONGOPTS, its line in ENGINE_HELP_*, its case in engine_opts_take,
 * and gaztag(1); every command that tags then takes it.  The bundled
 * dictionaries and rules load before the user's files, in byte order of
 * their names, so a run does not depend on the order of a folder listing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "image.h"

#ifndef GZ_DATADIR
#define GZ_DATADIR "/usr/local/share/gaztag"
#endif

/* ---- bundled data ---- */

int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *find_datadir(void)
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


/* ---- engine options ---- */

void engine_opts_init(engine_opts *eo, int argc)
{
    memset(eo, 0, sizeof *eo);
    eo->default_dicts = eo->default_rules = 1;
    eo->dicts = gz_xcalloc((size_t)argc, sizeof *eo->dicts);
    eo->rules = gz_xcalloc((size_t)argc, sizeof *eo->rules);
    eo->images = gz_xcalloc((size_t)argc, sizeof *eo->images);
    eo->types = gz_xcalloc((size_t)argc, sizeof *eo->types);
    eo->engine = (gz_engine_options)GZ_ENGINE_OPTIONS_INIT;
}

void engine_opts_free(engine_opts *eo)
{
    free(eo->dicts);
    free(eo->rules);
    free(eo->images);
    free(eo->types);
    eo->dicts = eo->rules = eo->images = eo->types = NULL;
}

int engine_opts_take(engine_opts *eo, int c, char *arg)
{
    switch (c) {
    case 'd': eo->dicts[eo->ndicts++] = arg; return 1;
    case 'r': eo->rules[eo->nrules++] = arg; return 1;
    case OPT_IMAGE: eo->images[eo->nimages++] = arg; return 1;
    case OPT_TYPES: eo->types[eo->ntypes++] = arg; return 1;
    case OPT_WORDS: eo->words = arg; eo->no_words = 0; return 1;
    case OPT_NO_WORDS: eo->no_words = 1; return 1;
    case OPT_NO_DEFAULT_DICTS: eo->default_dicts = 0; return 1;
    case OPT_NO_DEFAULT_RULES: eo->default_rules = 0; return 1;
    case OPT_FOLD_DIACRITICS: eo->engine.fold_diacritics = 1; return 1;
    case OPT_NO_ACRONYMS: eo->engine.no_acronyms = 1; return 1;
    case OPT_NO_VARIANTS: eo->engine.no_variants = 1; return 1;
    case OPT_NO_PROPAGATION: eo->engine.no_propagation = 1; return 1;
    case OPT_NO_CONTEXT: eo->engine.no_context = 1; return 1;
    default: return 0;
    }
}

typedef int (*add_fn)(gz_engine *e, const char *path, int user, gz_error *err);

/* Load every *.tsv of dir with add, in byte order of the names.  what and
 * opt name the data and the option that does without it in the message.
 * Returns 0, or -1 after reporting. */
static int load_bundled(gz_engine *e, const char *dir, add_fn add, const char *what,
                        const char *opt)
{
    size_t n = 0;
    char **files = gz_list_tsv(dir, &n);
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
    gz_free_list(files, n);
    return rc;
}

/* Load the user's files of one kind with add, in order.  Returns 0, or -1
 * after reporting. */
static int load_user(gz_engine *e, const char *const *files, size_t n, add_fn add)
{
    gz_error err = {0};
    for (size_t i = 0; i < n; i++) {
        if (add(e, files[i], 1, &err) < 0) {
            report(&err);
            return -1;
        }
    }
    return 0;
}

/* Load the bundled dictionaries of dir: from its image when that is current
 * for them, else from the files.  Returns 0, or -1 after reporting. */
static int load_bundled_dicts(gz_engine *e, const char *dir)
{
    gz_error err = {0};
    int used = gz_engine_add_bundled(e, dir, &err);
    if (used < 0 && !err.file[0]) {  /* the folder itself */
        errorf("%s (set GAZTAG_DATA or use --no-default-dicts)", err.message);
        return -1;
    }
    if (used < 0) {
        report(&err);
        return -1;
    }
    if (used == 0 && err.message[0])  /* a damaged image */
        errorf("%s; loading the dictionaries instead", err.message);
    return 0;
}

/* Read a types file with gz_engine_add_types (user unused). */
static int add_types(gz_engine *e, const char *path, int user, gz_error *err)
{
    (void)user;
    return gz_engine_add_types(e, path, err);
}

/* An image with gz_engine_add_image (user unused). */
static int add_image(gz_engine *e, const char *path, int user, gz_error *err)
{
    (void)user;
    return gz_engine_add_image(e, path, err);
}

/* The bundled types file, whenever the data folder has one (the roles of
 * the types hold for the user's dictionaries too), then the user's. */
static int load_types(gz_engine *e, const char *datadir, const engine_opts *eo)
{
    char types[PATH_MAX + 16];
    snprintf(types, sizeof types, "%s/types.txt", datadir);
    gz_error err = {0};
    if (access(types, F_OK) == 0 && gz_engine_add_types(e, types, &err) < 0) {
        report(&err);
        return -1;
    }
    return load_user(e, eo->types, eo->ntypes, add_types);
}

gz_engine *engine_load(const engine_opts *eo)
{
    gz_engine *e = gz_engine_new(&eo->engine);
    gz_error err = {0};
    char *datadir = find_datadir();
    if (load_types(e, datadir, eo) < 0 || load_user(e, eo->images, eo->nimages, add_image) < 0)
        goto fail;
    if (eo->default_dicts && !eo->nimages && load_bundled_dicts(e, datadir) < 0)
        goto fail;
    if (eo->default_rules) {
        char rdir[PATH_MAX];
        snprintf(rdir, sizeof rdir, "%s/rules", datadir);
        if (load_bundled(e, rdir, gz_engine_add_rules, "rules", "--no-default-rules") < 0)
            goto fail;
    }
    /* the bundled list of ordinary words goes with the bundled
     * dictionaries, where there is one; a list the user names must be read */
    if (!eo->no_words && (eo->words || eo->default_dicts)) {
        char wpath[PATH_MAX + 32];
        if (!eo->words)
            snprintf(wpath, sizeof wpath, "%s/lint-common-words.txt", datadir);
        if ((eo->words || access(wpath, F_OK) == 0) &&
            gz_engine_add_words(e, eo->words ? eo->words : wpath, &err) < 0) {
            report(&err);
            goto fail;
        }
    }
    if (load_user(e, eo->dicts, eo->ndicts, gz_engine_add_dictionary) < 0 ||
        load_user(e, eo->rules, eo->nrules, gz_engine_add_rules) < 0)
        goto fail;
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
