/* SPDX-License-Identifier: MIT */
/*
 * cmd_io.c - whole-file input and standard output for the commands that
 * read a file at once and print one result (eval, dict-from-conll).
 * Failures are reported here, in the wording of every command.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

int read_input(const char *path, gz_buf *b)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        errorf("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        gz_buf_reserve(b, 65536);
        ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorf("cannot read '%s': %s", strcmp(path, "-") == 0 ? "(stdin)" : path,
                   strerror(errno));
            if (fd != STDIN_FILENO)
                close(fd);
            return -1;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    return 0;
}

int write_stdout(const gz_buf *b, int rc)
{
    if (b->len)
        fwrite(b->data, 1, b->len, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE)
            return rc;
        errorf("cannot write '(stdout)': %s", strerror(errno));
        return EXIT_USAGE;
    }
    return rc;
}
