/* SPDX-License-Identifier: MIT */
/*
 * main.c - the gaztag command: dispatch to the commands (src/cmd_*.c), the
 * diagnostics every command prints through, exit codes, signals and the
 * standard descriptors.  Everything else lives in libgaztag or in a
 * command's own file; only the binary (this file and cmd_*.c) speaks to
 * the user, and every message on stderr goes through verrorf.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_convert.h"
#include "output.h"

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

int option_error(const char *cmd, int c, char *const *argv)
{
    if (c == ':')
        return usage_error(cmd, "option '%s' needs an argument", argv[optind - 1]);
    return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

/* ---- signals ---- */

/* The signal (SIGINT or SIGTERM) that asked a run to stop, or 0. */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

/* No SA_RESTART: a blocking call returns so that the flag is seen. */
volatile sig_atomic_t *catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return &got_signal;
}

int stopped_exit_code(void)
{
    return 128 + got_signal;
}

/* ---- dispatch ---- */

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

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"tag", cmd_tag},
    {"compile", cmd_compile},
    {"eval", cmd_eval},
    {"dict-from-conll", cmd_dict_from_conll},
    {"lint", cmd_lint},
    {"convert", cmd_convert},
};

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
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
        return print_help(main_help);
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
        return print_version();
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command '%s'", cmd);
}
