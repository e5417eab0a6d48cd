/* SPDX-License-Identifier: MIT */
/*
 * replay.c - run a fuzz target over stored inputs without libFuzzer: each
 * argument is a file or a folder of files.  `make check` uses it to replay
 * the seed corpora and every input that once crashed, under whatever
 * compiler and sanitizers the build uses.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    int bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return replay_file(path);
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, NULL);
    if (n < 0) {
        perror(path);
        return -1;
    }
    char **v = calloc((size_t)n + 1, sizeof *v);
    int k = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.' && v) {
            size_t l = strlen(path) + strlen(names[i]->d_name) + 2;
            v[k] = malloc(l);
            if (v[k])
                snprintf(v[k++], l, "%s/%s", path, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    if (!v)
        return -1;
    qsort(v, (size_t)k, sizeof *v, cmp);
    for (int i = 0; i < k; i++) {
        if (replay(v[i], count) < 0)
            rc = -1;
        free(v[i]);
    }
    free(v);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (replay(argv[i], &count) < 0)
            rc = 1;
    printf("%s: replayed %zu inputs\n", argv[0], count);
    return rc;
}
