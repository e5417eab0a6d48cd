/* SPDX-License-Identifier: MIT */
/*
 * roles.c - the roles of types (see roles.h), a small hash table from type
 * to role read from types files by the shared TSV reader.  To add a role:
 * a value in enum gz_role, its name below, and the code that reads it.
 */
#include "roles.h"

#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "util.h"

#define uthash_fatal(msg) gz_oom()
#include <uthash.h>

static const char *const role_names[GZ_ROLE_COUNT] = {
    "", "person", "organisation", "place", "group", "misc", "keyword",
    "given-name", "surname", "particle", "title", "function", "org-head", "place-head",
};

typedef struct role_rec {
    char *type;
    int role;
    UT_hash_handle hh;
} role_rec;

struct gz_roles {
    role_rec *table;
    char *first[GZ_ROLE_COUNT];     /* the first type of each role */
};

gz_roles *gz_roles_new(void)
{
    return gz_xcalloc(1, sizeof(gz_roles));
}

void gz_roles_free(gz_roles *r)
{
    if (!r)
        return;
    role_rec *x, *tmp;
    HASH_ITER(hh, r->table, x, tmp) {
        HASH_DEL(r->table, x);
        free(x->type);
        free(x);
    }
    for (int i = 0; i < GZ_ROLE_COUNT; i++)
        free(r->first[i]);
    free(r);
}

int gz_role_parse(const char *name)
{
    for (int i = 1; i < GZ_ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0)
            return i;
    return -1;
}

/* Declare type's role; a type declared again with the same role is fine. */
static int add(gz_roles *r, const gz_tsv *t, int ct, int cr, gz_error *err)
{
    char *type = gz_xstrndup(t->f[ct].s, t->f[ct].n);
    char *name = gz_xstrndup(t->f[cr].s, t->f[cr].n);
    int role = gz_role_parse(name);
    int rc = 0;
    role_rec *x;
    HASH_FIND_STR(r->table, type, x);
    if (role < 0) {
        gz_error_set(err, t->path, t->line, t->f[cr].col, "unknown role '%s'", name);
        rc = -1;
    } else if (x && x->role != role) {
        gz_error_set(err, t->path, t->line, t->f[cr].col, "type '%s' already has the role '%s'",
                     type, role_names[x->role]);
        rc = -1;
    } else if (!x) {
        x = gz_xcalloc(1, sizeof *x);
        x->type = type;
        x->role = role;
        type = NULL;
        HASH_ADD_KEYPTR(hh, r->table, x->type, strlen(x->type), x);
        if (!r->first[role])
            r->first[role] = gz_xstrdup(x->type);
    }
    free(type);
    free(name);
    return rc;
}

int gz_roles_load(gz_roles *r, const char *path, gz_error *err)
{
    gz_buf data = {0};
    if (gz_read_file(path, &data, err) < 0) {
        gz_buf_free(&data);
        return -1;
    }
    gz_tsv t;
    gz_tsv_init(&t, path, data.data, data.len, GZ_TSV_COMMENTS);
    int rc = gz_tsv_header(&t, err);
    int ct = gz_tsv_column(&t, "type"), cr = gz_tsv_column(&t, "role");
    if (rc == 0)
        gz_error_set(err, path, t.line ? t.line : 1, 0, "no header row");
    else if (rc > 0 && (ct < 0 || cr < 0))
        gz_error_set(err, path, t.line, 1, "types header must name the columns 'type' and 'role'");
    rc = rc > 0 && ct >= 0 && cr >= 0 ? 0 : -1;
    while (rc == 0 && (rc = gz_tsv_next(&t, err)) > 0) {
        rc = -1;
        if (t.nf != t.nhead)
            gz_error_set(err, path, t.line, 1, "expected %zu fields as in the header, found %zu",
                         t.nhead, t.nf);
        else if (gz_tsv_check_text(&t, (size_t)ct, NULL, err) == 0 &&
                 gz_tsv_check_text(&t, (size_t)cr, NULL, err) == 0)
            rc = add(r, &t, ct, cr, err);
    }
    gz_tsv_free(&t);
    gz_buf_free(&data);
    return rc < 0 ? -1 : 0;
}

int gz_roles_of(const gz_roles *r, const char *type)
{
    if (!r)
        return GZ_ROLE_NONE;
    role_rec *x;
    HASH_FIND_STR(r->table, type, x);
    return x ? x->role : GZ_ROLE_NONE;
}

const char *gz_roles_type(const gz_roles *r, int role)
{
    return r && role > 0 && role < GZ_ROLE_COUNT ? r->first[role] : NULL;
}
