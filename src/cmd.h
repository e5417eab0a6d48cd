/* SPDX-License-Identifier: MIT */
/*
 * cmd.h - what the commands of the gaztag binary share (linked into the
 * binary only, never into libgaztag):
 *
 *   - main.c: the diagnostics (the only way a command speaks on stderr),
 *     the exit codes, the signals that stop a run;
 *   - cmd_engine.c: the options that build an engine (dictionaries, rules,
 *     engine settings), the same for every command that tags, and the
 *     bundled data folder;
 *   - cmd_io.c: reading a whole input file, writing standard output.
 *
 * A command is one file, src/cmd_NAME.c, with its help text, an options
 * struct, a parse function and a run function; main.c dispatches to it.
 */
#ifndef GZ_CMD_H
#define GZ_CMD_H

#include <signal.h>
#include <stddef.h>

#include "gaztag.h"
#include "util.h"

/* Exit codes of every command; 128 + N for a run stopped by signal N. */
enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

/* ---- main.c ---- */

/* Print "gaztag: MESSAGE" and a line feed on stderr, in one write, with
 * control characters and ill-formed bytes shown escaped. */
void errorf(const char *fmt, ...) GZ_PRINTF(1, 2);

/* Print err as "gaztag: FILE:LINE:COLUMN: message" (or the parts it has). */
void report(const gz_error *err);

/* Print a usage error and the hint "Try 'gaztag CMD --help'" (cmd NULL:
 * 'gaztag --help'); returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) GZ_PRINTF(2, 3);

/* Print text (a help text) on stdout; returns the exit code. */
int print_help(const char *text);

/* Print the version line on stdout; returns the exit code. */
int print_version(void);

/* The usage error for what getopt_long returned (c) when no option of the
 * command took it: an option without its argument (':') or an unknown
 * one.  Returns EXIT_USAGE. */
int option_error(const char *cmd, int c, char *const *argv);

/* From now on SIGINT and SIGTERM stop the run at a record boundary instead
 * of killing it mid-row.  Returns the flag that a run polls: the signal
 * that arrived, or 0. */
volatile sig_atomic_t *catch_stop_signals(void);

/* The exit code of a run stopped by the signal caught: 128 + its number. */
int stopped_exit_code(void);

/* ---- cmd_engine.c: building the engine ---- */

/* Codes of the engine options in getopt_long; a command's own long options
 * take codes from 300 up. */
enum {
    OPT_NO_DEFAULT_DICTS = 256,
    OPT_NO_DEFAULT_RULES,
    OPT_FOLD_DIACRITICS,
    OPT_NO_ACRONYMS,
    OPT_NO_VARIANTS,
    OPT_NO_PROPAGATION,
    OPT_NO_CONTEXT,
    OPT_IMAGE,
    OPT_TYPES,
    OPT_WORDS,
    OPT_NO_WORDS
};

/* The engine options, for a command's getopt_long table and short-option
 * string.  Every command that tags takes all of them, and lists them in its
 * --help with ENGINE_HELP_DATA and ENGINE_HELP_PASSES. */
#define ENGINE_LONGOPTS                                               \
    {"dict", required_argument, NULL, 'd'},                           \
    {"no-default-dicts", no_argument, NULL, OPT_NO_DEFAULT_DICTS},    \
    {"image", required_argument, NULL, OPT_IMAGE},                    \
    {"types", required_argument, NULL, OPT_TYPES},                    \
    {"rules", required_argument, NULL, 'r'},                          \
    {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},    \
    {"fold-diacritics", no_argument, NULL, OPT_FOLD_DIACRITICS},      \
    {"words", required_argument, NULL, OPT_WORDS},                    \
    {"no-words", no_argument, NULL, OPT_NO_WORDS},                    \
    {"no-acronyms", no_argument, NULL, OPT_NO_ACRONYMS},              \
    {"no-variants", no_argument, NULL, OPT_NO_VARIANTS},              \
    {"no-propagation", no_argument, NULL, OPT_NO_PROPAGATION},       \
    {"no-context", no_argument, NULL, OPT_NO_CONTEXT}
#define ENGINE_SHORTOPTS "d:r:"

#define ENGINE_HELP_DATA                                                          \
    "  -d, --dict FILE          add a dictionary (repeatable; the later wins ties)\n" \
    "      --no-default-dicts   do not load the bundled dictionaries\n"             \
    "      --image FILE         use the dictionaries compiled into FILE ('gaztag\n" \
    "                           compile') instead of the bundled ones (repeatable)\n" \
    "      --types FILE         the roles of more types (TYPE<TAB>ROLE lines; see\n" \
    "                           gaztag(1), TYPES; repeatable)\n"                    \
    "  -r, --rules FILE         add a rule file (repeatable)\n"                     \
    "      --no-default-rules   do not load the bundled rules\n"                    \
    "      --fold-diacritics    let every entry match without its diacritics\n"      \
    "      --words FILE         the list of ordinary words, names only where the\n" \
    "                           text capitalises them mid-sentence (default: the\n" \
    "                           bundled lint-common-words.txt)\n"                   \
    "      --no-words           no list of ordinary words\n"
#define ENGINE_HELP_PASSES                                                        \
    "      --no-acronyms        do not tag acronyms defined in the text\n"          \
    "      --no-variants        do not tag later variants of a name (\"Kato\")\n"   \
    "      --no-propagation     do not tag other occurrences of a rule-found name\n" \
    "      --no-context         decide each mention alone, without the document's\n" \
    "                           countries and subject (gaztag(1), CONTEXT)\n"

/* The dictionaries, rules and settings an engine is built from. */
typedef struct engine_opts {
    const char **dicts;         /* the user's dictionaries, in order */
    size_t ndicts;
    const char **rules;         /* the user's rule files, in order */
    size_t nrules;
    const char **images;        /* compiled images, in place of the bundled dictionaries */
    size_t nimages;
    const char **types;         /* the user's types files */
    size_t ntypes;
    int default_dicts;          /* load the bundled dictionaries */
    int default_rules;          /* load the bundled rules */
    const char *words;          /* the list of ordinary words, NULL: the bundled one */
    int no_words;               /* no list of ordinary words */
    gz_engine_options engine;   /* what gz_engine_new takes */
} engine_opts;

/* Set eo to the defaults, with room for the files of argc arguments. */
void engine_opts_init(engine_opts *eo, int argc);
void engine_opts_free(engine_opts *eo);

/* Take the engine option c (a getopt_long code) with its argument arg, which
 * must outlive eo.  Returns 1 if c was an engine option, else 0. */
int engine_opts_take(engine_opts *eo, int c, char *arg);

/* Build and freeze the engine: bundled data first, then the user's files in
 * order.  Returns NULL after reporting. */
gz_engine *engine_load(const engine_opts *eo);

/* The folder of the bundled data: $GAZTAG_DATA, the build tree beside the
 * executable, an installation relative to it, or the compiled-in path.
 * The caller frees it. */
char *find_datadir(void);

/* Is p a folder (following links)? */
int is_dir(const char *p);

/* ---- cmd_io.c ---- */

/* Read a whole file ("-": standard input) into b; reports and returns -1. */
int read_input(const char *path, gz_buf *b);

/* Write b to standard output and return rc, or EXIT_USAGE after reporting
 * a write error (a closed pipe is no error). */
int write_stdout(const gz_buf *b, int rc);

/* ---- the commands: each takes argv[0] == its name, returns the exit code ---- */

int cmd_tag(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_dict_from_conll(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_compile(int argc, char **argv);

#endif
