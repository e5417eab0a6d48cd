/* SPDX-License-Identifier: MIT */
/* check_image.c - compiled images: what tags the same as the dictionaries,
 * when the bundled image counts as current, how layers rank, attributes. */
#include "testutil.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "image.h"
#include "roles.h"

/* A dictionary file, an image compiled from it (as bundled), both removed
 * by img_done. */
typedef struct img {
    char *dict;
    char path[512];
} img;

static void img_make(img *m, const char *text, unsigned flags)
{
    m->dict = tu_write_file("places", text);
    snprintf(m->path, sizeof m->path, "%s.gzi", m->dict);
    gz_error err = {0};
    const char *files[1] = {m->dict};
    gz_roles *roles = gz_roles_new();
    ck_assert_int_eq(gz_roles_load(roles, tu_types_path(), &err), 0);
    ck_assert_msg(gz_image_compile(files, 1, NULL, 0, flags, roles, m->path, &err) == 0, "%s",
                  err.message);
    gz_roles_free(roles);
}

static void img_done(img *m)
{
    unlink(m->path);
    tu_remove(m->dict);
}

static const char places[] =
    "name\ttype\tid\taliases\tcountry\n"
    "Tokyo\tPLACE\tgeo:tokyo\tTōkyō\tJP\n"
    "Japan\tPLACE\tiso:JP\tNippon\t\n";

START_TEST(image_tags_as_its_dictionary_with_attributes)
{
    img m;
    img_make(&m, places, 0);
    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_image(e, m.path, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    gz_tagger *t = gz_tagger_new(e);
    const gz_span *s;
    size_t n;
    const char *text = "Tokyo, Nippon.";
    ck_assert_int_eq(gz_tag(t, text, strlen(text), &s, &n, &err), 0);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(s[0].id, "geo:tokyo");
    ck_assert_str_eq(s[0].source, "places");
    ck_assert_int_eq(s[0].n_attrs, 1);
    ck_assert_str_eq(s[0].attrs[0].key, "country");
    ck_assert_str_eq(s[0].attrs[0].value, "JP");
    ck_assert_str_eq(s[1].id, "iso:JP");
    ck_assert_str_eq(s[1].matched, "Nippon");
    ck_assert_int_eq(s[1].n_attrs, 0);
    gz_tagger_free(t);
    gz_engine_free(e);
    img_done(&m);
}
END_TEST

START_TEST(later_dictionary_outranks_image_in_a_tie)
{
    img m;
    img_make(&m, places, 0);
    gz_engine *e = gz_engine_new(NULL);
    gz_error err = {0};
    ck_assert_int_eq(gz_engine_add_image(e, m.path, &err), 0);
    char *p = tu_write_file("mine", "name\ttype\tid\nTokyo\tORG\tmine:tokyo\n");
    ck_assert_int_eq(gz_engine_add_dictionary(e, p, 0, &err), 0);
    tu_remove(p);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    /* both bundled-ranked: the one loaded later loses, as bundled files do */
    ck_assert_str_eq(tu_tag(e, "Tokyo"), "Tokyo/PLACE/geo:tokyo");
    gz_engine_free(e);

    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_image(e, m.path, &err), 0);
    p = tu_write_file("mine", "name\ttype\tid\nTokyo\tORG\tmine:tokyo\n");
    ck_assert_int_eq(gz_engine_add_dictionary(e, p, 1, &err), 0);
    tu_remove(p);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    ck_assert_str_eq(tu_tag(e, "Tokyo"), "Tokyo/ORG/mine:tokyo");
    gz_engine_free(e);
    img_done(&m);
}
END_TEST

START_TEST(bundled_image_is_used_only_while_current)
{
    img m;
    img_make(&m, places, 0);
    const char *files[1] = {m.dict};
    gz_error err = {0};
    gz_engine *e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_image_add_bundled(e, m.path, files, 1, &err), 1);
    gz_engine_free(e);
    /* another set of files */
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_image_add_bundled(e, m.path, files, 0, &err), 0);
    gz_engine_free(e);
    /* other settings */
    gz_engine_options o = {0};
    o.fold_diacritics = 1;
    e = gz_engine_new(&o);
    ck_assert_int_eq(gz_image_add_bundled(e, m.path, files, 1, &err), 0);
    gz_engine_free(e);
    /* the file touched: same size, another time */
    struct timespec ts[2] = {{0, UTIME_OMIT}, {12345, 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, m.dict, ts, 0), 0);
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_image_add_bundled(e, m.path, files, 1, &err), 0);
    gz_engine_free(e);
    /* no image at all */
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_image_add_bundled(e, "/nonexistent/bundled.gzi", files, 1, &err), 0);
    gz_engine_free(e);
    img_done(&m);
}
END_TEST

START_TEST(bundled_folder_loads_from_its_image_or_its_files)
{
    img m;
    m.dict = tu_write_file("places", places);
    char dir[256];
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(m.dict, '/') - m.dict), m.dict);
    snprintf(m.path, sizeof m.path, "%s/%s", dir, GZ_IMAGE_BUNDLED);
    gz_error err = {0};
    const char *files[1] = {m.dict};
    gz_roles *roles = gz_roles_new();
    ck_assert_int_eq(gz_image_compile(files, 1, NULL, 0, 0, roles, m.path, &err), 0);
    gz_roles_free(roles);
    /* current: the image */
    gz_engine *e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_bundled(e, dir, &err), 1);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    ck_assert_str_eq(tu_tag(e, "Tokyo"), "Tokyo/PLACE/geo:tokyo");
    gz_engine_free(e);
    /* damaged: the files, and why */
    struct stat st;
    ck_assert_int_eq(stat(m.path, &st), 0);
    ck_assert_int_eq(truncate(m.path, st.st_size / 2), 0);
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_bundled(e, dir, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated"));
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    ck_assert_str_eq(tu_tag(e, "Tokyo"), "Tokyo/PLACE/geo:tokyo");
    gz_engine_free(e);
    /* none: the files, nothing to say */
    unlink(m.path);
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_bundled(e, dir, &err), 0);
    ck_assert_str_eq(err.message, "");
    gz_engine_free(e);
    /* no folder */
    e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_bundled(e, "/nonexistent/data", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/data"));
    gz_engine_free(e);
    img_done(&m);
}
END_TEST

START_TEST(image_with_other_settings_is_refused)
{
    img m;
    img_make(&m, places, GZ_GAZ_FOLD_DIACRITICS);
    gz_error err = {0};
    gz_engine *e = gz_engine_new(NULL);
    ck_assert_int_eq(gz_engine_add_image(e, m.path, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "--fold-diacritics"));
    gz_engine_free(e);
    gz_engine_options o = {0};
    o.fold_diacritics = 1;
    e = gz_engine_new(&o);
    ck_assert_int_eq(gz_engine_add_image(e, m.path, &err), 0);
    ck_assert_int_eq(gz_engine_freeze(e, &err), 0);
    ck_assert_str_eq(tu_tag(e, "Tokyo and Tokyō"), "Tokyo/PLACE/geo:tokyo Tokyō/PLACE/geo:tokyo");
    gz_engine_free(e);
    img_done(&m);
}
END_TEST

START_TEST(every_truncation_is_refused)
{
    img m;
    img_make(&m, places, 0);
    FILE *f = fopen(m.path, "rb");
    ck_assert_ptr_nonnull(f);
    static uint64_t buf[8192];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ck_assert_uint_lt(len, sizeof buf);
    gz_error err = {0};
    for (size_t n = 0; n < len; n += 7) {
        gz_gazetteer *g = gz_image_open(buf, n, "x.gzi", &err);
        ck_assert_ptr_null(g);
        ck_assert_ptr_nonnull(strstr(err.message, "'x.gzi'"));
    }
    gz_gazetteer *g = gz_image_open(buf, len, "x.gzi", &err);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gz_gaz_entry_count(g), 2);
    gz_gaz_free(g);
    img_done(&m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("image");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, image_tags_as_its_dictionary_with_attributes);
    tcase_add_test(tc, later_dictionary_outranks_image_in_a_tie);
    tcase_add_test(tc, bundled_image_is_used_only_while_current);
    tcase_add_test(tc, image_with_other_settings_is_refused);
    tcase_add_test(tc, every_truncation_is_refused);
    tcase_add_test(tc, bundled_folder_loads_from_its_image_or_its_files);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
