/* SPDX-License-Identifier: MIT */
/*
 * context.c - the document's profile and the choices it makes.
 *
 * The profile is counts over mentions: each mention whose readings agree on
 * a country adds one to that country (a news outlet's country is left out:
 * a credit line says where the agency sits, not what the story is about),
 * each mention of a sports, political or business class adds one to that
 * subject, and so do the cue words and score lines among the chunk's tokens
 * ("beat", "wickets", "2-0"; "election", "senator"; "shares", "revenue").
 * A country or subject counts only when it clearly leads: at least
 * MIN_COUNTRY (MIN_SUBJECT) and at least twice the runner-up.
 *
 * The choices look at one mention, its readings (the mention and its
 * alternatives) and its neighbours, never at the bytes beyond a few around
 * it.  Taking an alternative swaps it with the reading in place, so the
 * readings a mention had stay its alternatives.  A choice is made only on
 * positive evidence; without it the order of precedence stands.
 *
 * An entry with attribute context stands, when matched through one of its
 * aliases, only where the document gives that context: "country" (a story
 * about the entry's country: "the Senate" of an Australian story),
 * "credit" (a credit line: "(AP) -") or "sports" (a sports story: "Spurs",
 * "Forest").  Matched by its name it always stands.
 */
#include "context.h"

#include <stdlib.h>
#include <string.h>

#include "roles.h"

#define MAX_COUNTRIES 64
#define MAX_REGIONS 64
#define REGION_NAME 48
#define MIN_COUNTRY 2
#define MIN_SUBJECT 2

typedef struct cweight {
    char cc[3];
    int w;
} cweight;

/* A first-level region (a state, a province), by name within a country. */
typedef struct rweight {
    char cc[3];
    char name[REGION_NAME];
    int w;
} rweight;

struct gz_ctx {
    cweight c[MAX_COUNTRIES];
    int nc;
    rweight r[MAX_REGIONS];
    int nr;
    int subj[GZ_SUBJECT_COUNT];
};

gz_ctx *gz_ctx_new(void)
{
    return gz_xcalloc(1, sizeof(gz_ctx));
}

void gz_ctx_reset(gz_ctx *c)
{
    memset(c, 0, sizeof *c);
}

void gz_ctx_free(gz_ctx *c)
{
    free(c);
}

/* ---- readings ---- */

static const char *attr(const gz_span *s, const char *key)
{
    for (size_t i = 0; i < s->n_attrs; i++)
        if (strcmp(s->attrs[i].key, key) == 0)
            return s->attrs[i].value;
    return NULL;
}

static int has_class(const gz_span *s, const char *cls)
{
    const char *v = attr(s, "class");
    return v && strcmp(v, cls) == 0;
}

/* The two-letter country of reading s (its country attribute, or its own
 * id for a country) into cc; 0 when it has none. */
static int country_of(const gz_span *s, char cc[3])
{
    const char *v = attr(s, "country");
    if (!v || !*v)
        v = s->id;
    if (!v || strncmp(v, "iso3166:", 8) != 0 || strlen(v + 8) != 2)
        return 0;
    memcpy(cc, v + 8, 2);
    cc[2] = '\0';
    return 1;
}

/* Reading k of s: 0 is the mention itself, 1.. its alternatives. */
static const gz_span *reading(const gz_span *s, size_t k)
{
    return k == 0 ? s : &s->alts[k - 1];
}

/* The context reading r needs ("country", "credit", "sports"), or NULL when it
 * stands anywhere: only a match through an alias is conditional. */
static const char *condition(const gz_span *r)
{
    const char *v = attr(r, "context");
    if (!v || !*v || !r->matched || strcmp(r->matched, r->name) == 0)
        return NULL;
    return v;
}

/* Make alternative k - 1 of s its reading; the reading it had takes the
 * alternative's place. */
static void take(gz_span *s, size_t k, const char *why)
{
    if (k > 0) {
        gz_span *a = (gz_span *)&s->alts[k - 1];
        gz_span old = *s;
        const gz_span *alts = s->alts;
        size_t n = s->n_alts;
        unsigned char covered = s->covered;
        *s = *a;
        s->alts = alts;
        s->n_alts = n;
        s->covered = covered;
        *a = old;
        a->alts = NULL;
        a->n_alts = 0;
        a->why = NULL;
    }
    s->why = why;
}

/* ---- the profile ---- */

static void add_country(gz_ctx *c, const char *cc)
{
    int i = 0;
    while (i < c->nc && memcmp(c->c[i].cc, cc, 2) != 0)
        i++;
    if (i == c->nc) {
        if (c->nc == MAX_COUNTRIES)
            return;
        memcpy(c->c[i].cc, cc, 3);
        c->c[i].w = 0;
        c->nc++;
    }
    c->c[i].w++;
}

int gz_ctx_country_weight(const gz_ctx *c, const char *cc)
{
    for (int i = 0; c && i < c->nc; i++)
        if (memcmp(c->c[i].cc, cc, 2) == 0)
            return c->c[i].w;
    return 0;
}

const char *gz_ctx_country(const gz_ctx *c)
{
    if (!c)
        return NULL;
    int best = -1, w1 = 0, w2 = 0;
    for (int i = 0; i < c->nc; i++) {
        if (c->c[i].w > w1) {
            w2 = w1;
            w1 = c->c[i].w;
            best = i;
        } else if (c->c[i].w > w2) {
            w2 = c->c[i].w;
        }
    }
    if (best < 0 || w1 < MIN_COUNTRY || w1 < 2 * w2)
        return NULL;
    return c->c[best].cc;
}

int gz_ctx_subject(const gz_ctx *c)
{
    if (!c)
        return GZ_SUBJECT_OTHER;
    int best = GZ_SUBJECT_OTHER, w1 = 0, w2 = 0;
    for (int i = GZ_SUBJECT_OTHER + 1; i < GZ_SUBJECT_COUNT; i++) {
        if (c->subj[i] > w1) {
            w2 = w1;
            w1 = c->subj[i];
            best = i;
        } else if (c->subj[i] > w2) {
            w2 = c->subj[i];
        }
    }
    return w1 >= MIN_SUBJECT && w1 >= 2 * w2 ? best : GZ_SUBJECT_OTHER;
}

/* Do all readings of s that have a country agree on it?  Into cc. */
static int agreed_country(const gz_span *s, char cc[3])
{
    if (!country_of(s, cc))
        return 0;
    for (size_t k = 1; k <= s->n_alts; k++) {
        char o[3];
        if (country_of(reading(s, k), o) && memcmp(o, cc, 2) != 0)
            return 0;
    }
    return 1;
}

static const struct {
    const char *cls;
    int subject;
} CLASS_SUBJECTS[] = {
    {"SPORTS_TEAM", GZ_SUBJECT_SPORTS},     {"ATHLETE", GZ_SUBJECT_SPORTS},
    {"LEAGUE", GZ_SUBJECT_SPORTS},          {"COMPETITION", GZ_SUBJECT_SPORTS},
    {"SPORTS_BODY", GZ_SUBJECT_SPORTS},     {"REFEREE", GZ_SUBJECT_SPORTS},
    {"MANAGER", GZ_SUBJECT_SPORTS},         {"PARTY", GZ_SUBJECT_POLITICS},
    {"LEGISLATURE", GZ_SUBJECT_POLITICS},   {"LEGISLATOR", GZ_SUBJECT_POLITICS},
    {"MINISTER", GZ_SUBJECT_POLITICS},      {"HEAD_OF_STATE", GZ_SUBJECT_POLITICS},
    {"HEAD_OF_GOVERNMENT", GZ_SUBJECT_POLITICS},
    {"US_PRESIDENT", GZ_SUBJECT_POLITICS},  {"COMPANY", GZ_SUBJECT_BUSINESS},
};

static int class_subject(const gz_span *s)
{
    const char *v = attr(s, "class");
    for (size_t i = 0; v && i < sizeof CLASS_SUBJECTS / sizeof *CLASS_SUBJECTS; i++)
        if (strcmp(v, CLASS_SUBJECTS[i].cls) == 0)
            return CLASS_SUBJECTS[i].subject;
    return GZ_SUBJECT_OTHER;
}

static rweight *find_region(const gz_ctx *c, const char *cc, const char *name)
{
    for (int i = 0; i < c->nr; i++)
        if (strcmp(c->r[i].cc, cc) == 0 && strcmp(c->r[i].name, name) == 0)
            return (rweight *)&c->r[i];
    return NULL;
}

static void add_region(gz_ctx *c, const char *cc, const char *name)
{
    if (strlen(name) >= REGION_NAME)
        return;
    rweight *r = find_region(c, cc, name);
    if (!r) {
        if (c->nr == MAX_REGIONS)
            return;
        r = &c->r[c->nr++];
        memcpy(r->cc, cc, 3);
        strcpy(r->name, name);
        r->w = 0;
    }
    r->w++;
}

int gz_ctx_region_weight(const gz_ctx *c, const char *cc, const char *name)
{
    const rweight *r = c ? find_region(c, cc, name) : NULL;
    return r ? r->w : 0;
}

/* The region reading s lies in (its admin1), or is (a region itself). */
static const char *region_of(const gz_span *s)
{
    if (s->role != GZ_ROLE_PLACE)
        return NULL;
    const char *a = attr(s, "admin1");
    if (a && *a)
        return a;
    return has_class(s, "REGION") ? s->name : NULL;
}

/* A mention without alternatives counts for its region. */
static void learn_region(gz_ctx *c, const gz_span *s, const char *cc)
{
    const char *name = region_of(s);
    if (name && !s->n_alts)
        add_region(c, cc, name);
}

static void learn_span(gz_ctx *c, const gz_span *s)
{
    if (condition(s))
        return;  /* it needs the context: it cannot give it */
    char cc[3];
    if (!has_class(s, "NEWS_ORG") && agreed_country(s, cc)) {
        add_country(c, cc);
        learn_region(c, s, cc);
    }
    c->subj[class_subject(s)]++;
}

/* Cue words, sorted for bsearch; keys are the tokens' folded keys. */
static const struct cue {
    const char *word;
    int subject;
} CUES[] = {
    {"acquisition", GZ_SUBJECT_BUSINESS}, {"analyst", GZ_SUBJECT_BUSINESS},
    {"analysts", GZ_SUBJECT_BUSINESS},    {"beat", GZ_SUBJECT_SPORTS},
    {"coalition", GZ_SUBJECT_POLITICS},   {"defender", GZ_SUBJECT_SPORTS},
    {"dividend", GZ_SUBJECT_BUSINESS},    {"drew", GZ_SUBJECT_SPORTS},
    {"earnings", GZ_SUBJECT_BUSINESS},    {"election", GZ_SUBJECT_POLITICS},
    {"elections", GZ_SUBJECT_POLITICS},   {"goal", GZ_SUBJECT_SPORTS},
    {"goalkeeper", GZ_SUBJECT_SPORTS},    {"goals", GZ_SUBJECT_SPORTS},
    {"innings", GZ_SUBJECT_SPORTS},       {"investors", GZ_SUBJECT_BUSINESS},
    {"lawmakers", GZ_SUBJECT_POLITICS},   {"legislation", GZ_SUBJECT_POLITICS},
    {"midfielder", GZ_SUBJECT_SPORTS},    {"minister", GZ_SUBJECT_POLITICS},
    {"mps", GZ_SUBJECT_POLITICS},         {"opposition", GZ_SUBJECT_POLITICS},
    {"parliament", GZ_SUBJECT_POLITICS},  {"parliamentary", GZ_SUBJECT_POLITICS},
    {"penalty", GZ_SUBJECT_SPORTS},       {"profit", GZ_SUBJECT_BUSINESS},
    {"quarterly", GZ_SUBJECT_BUSINESS},   {"referendum", GZ_SUBJECT_POLITICS},
    {"revenue", GZ_SUBJECT_BUSINESS},     {"seats", GZ_SUBJECT_POLITICS},
    {"senator", GZ_SUBJECT_POLITICS},     {"shareholders", GZ_SUBJECT_BUSINESS},
    {"shares", GZ_SUBJECT_BUSINESS},      {"striker", GZ_SUBJECT_SPORTS},
    {"touchdown", GZ_SUBJECT_SPORTS},     {"unbeaten", GZ_SUBJECT_SPORTS},
    {"voters", GZ_SUBJECT_POLITICS},      {"wicket", GZ_SUBJECT_SPORTS},
    {"wickets", GZ_SUBJECT_SPORTS},
};

static int cmp_cue(const void *key, const void *elt)
{
    return strcmp(key, ((const struct cue *)elt)->word);
}

/* Is s[0, n) one of the NUL-separated words of list? */
static int in_list(const char *list, const char *s, size_t n)
{
    for (const char *w = list; *w; w += strlen(w) + 1)
        if (strlen(w) == n && memcmp(w, s, n) == 0)
            return 1;
    return 0;
}

/* Is token i a score line ("2-0", "6-4"): one or two digits, a hyphen, one
 * or two digits? */
static int score_at(const gz_tokens *tk, size_t i)
{
    const gz_token *x = &tk->tok[i];
    const char *k = tk->keys.data + x->key;
    size_t n = x->keylen, d = 0;
    if (x->kind != GZ_TOK_WORD || !(x->flags & GZ_TF_DIGIT) || n < 3 || n > 5)
        return 0;
    while (d < n && k[d] >= '0' && k[d] <= '9')
        d++;
    if (d == 0 || d > 2 || k[d] != '-')
        return 0;
    size_t e = d + 1;
    while (e < n && k[e] >= '0' && k[e] <= '9')
        e++;
    return e == n && e - d - 1 >= 1 && e - d - 1 <= 2;
}

/* Per first letter a-z, a bit per length of the cue words that begin with
 * it: most words are ruled out without a search. */
static void cue_lengths(uint32_t len_of[26])
{
    memset(len_of, 0, 26 * sizeof *len_of);
    for (size_t k = 0; k < sizeof CUES / sizeof *CUES; k++)
        len_of[CUES[k].word[0] - 'a'] |= (uint32_t)1 << strlen(CUES[k].word);
}

static int cue_subject(const gz_tokens *tk, size_t i, const uint32_t len_of[26])
{
    const gz_token *x = &tk->tok[i];
    char w[16];
    if (x->kind != GZ_TOK_WORD || x->keylen >= sizeof w || x->keylen < 3)
        return GZ_SUBJECT_OTHER;
    unsigned char c0 = (unsigned char)tk->keys.data[x->key];
    if (c0 < 'a' || c0 > 'z' || !((len_of[c0 - 'a'] >> x->keylen) & 1))
        return GZ_SUBJECT_OTHER;
    memcpy(w, tk->keys.data + x->key, x->keylen);
    w[x->keylen] = '\0';
    const struct cue *c = bsearch(w, CUES, sizeof CUES / sizeof *CUES, sizeof *CUES, cmp_cue);
    return c ? c->subject : GZ_SUBJECT_OTHER;
}

static void learn_tokens(gz_ctx *c, const gz_tokens *tk)
{
    uint32_t len_of[26];
    cue_lengths(len_of);
    for (size_t i = 0; i < tk->n; i++) {
        if (score_at(tk, i))
            c->subj[GZ_SUBJECT_SPORTS]++;
        else
            c->subj[cue_subject(tk, i, len_of)]++;
    }
}

void gz_ctx_learn(gz_ctx *c, const gz_ctxview *v)
{
    for (size_t i = 0; i < v->nspans; i++)
        learn_span(c, &v->spans[i]);
    if (v->tok)
        learn_tokens(c, v->tok);
}

/* ---- neighbours ---- */

/* The index of the first token starting at or after byte off of the chunk. */
static size_t token_at(const gz_tokens *tk, size_t off)
{
    size_t lo = 0, hi = tk->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tk->tok[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Is token i a lower-case word on list? */
static int lower_word_in(const gz_tokens *tk, size_t i, const char *list)
{
    if (i >= tk->n)
        return 0;
    return !(tk->tok[i].flags & GZ_TF_UPPER) && gz_token_in(tk, i, list);
}

/* The token after mention s, and the one before (SIZE_MAX: none). */
static size_t token_after(const gz_ctxview *v, const gz_span *s)
{
    return token_at(v->tok, s->end - v->base);
}

static size_t token_before(const gz_ctxview *v, const gz_span *s)
{
    size_t i = token_at(v->tok, s->start - v->base);
    return i ? i - 1 : SIZE_MAX;
}

/* ---- conditional entries ---- */

/* Does the document give reading r the context it needs? */
static int condition_holds(const gz_ctx *c, const gz_ctxview *v, size_t i, const gz_span *r);

/* A mention read through a conditional entry: take the first reading whose
 * condition holds, else the first that needs none; 0 when neither exists
 * (the mention goes). */
static int settle_conditional(const gz_ctx *c, const gz_ctxview *v, size_t i)
{
    gz_span *s = &v->spans[i];
    for (size_t k = 0; k <= s->n_alts; k++) {
        const gz_span *r = reading(s, k);
        if (condition(r) && condition_holds(c, v, i, r)) {
            const char *cond = condition(r);
            const char *why = strcmp(cond, "credit") == 0   ? "context: agency credit"
                              : strcmp(cond, "sports") == 0 ? "context: sports story"
                                                            : "context: story country";
            take(s, k, why);
            return 1;
        }
    }
    for (size_t k = 1; k <= s->n_alts; k++) {
        if (!condition(reading(s, k))) {
            take(s, k, NULL);
            return 1;
        }
    }
    return 0;
}

/* Is mention s in a credit line: "(AP) -", "Photo: Reuters"? */
static int credit_position(const gz_ctxview *v, const gz_span *s)
{
    size_t a = s->start - v->base, b = s->end - v->base;
    const char *t = v->text;
    size_t len = v->len;
    if (a > 0 && t[a - 1] == '(' && b < len && t[b] == ')') {
        size_t k = b + 1;
        while (k < len && t[k] == ' ')
            k++;
        if (k < len && t[k] == '-')
            return 1;
        if (k + 2 < len && memcmp(t + k, "\xE2\x80", 2) == 0 &&
            (t[k + 2] == '\x93' || t[k + 2] == '\x94'))
            return 1;
    }
    static const char *const lead[] = {"Photo: ", "Photograph: ", "Source: "};
    for (size_t i = 0; i < sizeof lead / sizeof *lead; i++) {
        size_t n = strlen(lead[i]);
        if (a >= n && memcmp(t + a - n, lead[i], n) == 0)
            return 1;
    }
    return 0;
}

static int condition_holds(const gz_ctx *c, const gz_ctxview *v, size_t i, const gz_span *r)
{
    const char *cond = condition(r);
    if (strcmp(cond, "credit") == 0)
        return c && credit_position(v, &v->spans[i]);
    if (strcmp(cond, "sports") == 0)
        return c && gz_ctx_subject(c) == GZ_SUBJECT_SPORTS;
    if (strcmp(cond, "country") != 0)
        return 0;
    const char *lead = gz_ctx_country(c);
    char cc[3];
    return lead && country_of(r, cc) && strcmp(cc, lead) == 0;
}

/* ---- namesakes ---- */

/* Is reading q (the first mention) placed by reading r of the mention after
 * the comma: r its country, or r the region its admin1 names? */
static int placed_by(const gz_span *q, const gz_span *r)
{
    char a[3], b[3];
    if (q->role != GZ_ROLE_PLACE || r->role != GZ_ROLE_PLACE || !country_of(q, a) ||
        !country_of(r, b) || strcmp(a, b) != 0)
        return 0;
    if (strncmp(r->id, "iso3166:", 8) == 0)
        return 1;
    const char *admin1 = attr(q, "admin1");
    return admin1 && strcmp(admin1, r->name) == 0 && strcmp(q->id, r->id) != 0;
}

/* Are mentions s and n separated by a comma and spaces only? */
static int comma_between(const gz_ctxview *v, const gz_span *s, const gz_span *n)
{
    const char *t = v->text;
    size_t a = s->end - v->base, b = n->start - v->base;
    if (a >= b || t[a] != ',')
        return 0;
    for (size_t k = a + 1; k < b; k++)
        if (t[k] != ' ')
            return 0;
    return b > a + 1;
}

/* Make s a reading of its own type with no id, every reading it had among
 * its alternatives: the text places it where none of them lies. */
static void unlink_reading(const gz_ctxview *v, gz_span *s, const char *why)
{
    gz_span *alts = gz_arena_alloc(v->arena, (s->n_alts + 1) * sizeof *alts);
    alts[0] = *s;
    alts[0].alts = NULL;
    alts[0].n_alts = 0;
    if (s->n_alts)
        memcpy(alts + 1, s->alts, s->n_alts * sizeof *alts);
    s->alts = alts;
    s->n_alts++;
    s->id = "";
    s->source = "context";
    s->attrs = NULL;
    s->n_attrs = 0;
    s->why = why;
}

/* Is mention n, after the comma, a region or a country, and s a city? */
static int city_then_region(const gz_span *s, const gz_span *n)
{
    return s->role == GZ_ROLE_PLACE && has_class(s, "CITY") && n->role == GZ_ROLE_PLACE &&
           (has_class(n, "REGION") || has_class(n, "COUNTRY"));
}

/* "Portland, Maine": the readings of mention i and the next that fit each
 * other.  A city none of whose readings lies in the region or country
 * named after it ("Perth, Scotland" when only the Australian Perth is
 * known) keeps its type but loses its id.  Returns 1 when the pattern
 * decided mention i (the later rules leave it alone). */
static int city_state(const gz_ctxview *v, size_t i)
{
    gz_span *s = &v->spans[i];
    if (i + 1 >= v->nspans || !comma_between(v, s, &v->spans[i + 1]))
        return 0;
    gz_span *n = &v->spans[i + 1];
    for (size_t k = 0; k <= s->n_alts; k++)
        for (size_t m = 0; m <= n->n_alts; m++)
            if (placed_by(reading(s, k), reading(n, m))) {
                if (k)
                    take(s, k, "context: City, State");
                if (m)
                    take(n, m, "context: City, State");
                return 1;
            }
    if (!city_then_region(s, n) || !*s->id)
        return 0;
    unlink_reading(v, s, "context: City, State");
    return 1;
}

/* Is reading r a subdivision that another reading of s lists as a country
 * of its own (iso3166-2:CN-TW beside iso3166:TW)?  That is one territory
 * listed twice, not a namesake: the country reading stands. */
static int territory_twice(const gz_span *s, const gz_span *r)
{
    const char *dash;
    if (strncmp(r->id, "iso3166-2:", 10) != 0 || !(dash = strchr(r->id + 10, '-')))
        return 0;
    for (size_t k = 0; k <= s->n_alts; k++) {
        const char *id = reading(s, k)->id;
        if (strncmp(id, "iso3166:", 8) == 0 && strcmp(id + 8, dash + 1) == 0)
            return 1;
    }
    return 0;
}

/* Among the readings of s of its own type, the one whose country the
 * document clearly favours. */
static int story_country(const gz_ctx *c, gz_span *s)
{
    size_t best = 0;
    int w1 = -1, w2 = 0;
    char cc[3], bestcc[3] = "";
    for (size_t k = 0; k <= s->n_alts; k++) {
        const gz_span *r = reading(s, k);
        if (strcmp(r->type, s->type) != 0 || !country_of(r, cc) || strcmp(cc, bestcc) == 0 ||
            territory_twice(s, r))
            continue;
        int w = gz_ctx_country_weight(c, cc);
        if (w > w1) {
            w2 = w1 < 0 ? 0 : w1;
            w1 = w;
            best = k;
            memcpy(bestcc, cc, 3);
        } else if (w > w2) {
            w2 = w;
        }
    }
    if (best == 0 || w1 < MIN_COUNTRY || w1 < 2 * w2)
        return 0;
    take(s, best, "context: story country");
    return 1;
}

/* Among the readings of s of its own type and country, the one in the
 * region (admin1) the document clearly favours: "Columbus" in a story
 * about Cleveland and Ohio. */
static int story_region(const gz_ctx *c, gz_span *s)
{
    size_t best = 0;
    int w1 = -1, w2 = 0;
    char cc[3], own[3];
    if (!country_of(s, own))
        return 0;
    for (size_t k = 0; k <= s->n_alts; k++) {
        const gz_span *r = reading(s, k);
        const char *a = attr(r, "admin1");
        if (strcmp(r->type, s->type) != 0 || !country_of(r, cc) || strcmp(cc, own) != 0 ||
            !a || !*a)
            continue;
        int w = gz_ctx_region_weight(c, cc, a);
        if (w > w1) {
            w2 = w1 < 0 ? 0 : w1;
            w1 = w;
            best = k;
        } else if (w > w2) {
            w2 = w;
        }
    }
    if (best == 0 || w1 < MIN_COUNTRY || w1 < 2 * w2)
        return 0;
    take(s, best, "context: story region");
    return 1;
}

/* ---- teams ---- */

static const char TEAM_AFTER[] = "beat\0beats\0drew\0defeated\0thrashed\0edged\0hammered\0"
                                 "routed\0won\0lost\0v\0vs\0";
static const char TEAM_BEFORE[] = "beat\0beats\0defeated\0thrashed\0edged\0hammered\0routed\0";
static const char CLUB_BEFORE[] = "against\0v\0vs\0";

static const char NOT_TEAM_BEFORE[] = "of\0from\0in\0at\0for\0to\0";
/* Two words before a team, as "first second" pairs. */
static const char TEAM_PHRASES[] = "drew with\0draw with\0lost to\0defeat to\0defeat by\0"
                                   "beaten by\0win over\0victory over\0";

/* Are tokens b - 1 and b a pair of TEAM_PHRASES ("lost to")? */
static int team_phrase_before(const gz_tokens *tk, size_t b)
{
    if (b == SIZE_MAX || b == 0)
        return 0;
    const gz_token *x = &tk->tok[b - 1], *y = &tk->tok[b];
    if (x->kind != GZ_TOK_WORD || y->kind != GZ_TOK_WORD || (x->flags & GZ_TF_UPPER) ||
        (y->flags & GZ_TF_UPPER))
        return 0;
    char pair[32];
    if (x->keylen + y->keylen + 2 > sizeof pair)
        return 0;
    memcpy(pair, tk->keys.data + x->key, x->keylen);
    pair[x->keylen] = ' ';
    memcpy(pair + x->keylen + 1, tk->keys.data + y->key, y->keylen);
    return in_list(TEAM_PHRASES, pair, x->keylen + 1 + y->keylen);
}

/* Is mention s followed by a possessive 's (or, in tokenised text, " 's")? */
static int possessive(const gz_ctxview *v, const gz_span *s)
{
    const char *t = v->text;
    size_t k = s->end - v->base, len = v->len;
    if (k < len && t[k] == ' ')
        k++;
    if (k + 1 < len && t[k] == '\'' && (t[k + 1] == 's' || t[k + 1] == 'S'))
        return 1;
    return k + 3 < len && memcmp(t + k, "\xE2\x80\x99", 3) == 0 &&
           (t[k + 3] == 's' || t[k + 3] == 'S');
}

/* Is token i a small whole number, a goal or point count ("2", "14")? */
static int count_at(const gz_tokens *tk, size_t i)
{
    if (i == SIZE_MAX || i >= tk->n)
        return 0;
    const gz_token *x = &tk->tok[i];
    if (x->kind != GZ_TOK_WORD || x->keylen > 3)
        return 0;
    for (size_t k = 0; k < x->keylen; k++)
        if (tk->keys.data[x->key + k] < '0' || tk->keys.data[x->key + k] > '9')
            return 0;
    return 1;
}

/* Is mention s a side of a results line ("Arsenal 2 Liverpool 0"): a count
 * after it, and before it the start of its line or the other side's count
 * (and a capitalised word after the first side's count)? */
static int result_side(const gz_ctxview *v, const gz_span *s, size_t a, size_t b)
{
    const gz_tokens *tk = v->tok;
    if (!count_at(tk, a))
        return 0;
    if (count_at(tk, b))
        return 1;
    size_t k = s->start - v->base;
    int line_start = k == 0 || v->text[k - 1] == '\n';
    return line_start && a + 1 < tk->n && (tk->tok[a + 1].flags & GZ_TF_UPPER);
}

/* Is mention s where a team stands: before a result verb, or a city before
 * a score; after a result verb or a phrase such as "lost to", or a city
 * after "against"; either side of a results line?  A country needs the verb ("Carlos Alcaraz of Spain
 * 6-4" names the player's country) and is no team with a possessive; after
 * "of", "in", "at"... (but for the phrases) nothing is a team. */
static int team_position(const gz_ctxview *v, const gz_span *s)
{
    size_t a = token_after(v, s), b = token_before(v, s);
    int city = has_class(s, "CITY");
    if (!city && possessive(v, s))
        return 0;  /* "Cuba's famous boxer": the country, not its side */
    if (team_phrase_before(v->tok, b))
        return 1;
    if (b != SIZE_MAX && lower_word_in(v->tok, b, NOT_TEAM_BEFORE))
        return 0;
    if (lower_word_in(v->tok, a, TEAM_AFTER) || (city && a < v->tok->n && score_at(v->tok, a)) ||
        result_side(v, s, a, b))
        return 1;
    if (b == SIZE_MAX)
        return 0;
    return lower_word_in(v->tok, b, TEAM_BEFORE) || (city && lower_word_in(v->tok, b, CLUB_BEFORE));
}

/* Make s a team: the club that bears its name (club, when not NULL), else
 * a new reading of the organisation type; the place reading first among
 * its alternatives. */
static void make_team(const gz_ctxview *v, gz_span *s, const gz_span *club)
{
    gz_span *alts = gz_arena_alloc(v->arena, (s->n_alts + 1) * sizeof *alts);
    alts[0] = *s;
    alts[0].alts = NULL;
    alts[0].n_alts = 0;
    if (s->n_alts)
        memcpy(alts + 1, s->alts, s->n_alts * sizeof *alts);
    size_t n = s->n_alts + 1;
    if (club) {
        *s = *club;
    } else {
        s->type = v->org_type;
        s->id = "";
        s->source = "context";
        s->attrs = NULL;
        s->n_attrs = 0;
        s->role = GZ_ROLE_ORG;
    }
    s->alts = alts;
    s->n_alts = n;
    s->why = "context: sports story";
}

/* Tokens first..last of mention s. */
static int span_tokens(const gz_ctxview *v, const gz_span *s, size_t *first, size_t *last)
{
    size_t a = token_at(v->tok, s->start - v->base), b = token_after(v, s);
    if (a >= b)
        return 0;
    *first = a;
    *last = b - 1;
    return 1;
}

/* In a sports story, a city or country where a team stands is the team. */
static int team(const gz_ctx *c, const gz_ctxview *v, size_t i)
{
    gz_span *s = &v->spans[i];
    if (!v->org_type || gz_ctx_subject(c) != GZ_SUBJECT_SPORTS || s->role != GZ_ROLE_PLACE ||
        !(has_class(s, "CITY") || has_class(s, "COUNTRY") || has_class(s, "REGION")) ||
        !team_position(v, s))
        return 0;
    for (size_t k = 1; k <= s->n_alts; k++)
        if (has_class(reading(s, k), "SPORTS_TEAM")) {
            take(s, k, "context: sports story");
            return 1;
        }
    gz_span club;
    size_t first, last;
    int found = v->find_club && span_tokens(v, s, &first, &last) &&
                v->find_club(v->ud, first, last, &club);
    make_team(v, s, found ? &club : NULL);
    return 1;
}

/* "Montreal Victorias defeated...": in a sports story a city followed by
 * one capitalised word (a nickname) where a team stands is one team, an
 * organisation with no id over both; the word's own mention, if it has
 * one, goes (*swallow = 1).  Returns 1 when it made the team. */
static int city_nickname(const gz_ctx *c, const gz_ctxview *v, size_t i, size_t *swallow)
{
    gz_span *s = &v->spans[i];
    const gz_tokens *tk = v->tok;
    size_t w = token_after(v, s), b = token_before(v, s);
    if (!v->org_type || gz_ctx_subject(c) != GZ_SUBJECT_SPORTS || s->role != GZ_ROLE_PLACE ||
        !has_class(s, "CITY") || w >= tk->n || tk->tok[w].gap != GZ_GAP_SPACE ||
        tk->tok[w].kind != GZ_TOK_WORD || !(tk->tok[w].flags & GZ_TF_TITLE))
        return 0;
    size_t wend = v->base + tk->tok[w].end - tk->tok[w].poss;
    const gz_span *n = i + 1 < v->nspans ? &v->spans[i + 1] : NULL;
    *swallow = n && n->start == v->base + tk->tok[w].start && n->end == wend;
    if (n && !*swallow && n->start < wend)
        return 0;  /* the word is part of a longer mention */
    int cue = lower_word_in(tk, w + 1, TEAM_AFTER) || (w + 1 < tk->n && score_at(tk, w + 1)) ||
              (b != SIZE_MAX && lower_word_in(tk, b, TEAM_BEFORE));
    if (!cue) {
        *swallow = 0;
        return 0;
    }
    make_team(v, s, NULL);
    s->alts = NULL;  /* the readings were of the city alone */
    s->n_alts = 0;
    s->end = wend;
    s->name = gz_arena_strndup(v->arena, v->text + (s->start - v->base), s->end - s->start);
    s->matched = NULL;
    return 1;
}

/* Is token i a capitalised word that may name a club: title case, not a
 * word the text also writes in lower case, not after "the" ("The Forge"
 * is a venue's name)? */
static int club_word(const gz_ctxview *v, size_t i)
{
    const gz_token *x = &v->tok->tok[i];
    if (x->kind != GZ_TOK_WORD || !(x->flags & GZ_TF_TITLE) || (x->flags & GZ_TF_DIGIT))
        return 0;
    if (i > 0 && v->tok->tok[i - 1].keylen == 3 &&
        memcmp(v->tok->keys.data + v->tok->tok[i - 1].key, "the", 3) == 0)
        return 0;
    return !v->marks || !(v->marks[i] & GZ_MK_COMMON);
}

void gz_ctx_clubs(const gz_ctx *c, const gz_ctxview *v, gz_span **out, size_t *nout,
                  size_t *capout)
{
    if (!v->find_club || !v->tok || gz_ctx_subject(c) != GZ_SUBJECT_SPORTS)
        return;
    size_t m = 0;  /* the next mention */
    for (size_t i = 0; i < v->tok->n; i++) {
        size_t off = v->base + v->tok->tok[i].start;
        while (m < v->nspans && v->spans[m].end <= off)
            m++;
        if (m < v->nspans && v->spans[m].start < v->base + v->tok->tok[i].end)
            continue;  /* covered */
        gz_span club;
        if (!club_word(v, i) || !v->find_club(v->ud, i, i, &club))
            continue;
        club.why = "context: sports story";
        GZ_GROW(*out, *capout, *nout + 1);
        (*out)[(*nout)++] = club;
    }
}

/* ---- a lower-case geographic word after the name ---- */

static const char GEO_HEADS[] = "delta\0valley\0basin\0estuary\0river\0coast\0coastline\0"
                                "orchard\0orchards\0plain\0plains\0highlands\0gorge\0";

/* "the Nile delta": an organisation's reading gives way to a place's;
 * without one the mention goes (returns -1). */
static int geo_head(const gz_ctxview *v, size_t i)
{
    gz_span *s = &v->spans[i];
    size_t a = token_after(v, s);
    if (s->role != GZ_ROLE_ORG || a >= v->tok->n || v->tok->tok[a].gap != GZ_GAP_SPACE ||
        !lower_word_in(v->tok, a, GEO_HEADS))
        return 0;
    for (size_t k = 1; k <= s->n_alts; k++)
        if (reading(s, k)->role == GZ_ROLE_PLACE) {
            take(s, k, "context: geographic word");
            return 1;
        }
    return -1;
}

/* ---- choosing ---- */

/* Does some reading of s carry the attribute context? */
static int has_conditional(const gz_span *s)
{
    for (size_t k = 0; k <= s->n_alts; k++)
        if (attr(reading(s, k), "context"))
            return 1;
    return 0;
}

/* An entry of context (orgs-context.tsv) repeats a body listed elsewhere
 * under the same id: drop the alternatives that are the reading itself. */
static void drop_twins(gz_span *s)
{
    if (!s->n_alts || !has_conditional(s))
        return;
    gz_span *alts = (gz_span *)s->alts;
    size_t k = 0;
    for (size_t i = 0; i < s->n_alts; i++)
        if (strcmp(alts[i].id, s->id) != 0 || strcmp(alts[i].type, s->type) != 0)
            alts[k++] = alts[i];
    s->n_alts = k;
    if (!k)
        s->alts = NULL;
}

/* Choose the reading of mention i; 0 when the mention goes.  *swallow:
 * how many of the next mentions it took in. */
static int choose_one(const gz_ctx *c, gz_ctxview *v, size_t i, size_t *swallow)
{
    gz_span *s = &v->spans[i];
    *swallow = 0;
    if (condition(s))
        return settle_conditional(c, v, i);
    if (!c)
        return 1;
    int g = geo_head(v, i);
    if (g)
        return g > 0;
    if (city_state(v, i) || city_nickname(c, v, i, swallow) || team(c, v, i))
        return 1;
    if (s->n_alts && !story_country(c, s))
        story_region(c, s);
    return 1;
}

size_t gz_ctx_choose(const gz_ctx *c, gz_ctxview *v)
{
    size_t k = 0, swallow = 0;
    for (size_t i = 0; i < v->nspans; i += 1 + swallow) {
        if (!choose_one(c, v, i, &swallow))
            continue;
        drop_twins(&v->spans[i]);
        if (k != i) {
            v->spans[k] = v->spans[i];
            if (v->evidence)
                v->evidence[k] = v->evidence[i];
        }
        k++;
    }
    v->nspans = k;
    return k;
}
