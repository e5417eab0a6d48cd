/* SPDX-License-Identifier: MIT */
/* image.h - compiled gazetteer images: the frozen tables of a gazetteer
 * (gazetteer.h) in one file, mapped read-only and used in place.
 *
 * Layout: a fixed header (magic, byte order, format version, gaztag version,
 * file size, settings, two checksums), a table of contents (one record per
 * table: kind, record size, offset, count), then the tables, each 8-byte
 * aligned.  Opening checks the header, the checksum over header and table
 * of contents, the file size and every table's place against it; the
 * tables' contents are checked on use by the gazetteer's accessors, so a
 * damaged file is refused or reads as empty records, never out of bounds.
 * Only gz_image_verify reads the whole file (the checksum of the tables). */
#ifndef GZ_IMAGE_H
#define GZ_IMAGE_H

#include <stddef.h>

#include "gazetteer.h"
#include "gaztag.h"

/* The image format this gaztag reads and writes. */
#define GZ_IMAGE_FORMAT 3

/* The name of the bundled dictionaries' image in the data folder. */
#define GZ_IMAGE_BUNDLED "bundled.gzi"

/* Write frozen gazetteer g to path: a temporary file beside it, renamed
 * over path when complete, so that a reader never sees half an image.
 * Returns 0, or -1 with err filled. */
int gz_image_write(const gz_gazetteer *g, const char *path, gz_error *err);

/* Map the image at path (read-only, private) and return a frozen gazetteer
 * over it; gz_gaz_free unmaps it.  NULL with err naming the file and the
 * problem (not an image, another format or gaztag version, truncated,
 * corrupted). */
gz_gazetteer *gz_image_map(const char *path, gz_error *err);

/* The same over data[0, len) in memory, which must be 8-byte aligned and
 * outlive the gazetteer; name is used in messages. */
gz_gazetteer *gz_image_open(const void *data, size_t len, const char *name, gz_error *err);

/* Recompute the header checksum of the image data[0, len) in memory (if it
 * is long enough to hold a header and table of contents), so that a test or
 * fuzzer that damages an image on purpose reaches the checks past the
 * header.  Not for anything else. */
void gz_image_seal(void *data, size_t len);

/* What gz_image_verify found. */
typedef struct gz_image_info {
    size_t entries, forms, sources, bytes;
} gz_image_info;

/* Check the whole image at path, the checksum of its tables included.
 * Returns 0 (info filled when not NULL), or -1 with err filled. */
int gz_image_verify(const char *path, gz_image_info *info, gz_error *err);

/* Is image g current for the dictionary files files[0, n): compiled from
 * exactly these files as bundled ones, in this order, each with the same
 * name, size and modification time as now?  1 or 0. */
int gz_image_current(const gz_gazetteer *g, const char *const *files, size_t n);

/* Load the dictionaries files[0, n) (bundled) and user[0, nu) (named by the
 * user), freeze them with the roles of their types (the image keeps them;
 * roles may be NULL) and write the image to out.  flags as for gz_gaz_new.
 * Returns 0, or -1 with err filled (a dictionary's first malformed row, or
 * the write). */
struct gz_roles;
int gz_image_compile(const char *const *files, size_t n, const char *const *user, size_t nu,
                     unsigned flags, const struct gz_roles *roles, const char *out,
                     gz_error *err);

/* Use the bundled image at path in place of the bundled dictionary files
 * files[0, n) when it is current for them and was compiled with e's
 * settings.  Returns 1 when it was added, 0 when it does not match (e is
 * unchanged; load the files instead), -1 when it cannot be used (err
 * filled; e is unchanged). */
int gz_image_add_bundled(gz_engine *e, const char *path, const char *const *files, size_t n,
                         gz_error *err);

#endif
