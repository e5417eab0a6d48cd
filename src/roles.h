/* SPDX-License-Identifier: MIT */
/* roles.h - what a type means to the passes and rules: the role of each
 * type, declared in data (the bundled dictionaries/types.txt, a user's
 * --types file) rather than by type names in the code, so that a user's
 * dictionaries that say PER or COMPANY get the same passes as PERSON and
 * ORG.  A role is one of a fixed set; a type has at most one role, and a
 * role's first declared type is the one the passes give to names they
 * find themselves (an acronym's long form with an organisation head word
 * becomes that type).  Build, then share read-only. */
#ifndef GZ_ROLES_H
#define GZ_ROLES_H

#include "gaztag.h"

enum gz_role {
    GZ_ROLE_NONE,
    GZ_ROLE_PERSON,         /* people: name variants (a later bare surname) */
    GZ_ROLE_ORG,            /* organisations: name variants (distinctive first word) */
    GZ_ROLE_PLACE,
    GZ_ROLE_GROUP,          /* nationalities and groups */
    GZ_ROLE_MISC,           /* events, works, products */
    GZ_ROLE_KEYWORD,        /* topic words: plurals match, lint spares them */
    GZ_ROLE_GIVEN_NAME,     /* class lists the rules read: */
    GZ_ROLE_SURNAME,
    GZ_ROLE_PARTICLE,       /* al, bin, van, de */
    GZ_ROLE_TITLE,
    GZ_ROLE_FUNCTION,
    GZ_ROLE_ORG_HEAD,
    GZ_ROLE_PLACE_HEAD,
    GZ_ROLE_COUNT
};

typedef struct gz_roles gz_roles;

gz_roles *gz_roles_new(void);
void gz_roles_free(gz_roles *r);

/* Read a types file (tab-separated: type, role; see tsv.h).  Returns 0, or
 * -1 with err filled (file, line, column) for an unknown role or a type
 * given two roles. */
int gz_roles_load(gz_roles *r, const char *path, gz_error *err);

/* The role of type (GZ_ROLE_NONE when it has none, or r is NULL). */
int gz_roles_of(const gz_roles *r, const char *type);
/* The first type declared with role, or NULL (also when r is NULL). */
const char *gz_roles_type(const gz_roles *r, int role);
/* The role called name ("person", "organisation", ...), or -1. */
int gz_role_parse(const char *name);

#endif
