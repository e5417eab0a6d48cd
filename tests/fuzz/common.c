/* SPDX-License-Identifier: MIT */
/* common.c - scratch files and invariant failures for the fuzz targets. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 5

static char paths[SLOTS][256];
static int fds[SLOTS] = {-1, -1, -1, -1, -1};

static void cleanup(void)
{
    for (int i = 0; i < SLOTS; i++)
        if (fds[i] >= 0)
            unlink(paths[i]);
}

const char *fuzz_file(int slot, const void *data, size_t size)
{
    if (slot < 0 || slot >= SLOTS)
        abort();
    if (fds[slot] < 0) {
        const char *dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
        snprintf(paths[slot], sizeof paths[slot], "%s/gaztag-fuzz-%ld-%d-XXXXXX", dir,
                 (long)getpid(), slot);
        fds[slot] = mkstemp(paths[slot]);
        if (fds[slot] < 0) {
            perror("fuzz: mkstemp");
            abort();
        }
        static int registered;
        if (!registered++)
            atexit(cleanup);
    }
    if (ftruncate(fds[slot], 0) != 0 ||
        (size && pwrite(fds[slot], data, size, 0) != (ssize_t)size)) {
        perror("fuzz: write scratch file");
        abort();
    }
    return paths[slot];
}

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
    abort();
}

/* ---- the fixed engine of the tagger and output targets ---- */

#include "gaztag.h"

static const char types_tsv[] =
    "type\trole\nPERSON\tperson\nORG\torganisation\nPLACE\tplace\nKEYWORD\tkeyword\n"
    "_given_name\tgiven-name\n_title\ttitle\n_org_suffix\torg-head\n";

const char *fuzz_types(void)
{
    return fuzz_file(4, types_tsv, sizeof types_tsv - 1);
}

static const char dict_tsv[] =
    "# fixed dictionary of the fuzz targets\n"
    "name\ttype\tid\taliases\tcase\tdiacritics\tpriority\tnote\n"
    "European Space Agency\tORG\tq:esa\tESA|Agence spatiale europ\xC3\xA9" "enne\t\t\t5\tagency\n"
    "NASA\tORG\tq:nasa\t\texact\t\t\t\n"
    "Paris\tGPE\tq:paris\\x1B]0;t\\x07\t\t\t\t\tcapital\\r\\x9B\\x00x\n"
    "Paris\tPERSON\tq:paris-myth\t\t\t\t-1\t\n"
    "S\xC3\xA3o Paulo\tGPE\tq:sao-paulo\t\t\tfold\t\t\n"
    "McDonald's\tORG\tq:mcd\tMcDonalds\t\t\t\t\n"
    "cyber-attack\tKEYWORD\tq:cyber\tcyber attack\t\t\t\t\n"
    "policy\tKEYWORD\tq:policy\t\tfold\t\t\t\n"
    "\xE6\x9D\xB1\xE4\xBA\xAC\tGPE\tq:tokyo\t\xE3\x83\x88\xE3\x82\xA6\xE3\x82\xAD\xE3\x83\xA7\xE3\x82\xA6\t\t\t\t\n"
    "Stra\xC3\x9F" "e\tMISC\tq:strasse\t\t\t\t\t\n"
    "Gen.\t_TITLE\t\t\t\t\t\t\n"
    "Tab\\tName\tMISC\tq:tab\\x01\t\t\t\t\tctl\\x1B[31m\n"
    "\xE2\x80\x9CQuoted\xE2\x80\x9D Name\tMISC\tq:quoted\t\t\t\t\t\n";

/* Entries the document context reads: namesakes with countries and
 * regions, a club, short forms that need a country or a credit line. */
static const char context_tsv[] =
    "name\ttype\tid\taliases\tpriority\tclass\tcountry\tadmin1\tcontext\n"
    "Leeds\tPLACE\tq:leeds\t\t-18\tCITY\tiso3166:GB\tEngland\t\n"
    "Leeds FC\tORG\tq:leeds-fc\t\t-25\tSPORTS_TEAM\tiso3166:GB\t\t\n"
    "Georgia\tPLACE\tiso3166:GE\t\t0\tCOUNTRY\t\t\t\n"
    "Georgia\tPLACE\tiso3166-2:US-GA\t\t-20\tREGION\tiso3166:US\t\t\n"
    "Athens\tPLACE\tq:athens-gr\t\t-15\tCITY\tiso3166:GR\tAttica\t\n"
    "Athens\tPLACE\tq:athens-us\t\t-25\tCITY\tiso3166:US\tGeorgia\t\n"
    "Senate of Here\tORG\tq:senate\tSenate\t-5\tLEGISLATURE\tiso3166:US\t\tcountry\n"
    "Press Agency\tORG\tq:pa\tPA\t-5\tNEWS_ORG\tiso3166:GB\t\tcredit\n"
    "Pear Inc.\tORG\tq:pear\tPear\t-10\tCOMPANY\t\t\t\n";

static const char rules_tsv[] =
    "type\tname\tpattern\tid\tpriority\n"
    "CVE\tcve\t(?i)CVE-([0-9]{4})-([0-9]{4,7})\tCVE-$1-$2\t0\n"
    "IP\tipv4\t\\b(?:[0-9]{1,3}\\.){3}[0-9]{1,3}\\b\t\t0\n"
    "NUM\tnumber\t[0-9]+(?:[.,][0-9]+)*\tn:$0$$\t-5\n"
    "_CAP\tcapword\t\\p{Lu}\\p{Ll}+\t\t0\n"
    "BAD\tbacktrack\t(a+)+$\t\t0\n";

static struct gz_engine *engines[2];

static void free_engines(void)
{
    gz_engine_free(engines[0]);
    gz_engine_free(engines[1]);
}

const struct gz_engine *fuzz_engine(int fold)
{
    fold = fold != 0;
    if (engines[fold])
        return engines[fold];
    gz_engine_options eo = GZ_ENGINE_OPTIONS_INIT;
    eo.fold_diacritics = fold;
    gz_engine *e = gz_engine_new(&eo);
    gz_error err;
    memset(&err, 0, sizeof err);
    if (gz_engine_add_types(e, fuzz_types(), &err) < 0 ||
        gz_engine_add_dictionary(e, fuzz_file(2, dict_tsv, sizeof dict_tsv - 1), 0, &err) < 0 ||
        gz_engine_add_dictionary(e, fuzz_file(1, context_tsv, sizeof context_tsv - 1), 0,
                                 &err) < 0 ||
        gz_engine_add_rules(e, fuzz_file(3, rules_tsv, sizeof rules_tsv - 1), 0, &err) < 0 ||
        gz_engine_freeze(e, &err) < 0) {
        fprintf(stderr, "fuzz: fixed engine: %s:%ld:%ld: %s\n", err.file, err.line, err.column,
                err.message);
        abort();
    }
    if (!engines[0] && !engines[1])
        atexit(free_engines);
    engines[fold] = e;
    return e;
}
