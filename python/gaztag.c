/* SPDX-License-Identifier: MIT */
/*
 * gaztag.c - the Python module gaztag over the public C API (gaztag.h).
 *
 * A Tagger owns one frozen engine and a pool of gz_tagger objects: a call
 * takes a tagger from the pool (or makes one), tags with the GIL released,
 * and gives it back, so any number of Python threads may share one Tagger.
 * Spans are first copied out of the tagger into a plain result (offsets and
 * strings in one buffer), with the GIL released, then turned into Mention
 * objects with the GIL held.  tag_many tags batches of documents on its own
 * threads while the calling thread builds the Mention objects of the batch
 * before, and yields the results in input order.
 *
 * Offsets: for a str, start and end count code points, start_byte and
 * end_byte bytes of its UTF-8 encoding; for bytes, all four are byte offsets.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gaztag.h"

#ifndef GZ_DATADIR
#define GZ_DATADIR "/usr/local/share/gaztag"
#endif

static PyObject *GzError;       /* gaztag.Error */
static PyTypeObject MentionType;
static PyTypeObject TaggerType;
static PyTypeObject TagManyType;
static PyObject *rebuild_cache;     /* repr of a Tagger's arguments -> Tagger */

/* ---- errors ---- */

/* Raise gaztag.Error from err: message, and file, line, column (None when
 * unknown). */
static void raise_gz(const gz_error *err)
{
    PyObject *e = PyObject_CallFunction(GzError, "s", err->message);
    if (!e)
        return;
    PyObject *file = err->file[0] ? PyUnicode_DecodeFSDefault(err->file) : Py_NewRef(Py_None);
    PyObject *line = err->line ? PyLong_FromLong(err->line) : Py_NewRef(Py_None);
    PyObject *col = err->column ? PyLong_FromLong(err->column) : Py_NewRef(Py_None);
    if (file && line && col && PyObject_SetAttrString(e, "file", file) == 0 &&
        PyObject_SetAttrString(e, "line", line) == 0 &&
        PyObject_SetAttrString(e, "column", col) == 0)
        PyErr_SetObject(GzError, e);
    Py_XDECREF(file);
    Py_XDECREF(line);
    Py_XDECREF(col);
    Py_DECREF(e);
}

/* ---- a tagged document, copied out of the tagger ---- */

typedef struct rec {
    size_t start, end;
    size_t type, id, name, source;  /* offsets into the result's strings */
    size_t why;                     /* "" when no context rule chose the reading */
    int covered;                    /* set aside by resolution (overlapping) */
    size_t attrs;                   /* index of the first key offset in attr */
    size_t n_attrs, n_alts;         /* n_alts records of alternatives follow */
} rec;

typedef struct result {
    rec *recs;
    size_t nrec, caprec;
    size_t *attr;                   /* key, value string offsets */
    size_t nattr, capattr;
    char *str;
    size_t nstr, capstr;
    int rc;                         /* gz_tag's return value */
    gz_error err;
} result;

static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static void result_clear(result *r)
{
    free(r->recs);
    free(r->attr);
    free(r->str);
    memset(r, 0, sizeof *r);
}

/* Append s (NUL included) to the strings; its offset, or SIZE_MAX when out
 * of memory. */
static size_t add_str(result *r, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    if (grow((void **)&r->str, &r->capstr, r->nstr + n, 1) < 0)
        return SIZE_MAX;
    memcpy(r->str + r->nstr, s, n);
    size_t off = r->nstr;
    r->nstr += n;
    return off;
}

static int add_rec(result *r, const gz_span *s, size_t n_alts)
{
    if (grow((void **)&r->recs, &r->caprec, r->nrec + 1, sizeof *r->recs) < 0)
        return -1;
    rec *x = &r->recs[r->nrec];
    x->start = gz_span_start(s);
    x->end = gz_span_end(s);
    x->type = add_str(r, gz_span_type(s));
    x->id = add_str(r, gz_span_id(s));
    x->name = add_str(r, gz_span_name(s));
    x->source = add_str(r, gz_span_source(s));
    x->why = add_str(r, gz_span_why(s));
    x->covered = gz_span_covered(s);
    x->n_attrs = gz_span_attr_count(s);
    x->attrs = r->nattr;
    x->n_alts = n_alts;
    if (x->type == SIZE_MAX || x->id == SIZE_MAX || x->name == SIZE_MAX ||
        x->source == SIZE_MAX || x->why == SIZE_MAX)
        return -1;
    if (grow((void **)&r->attr, &r->capattr, r->nattr + 2 * x->n_attrs, sizeof *r->attr) < 0)
        return -1;
    for (size_t i = 0; i < x->n_attrs; i++) {
        const gz_attr *a = gz_span_attr(s, i);
        size_t k = add_str(r, a->key), v = add_str(r, a->value);
        if (k == SIZE_MAX || v == SIZE_MAX)
            return -1;
        r->attr[r->nattr++] = k;
        r->attr[r->nattr++] = v;
    }
    r->nrec++;
    return 0;
}

/* Tag text[0, len) with t into r (emptied first).  Needs no GIL.  Returns
 * gz_tag's value, or -2 when out of memory. */
static int tag_into(gz_tagger *t, const char *text, size_t len, result *r)
{
    const gz_span *spans;
    size_t n;
    r->nrec = r->nattr = r->nstr = 0;
    memset(&r->err, 0, sizeof r->err);
    r->rc = gz_tag(t, text, len, &spans, &n, &r->err);
    if (r->rc < 0)
        return r->rc;
    for (size_t i = 0; i < n; i++) {
        const gz_span *s = gz_span_at(spans, i);
        size_t na = gz_span_alt_count(s);
        if (add_rec(r, s, na) < 0)
            return r->rc = -2;
        for (size_t k = 0; k < na; k++)
            if (add_rec(r, gz_span_alt(s, k), 0) < 0)
                return r->rc = -2;
    }
    return r->rc;
}

/* ---- Mention ---- */

enum { M_TEXT, M_START, M_END, M_START_BYTE, M_END_BYTE, M_TYPE, M_ID, M_NAME, M_SOURCE,
       M_ATTRS, M_ALTERNATIVES, M_WHY, M_COVERED, M_NFIELDS };

static const char *const mention_fields[M_NFIELDS + 1] = {
    "text", "start", "end", "start_byte", "end_byte", "type", "id", "name", "source",
    "attrs", "alternatives", "why", "covered", NULL};

typedef struct {
    PyObject_HEAD
    PyObject *f[M_NFIELDS];
} Mention;

static void mention_dealloc(Mention *m)
{
    PyObject_GC_UnTrack(m);
    for (int i = 0; i < M_NFIELDS; i++)
        Py_CLEAR(m->f[i]);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

static int mention_traverse(Mention *m, visitproc visit, void *arg)
{
    for (int i = 0; i < M_NFIELDS; i++)
        Py_VISIT(m->f[i]);
    return 0;
}

/* Mention(text, start, end, start_byte, end_byte, type, id, name, source,
 * attrs, alternatives[, why, covered]): every field by position or keyword,
 * as pickle and repr give them; why defaults to None, covered to False. */
static PyObject *mention_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyObject *v[M_NFIELDS] = {0};
    v[M_WHY] = Py_None;
    v[M_COVERED] = Py_False;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOOOOOOOOOO|OO:Mention", (char **)mention_fields,
                                     &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                                     &v[8], &v[9], &v[10], &v[11], &v[12]))
        return NULL;
    Mention *m = (Mention *)type->tp_alloc(type, 0);
    if (!m)
        return NULL;
    for (int i = 0; i < M_NFIELDS; i++)
        m->f[i] = Py_NewRef(v[i]);
    return (PyObject *)m;
}

static PyObject *mention_tuple(Mention *m)
{
    PyObject *t = PyTuple_New(M_NFIELDS);
    if (!t)
        return NULL;
    for (int i = 0; i < M_NFIELDS; i++)
        PyTuple_SET_ITEM(t, i, Py_NewRef(m->f[i]));
    return t;
}

static PyObject *mention_reduce(Mention *m, PyObject *unused)
{
    PyObject *t = mention_tuple(m);
    return t ? Py_BuildValue("(ON)", (PyObject *)Py_TYPE(m), t) : NULL;
}

static PyObject *mention_repr(Mention *m)
{
    return PyUnicode_FromFormat("Mention(text=%R, start=%R, end=%R, type=%R, id=%R, source=%R)",
                                m->f[M_TEXT], m->f[M_START], m->f[M_END], m->f[M_TYPE],
                                m->f[M_ID], m->f[M_SOURCE]);
}

static PyObject *mention_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &MentionType) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    PyObject *ta = mention_tuple((Mention *)a), *tb = mention_tuple((Mention *)b);
    PyObject *r = ta && tb ? PyObject_RichCompare(ta, tb, op) : NULL;
    Py_XDECREF(ta);
    Py_XDECREF(tb);
    return r;
}

static PyMemberDef mention_members[] = {
    {"text", T_OBJECT_EX, offsetof(Mention, f[M_TEXT]), READONLY,
     "the surface as written (str; for bytes input decoded with errors='replace')"},
    {"start", T_OBJECT_EX, offsetof(Mention, f[M_START]), READONLY,
     "start offset: code points for str input, bytes for bytes input"},
    {"end", T_OBJECT_EX, offsetof(Mention, f[M_END]), READONLY, "end offset (exclusive)"},
    {"start_byte", T_OBJECT_EX, offsetof(Mention, f[M_START_BYTE]), READONLY,
     "start offset in the UTF-8 bytes"},
    {"end_byte", T_OBJECT_EX, offsetof(Mention, f[M_END_BYTE]), READONLY,
     "end offset in the UTF-8 bytes (exclusive)"},
    {"type", T_OBJECT_EX, offsetof(Mention, f[M_TYPE]), READONLY, "entity type, e.g. 'ORG'"},
    {"id", T_OBJECT_EX, offsetof(Mention, f[M_ID]), READONLY, "entity id ('' when none)"},
    {"name", T_OBJECT_EX, offsetof(Mention, f[M_NAME]), READONLY, "canonical name"},
    {"source", T_OBJECT_EX, offsetof(Mention, f[M_SOURCE]), READONLY,
     "dictionary stem, 'entries', 'rule:NAME' or 'doc:...'"},
    {"attrs", T_OBJECT_EX, offsetof(Mention, f[M_ATTRS]), READONLY,
     "dict of the entry's attributes"},
    {"alternatives", T_OBJECT_EX, offsetof(Mention, f[M_ALTERNATIVES]), READONLY,
     "list of (type, id, name, source) of the other candidates"},
    {"why", T_OBJECT_EX, offsetof(Mention, f[M_WHY]), READONLY,
     "the document-context rule that chose this reading ('context: City, State'), or None"},
    {"covered", T_OBJECT_EX, offsetof(Mention, f[M_COVERED]), READONLY,
     "True for a mention a longer one covers (only with Tagger(overlapping=True))"},
    {NULL, 0, 0, 0, NULL}};

static PyMethodDef mention_methods[] = {
    {"__reduce__", (PyCFunction)mention_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};

static PyTypeObject MentionType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gaztag.Mention",
    .tp_doc = "One mention of an entity in a text.",
    .tp_basicsize = sizeof(Mention),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = mention_new,
    .tp_dealloc = (destructor)mention_dealloc,
    .tp_traverse = (traverseproc)mention_traverse,
    .tp_repr = (reprfunc)mention_repr,
    .tp_richcompare = mention_richcompare,
    .tp_members = mention_members,
    .tp_methods = mention_methods,
};

static PyObject *str_of(const result *r, size_t off)
{
    const char *s = r->str + off;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* Code points in s[from, to): the bytes that do not continue a sequence.
 * Valid for the UTF-8 of a str (surrogates are encoded as 3-byte
 * sequences). */
static size_t count_cp(const char *s, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* The Mention list of r for a document: text (the str, or NULL for bytes
 * input) whose bytes are data[0, len). */
static PyObject *build_mentions(const result *r, PyObject *text, const char *data, size_t len)
{
    size_t nm = 0;
    for (size_t i = 0; i < r->nrec; i += 1 + r->recs[i].n_alts)
        nm++;
    PyObject *list = PyList_New((Py_ssize_t)nm);
    if (!list)
        return NULL;
    size_t byte_at = 0, cp_at = 0, k = 0;
    for (size_t i = 0; i < r->nrec; i += 1 + r->recs[i].n_alts, k++) {
        const rec *x = &r->recs[i];
        size_t a = x->start, b = x->end, ca = a, cb = b;
        if (text) {
            /* spans are sorted and do not overlap: one pass counts them */
            if (a < byte_at) {
                byte_at = cp_at = 0;
            }
            cp_at += count_cp(data, byte_at, a);
            ca = cp_at;
            cb = ca + count_cp(data, a, b);
            byte_at = b;
            cp_at = cb;
        }
        Mention *m = (Mention *)MentionType.tp_alloc(&MentionType, 0);
        if (!m)
            goto fail;
        PyList_SET_ITEM(list, (Py_ssize_t)k, (PyObject *)m);
        m->f[M_TEXT] = text ? PyUnicode_Substring(text, (Py_ssize_t)ca, (Py_ssize_t)cb)
                            : PyUnicode_DecodeUTF8(data + a, (Py_ssize_t)(b - a), "replace");
        m->f[M_START] = PyLong_FromSize_t(ca);
        m->f[M_END] = PyLong_FromSize_t(cb);
        m->f[M_START_BYTE] = PyLong_FromSize_t(a);
        m->f[M_END_BYTE] = PyLong_FromSize_t(b);
        m->f[M_TYPE] = str_of(r, x->type);
        m->f[M_ID] = str_of(r, x->id);
        m->f[M_NAME] = str_of(r, x->name);
        m->f[M_SOURCE] = str_of(r, x->source);
        m->f[M_ATTRS] = PyDict_New();
        m->f[M_ALTERNATIVES] = PyList_New((Py_ssize_t)x->n_alts);
        m->f[M_WHY] = r->str[x->why] ? str_of(r, x->why) : Py_NewRef(Py_None);
        m->f[M_COVERED] = PyBool_FromLong(x->covered);
        for (int f = 0; f < M_NFIELDS; f++)
            if (!m->f[f])
                goto fail;
        for (size_t j = 0; j < x->n_attrs; j++) {
            PyObject *key = str_of(r, r->attr[x->attrs + 2 * j]);
            PyObject *val = str_of(r, r->attr[x->attrs + 2 * j + 1]);
            int bad = !key || !val || PyDict_SetItem(m->f[M_ATTRS], key, val) < 0;
            Py_XDECREF(key);
            Py_XDECREF(val);
            if (bad)
                goto fail;
        }
        for (size_t j = 0; j < x->n_alts; j++) {
            const rec *y = &r->recs[i + 1 + j];
            PyObject *alt = Py_BuildValue("(NNNN)", str_of(r, y->type), str_of(r, y->id),
                                          str_of(r, y->name), str_of(r, y->source));
            if (!alt)
                goto fail;
            PyList_SET_ITEM(m->f[M_ALTERNATIVES], (Py_ssize_t)j, alt);
        }
    }
    (void)len;
    return list;
fail:
    Py_DECREF(list);
    return NULL;
}

/* ---- documents: a str or bytes and its bytes ---- */

typedef struct doc {
    PyObject *obj;      /* the str or bytes (owned) */
    PyObject *enc;      /* UTF-8 of a str holding surrogates (owned), or NULL */
    const char *data;
    size_t len;
    int is_str;
} doc;

static void doc_clear(doc *d)
{
    Py_CLEAR(d->obj);
    Py_CLEAR(d->enc);
}

/* Fill d from o (a new reference is taken).  Returns 0, or -1 with an
 * exception set. */
static int doc_set(doc *d, PyObject *o)
{
    memset(d, 0, sizeof *d);
    if (PyUnicode_Check(o)) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(o, &n);
        if (!s) {
            /* lone surrogates: keep them as 3-byte sequences, which the
             * tagger treats as ill-formed bytes */
            PyErr_Clear();
            d->enc = PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass");
            if (!d->enc)
                return -1;
            s = PyBytes_AS_STRING(d->enc);
            n = PyBytes_GET_SIZE(d->enc);
        }
        d->data = s;
        d->len = (size_t)n;
        d->is_str = 1;
    } else if (PyBytes_Check(o)) {
        d->data = PyBytes_AS_STRING(o);
        d->len = (size_t)PyBytes_GET_SIZE(o);
    } else {
        PyErr_Format(PyExc_TypeError, "a document must be str or bytes, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    d->obj = Py_NewRef(o);
    return 0;
}

/* The result of a tagged document as Python: the Mention list, or NULL with
 * an exception set.  A document tagged only in part gives a RuntimeWarning
 * (which may itself be turned into an error). */
static PyObject *doc_mentions(const doc *d, const result *r)
{
    if (r->rc == -2)
        return PyErr_NoMemory();
    if (r->rc < 0) {
        raise_gz(&r->err);
        return NULL;
    }
    if (r->rc == 1 && PyErr_WarnFormat(PyExc_RuntimeWarning, 1, "tagged in part: %s",
                                       r->err.message) < 0)
        return NULL;
    return build_mentions(r, d->is_str ? d->obj : NULL, d->data, d->len);
}

/* ---- Tagger ---- */

typedef struct {
    PyObject_HEAD
    gz_engine *engine;
    PyObject *kwargs;       /* the constructor's arguments, for pickling */
    pthread_mutex_t lock;   /* guards the pool */
    gz_tagger **pool;
    size_t npool, cappool;
    int lock_ok;
} Tagger;

static gz_tagger *pool_get(Tagger *t)
{
    gz_tagger *g = NULL;
    pthread_mutex_lock(&t->lock);
    if (t->npool)
        g = t->pool[--t->npool];
    pthread_mutex_unlock(&t->lock);
    return g ? g : gz_tagger_new(t->engine);
}

static void pool_put(Tagger *t, gz_tagger *g)
{
    pthread_mutex_lock(&t->lock);
    if (grow((void **)&t->pool, &t->cappool, t->npool + 1, sizeof *t->pool) == 0) {
        t->pool[t->npool++] = g;
        g = NULL;
    }
    pthread_mutex_unlock(&t->lock);
    gz_tagger_free(g);
}

static void tagger_dealloc(Tagger *t)
{
    for (size_t i = 0; i < t->npool; i++)
        gz_tagger_free(t->pool[i]);
    free(t->pool);
    gz_engine_free(t->engine);
    if (t->lock_ok)
        pthread_mutex_destroy(&t->lock);
    Py_XDECREF(t->kwargs);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static PyObject *tagger_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    Tagger *t = (Tagger *)type->tp_alloc(type, 0);
    if (!t)
        return NULL;
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    t->lock_ok = 1;
    return (PyObject *)t;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load the *.tsv files of dir, in byte order of their names, with add (user
 * 0), as the gaztag command does.  Returns 0, or -1 with an exception set. */
static int load_dir(gz_engine *e, const char *dir, const char *what,
                    int (*add)(gz_engine *, const char *, int, gz_error *))
{
    DIR *d = opendir(dir);
    if (!d) {
        PyErr_Format(GzError,
                     "cannot read the bundled %s in '%s': %s (set GAZTAG_DATA or use "
                     "bundled=False)", what, dir, strerror(errno));
        return -1;
    }
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0)
            continue;
        char path[PATH_MAX];
        int pl = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (pl < 0 || (size_t)pl >= sizeof path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        char *p = strdup(path);
        if (!p || grow((void **)&v, &cap, n + 1, sizeof *v) < 0) {
            free(p);
            rc = -1;
            break;
        }
        v[n++] = p;
    }
    closedir(d);
    if (rc < 0)
        PyErr_NoMemory();
    if (n)
        qsort(v, n, sizeof *v, cmp_cstr);
    gz_error err = {0};
    for (size_t i = 0; i < n && rc == 0; i++) {
        int r;
        Py_BEGIN_ALLOW_THREADS
        r = add(e, v[i], 0, &err);
        Py_END_ALLOW_THREADS
        if (r < 0) {
            raise_gz(&err);
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return rc;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the bundled data: $GAZTAG_DATA, the build tree's
 * dictionaries/ beside the folder of this module, or the installed one. */
static void find_datadir(char *out, size_t size)
{
    const char *env = getenv("GAZTAG_DATA");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return;
    }
    Dl_info info;
    if (dladdr((void *)&rebuild_cache, &info) && info.dli_fname) {
        char buf[PATH_MAX];
        snprintf(buf, sizeof buf, "%s", info.dli_fname);
        char *slash = strrchr(buf, '/');
        if (slash) {
            *slash = '\0';
            int n = snprintf(out, size, "%s/../dictionaries", buf);
            if (n > 0 && (size_t)n < size && is_dir(out))
                return;
        }
    }
    snprintf(out, size, "%s", GZ_DATADIR);
}

/* path (str or os.PathLike) as a filesystem bytes object, or NULL. */
static PyObject *fs_path(PyObject *o)
{
    PyObject *b = NULL;
    if (!PyUnicode_FSConverter(o, &b))
        return NULL;
    return b;
}

typedef int (*add_file_fn)(gz_engine *, const char *, int, gz_error *);

static int load_files(gz_engine *e, PyObject *paths, add_file_fn add)
{
    if (paths == Py_None)
        return 0;
    if (PyUnicode_Check(paths) || PyBytes_Check(paths)) {
        PyErr_SetString(PyExc_TypeError, "dictionaries and rules take a list of paths");
        return -1;
    }
    PyObject *it = PyObject_GetIter(paths);
    if (!it)
        return -1;
    PyObject *o;
    while ((o = PyIter_Next(it)) != NULL) {
        PyObject *b = fs_path(o);
        Py_DECREF(o);
        if (!b)
            break;
        gz_error err = {0};
        int r;
        const char *p = PyBytes_AS_STRING(b);
        Py_BEGIN_ALLOW_THREADS
        r = add(e, p, 1, &err);
        Py_END_ALLOW_THREADS
        Py_DECREF(b);
        if (r < 0) {
            raise_gz(&err);
            break;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* A str field of an entry, as UTF-8 (NULL with an exception when not a
 * str or holding a NUL character; NULL without one for None when
 * allowed). */
static const char *entry_str(PyObject *o, const char *what, int none_ok)
{
    if (o == Py_None && none_ok)
        return NULL;
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "an entry's %s must be str, not %.100s", what,
                     Py_TYPE(o)->tp_name);
        return NULL;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s && strlen(s) != (size_t)n) {
        PyErr_Format(PyExc_ValueError, "an entry's %s holds a NUL character", what);
        return NULL;
    }
    return s;
}

/* Add one entry: a tuple (name, type[, id[, aliases[, attrs[, priority]]]])
 * or a dict with those keys. */
static int add_entry(gz_engine *e, PyObject *item)
{
    static const char *const keys[] = {"name", "type", "id", "aliases", "attrs", "priority"};
    PyObject *f[6] = {NULL, NULL, Py_None, Py_None, Py_None, Py_None};
    if (PyDict_Check(item)) {
        PyObject *k, *v;
        Py_ssize_t pos = 0;
        while (PyDict_Next(item, &pos, &k, &v)) {
            int found = 0;
            for (int i = 0; i < 6; i++)
                if (PyUnicode_Check(k) && PyUnicode_CompareWithASCIIString(k, keys[i]) == 0) {
                    f[i] = v;
                    found = 1;
                }
            if (!found) {
                PyErr_Format(PyExc_TypeError, "unknown entry key %R", k);
                return -1;
            }
        }
    } else if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) >= 2 &&
               PyTuple_GET_SIZE(item) <= 6) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(item); i++)
            f[i] = PyTuple_GET_ITEM(item, i);
    } else {
        PyErr_SetString(PyExc_TypeError,
                        "an entry is a tuple (name, type[, id[, aliases[, attrs[, priority]]]]) "
                        "or a dict with those keys");
        return -1;
    }
    if (!f[0] || !f[1]) {
        PyErr_SetString(PyExc_TypeError, "an entry needs a name and a type");
        return -1;
    }
    const char *name = entry_str(f[0], "name", 0), *type = name ? entry_str(f[1], "type", 0) : NULL;
    if (!name || !type)
        return -1;
    const char *id = entry_str(f[2], "id", 1);
    if (!id && PyErr_Occurred())
        return -1;
    int priority = 0;
    if (f[5] != Py_None) {
        long p = PyLong_AsLong(f[5]);
        if (p == -1 && PyErr_Occurred())
            return -1;
        if (p < INT_MIN || p > INT_MAX) {
            PyErr_SetString(PyExc_OverflowError, "an entry's priority is out of range");
            return -1;
        }
        priority = (int)p;
    }
    PyObject *aliases = NULL, *attrs = NULL;
    const char **av = NULL;
    gz_attr *at = NULL;
    size_t na = 0, nt = 0;
    int rc = -1;
    if (f[3] != Py_None) {
        if (PyUnicode_Check(f[3])) {
            PyErr_SetString(PyExc_TypeError, "an entry's aliases are a list of str");
            return -1;
        }
        aliases = PySequence_Fast(f[3], "an entry's aliases are a list of str");
        if (!aliases)
            return -1;
        na = (size_t)PySequence_Fast_GET_SIZE(aliases);
        av = calloc(na + 1, sizeof *av);
        if (!av) {
            PyErr_NoMemory();
            goto done;
        }
        for (size_t i = 0; i < na; i++)
            if (!(av[i] = entry_str(PySequence_Fast_GET_ITEM(aliases, i), "alias", 0)))
                goto done;
    }
    if (f[4] != Py_None) {
        if (!PyDict_Check(f[4])) {
            PyErr_SetString(PyExc_TypeError, "an entry's attrs are a dict of str to str");
            goto done;
        }
        attrs = PyDict_Items(f[4]);
        if (!attrs)
            goto done;
        nt = (size_t)PyList_GET_SIZE(attrs);
        at = calloc(nt + 1, sizeof *at);
        if (!at) {
            PyErr_NoMemory();
            goto done;
        }
        for (size_t i = 0; i < nt; i++) {
            PyObject *kv = PyList_GET_ITEM(attrs, i);
            if (!(at[i].key = entry_str(PyTuple_GET_ITEM(kv, 0), "attribute name", 0)) ||
                !(at[i].value = entry_str(PyTuple_GET_ITEM(kv, 1), "attribute value", 0)))
                goto done;
        }
    }
    gz_error err = {0};
    if (gz_engine_add_entry(e, name, type, id, av, na, at, nt, priority, &err) < 0) {
        raise_gz(&err);
        goto done;
    }
    rc = 0;
done:
    free(av);
    free(at);
    Py_XDECREF(aliases);
    Py_XDECREF(attrs);
    return rc;
}

static int load_entries(gz_engine *e, PyObject *entries)
{
    if (entries == Py_None)
        return 0;
    PyObject *it = PyObject_GetIter(entries);
    if (!it)
        return -1;
    PyObject *o;
    while ((o = PyIter_Next(it)) != NULL) {
        int r = add_entry(e, o);
        Py_DECREF(o);
        if (r < 0)
            break;
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* A list of absolute paths (as str) for pickling, so that a Tagger rebuilt
 * in another working directory loads the same files. */
static PyObject *abs_paths(PyObject *paths)
{
    if (paths == Py_None)
        return Py_NewRef(Py_None);
    PyObject *os_path = PyImport_ImportModule("os.path");
    if (!os_path)
        return NULL;
    PyObject *list = PyList_New(0), *it = list ? PyObject_GetIter(paths) : NULL, *o;
    while (it && (o = PyIter_Next(it)) != NULL) {
        PyObject *fs = PyOS_FSPath(o);
        Py_DECREF(o);
        PyObject *a = fs ? PyObject_CallMethod(os_path, "abspath", "O", fs) : NULL;
        Py_XDECREF(fs);
        if (!a || PyList_Append(list, a) < 0) {
            Py_XDECREF(a);
            break;
        }
        Py_DECREF(a);
    }
    Py_XDECREF(it);
    Py_DECREF(os_path);
    if (PyErr_Occurred()) {
        Py_XDECREF(list);
        return NULL;
    }
    return list;
}

/* A compiled image (gaztag compile) as a layer of the dictionaries. */
static int add_image(gz_engine *e, const char *path, int user, gz_error *err)
{
    (void)user;
    return gz_engine_add_image(e, path, err);
}

/* The bundled dictionaries of dir, from their compiled image while it is
 * current (as gaztag tag loads them); a damaged image is passed over with
 * a warning.  Returns 0, or -1 with an exception set. */
static int load_bundled(gz_engine *e, const char *dir)
{
    gz_error err = {0};
    int used = gz_engine_add_bundled(e, dir, &err);
    if (used < 0 && !err.file[0]) {
        PyErr_Format(GzError, "%s (set GAZTAG_DATA or use bundled=False)", err.message);
        return -1;
    }
    if (used < 0) {
        raise_gz(&err);
        return -1;
    }
    if (used == 0 && err.message[0] &&
        PyErr_WarnFormat(PyExc_RuntimeWarning, 1, "%s", err.message) < 0)
        return -1;
    return 0;
}

static int tagger_init(Tagger *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"dictionaries", "rules", "bundled", "entries", "fold_diacritics",
                            "acronyms", "variants", "propagation", "image", "context",
                            "overlapping", NULL};
    PyObject *dicts = Py_None, *rules = Py_None, *entries = Py_None, *image = Py_None;
    int bundled = 1, fold = 0, acronyms = 1, variants = 1, propagation = 1, context = 1;
    int overlapping = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|$OOpOppppOpp:Tagger", names, &dicts, &rules,
                                     &bundled, &entries, &fold, &acronyms, &variants,
                                     &propagation, &image, &context, &overlapping))
        return -1;
    if (self->engine) {
        PyErr_SetString(PyExc_RuntimeError, "a Tagger is initialised once");
        return -1;
    }
    /* entries may be a one-pass iterator: keep it as a list */
    PyObject *entry_list = entries == Py_None ? Py_NewRef(Py_None) : PySequence_List(entries);
    if (!entry_list)
        return -1;
    /* image: one path, or a list of them */
    PyObject *images = image == Py_None || PyList_Check(image) || PyTuple_Check(image)
                           ? Py_NewRef(image) : Py_BuildValue("[O]", image);
    PyObject *dabs = abs_paths(dicts), *rabs = dabs ? abs_paths(rules) : NULL;
    PyObject *iabs = rabs && images ? abs_paths(images) : NULL;
    Py_XDECREF(images);
    if (!iabs) {
        Py_XDECREF(dabs);
        Py_XDECREF(rabs);
        Py_DECREF(entry_list);
        return -1;
    }
    Py_XSETREF(self->kwargs, NULL);
    self->kwargs = Py_BuildValue("{s:N,s:N,s:N,s:O,s:N,s:O,s:O,s:O,s:O,s:O,s:O}",
                                 "dictionaries", dabs,
                                 "image", iabs,
                                 "rules", rabs, "bundled", bundled ? Py_True : Py_False,
                                 "entries", entry_list, "fold_diacritics",
                                 fold ? Py_True : Py_False, "acronyms",
                                 acronyms ? Py_True : Py_False, "variants",
                                 variants ? Py_True : Py_False, "propagation",
                                 propagation ? Py_True : Py_False, "context",
                                 context ? Py_True : Py_False, "overlapping",
                                 overlapping ? Py_True : Py_False);
    if (!self->kwargs)
        return -1;

    gz_engine_options o = GZ_ENGINE_OPTIONS_INIT;
    o.fold_diacritics = fold;
    o.no_acronyms = !acronyms;
    o.no_variants = !variants;
    o.no_propagation = !propagation;
    o.no_context = !context;
    o.overlapping = overlapping;
    gz_engine *e = gz_engine_new(&o);
    char dir[PATH_MAX], types[PATH_MAX + 16];
    find_datadir(dir, sizeof dir);
    /* the roles of the types hold for the caller's dictionaries too */
    snprintf(types, sizeof types, "%s/types.txt", dir);
    if (access(types, F_OK) == 0) {
        gz_error terr = {0};
        if (gz_engine_add_types(e, types, &terr) < 0) {
            raise_gz(&terr);
            goto fail;
        }
    }
    /* images stand in for the bundled dictionaries, as tag --image does */
    PyObject *img = PyDict_GetItemString(self->kwargs, "image");
    if (load_files(e, img, add_image) < 0)
        goto fail;
    if (bundled) {
        char rdir[PATH_MAX + 8];
        snprintf(rdir, sizeof rdir, "%s/rules", dir);
        if ((img == Py_None && load_bundled(e, dir) < 0) ||
            load_dir(e, rdir, "rules", gz_engine_add_rules) < 0)
            goto fail;
        /* the ordinary words go with the bundled data, as for gaztag tag */
        char words[PATH_MAX + 32];
        snprintf(words, sizeof words, "%s/lint-common-words.txt", dir);
        gz_error werr = {0};
        if (access(words, F_OK) == 0 && gz_engine_add_words(e, words, &werr) < 0) {
            raise_gz(&werr);
            goto fail;
        }
    }
    if (load_files(e, dicts, gz_engine_add_dictionary) < 0 ||
        load_files(e, rules, gz_engine_add_rules) < 0 || load_entries(e, entry_list) < 0)
        goto fail;
    gz_error err = {0};
    int r;
    Py_BEGIN_ALLOW_THREADS
    r = gz_engine_freeze(e, &err);
    Py_END_ALLOW_THREADS
    if (r < 0) {
        raise_gz(&err);
        goto fail;
    }
    self->engine = e;
    return 0;
fail:
    gz_engine_free(e);
    return -1;
}

static int check_ready(Tagger *t)
{
    if (!t->engine) {
        PyErr_SetString(PyExc_RuntimeError, "the Tagger was not initialised");
        return -1;
    }
    return 0;
}

static PyObject *tagger_tag(Tagger *self, PyObject *arg)
{
    if (check_ready(self) < 0)
        return NULL;
    doc d;
    if (doc_set(&d, arg) < 0)
        return NULL;
    result r = {0};
    gz_tagger *g = pool_get(self);
    Py_BEGIN_ALLOW_THREADS
    tag_into(g, d.data, d.len, &r);
    Py_END_ALLOW_THREADS
    pool_put(self, g);
    PyObject *out = doc_mentions(&d, &r);
    result_clear(&r);
    doc_clear(&d);
    return out;
}

static PyObject *tagger_reduce(Tagger *self, PyObject *unused)
{
    if (check_ready(self) < 0)
        return NULL;
    PyObject *mod = PyImport_ImportModule("gaztag");
    PyObject *fn = mod ? PyObject_GetAttrString(mod, "_rebuild") : NULL;
    Py_XDECREF(mod);
    return fn ? Py_BuildValue("(N(O))", fn, self->kwargs) : NULL;
}

static PyObject *tagger_repr(Tagger *self)
{
    return PyUnicode_FromFormat("gaztag.Tagger(**%R)", self->kwargs ? self->kwargs : Py_None);
}

/* ---- tag_many ---- */

typedef struct batch {
    doc *docs;
    result *res;
    size_t n;
    size_t next;        /* next document to claim */
    size_t done;
} batch;

typedef struct {
    PyObject_HEAD
    Tagger *tagger;
    PyObject *source;       /* the iterator of documents, NULL once exhausted */
    PyObject *pending[3];   /* an error (type, value, traceback), raised in turn */
    int threads;
    size_t batch_size;
    /* the batch being tagged (inflight) and the one being handed out */
    batch b[2];
    int inflight;           /* index of the batch being tagged, or -1 */
    PyObject *ready;        /* list of results of the handed-out batch */
    Py_ssize_t ready_at;
    /* worker threads (none when threads == 1) */
    pthread_t *tid;
    int nthreads_started;
    pthread_mutex_t mu;
    pthread_cond_t work, finished;
    batch *current;         /* what the workers tag */
    int stop;
    int sync_ok;
} TagMany;

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        doc_clear(&b->docs[i]);
        result_clear(&b->res[i]);
    }
    free(b->docs);
    free(b->res);
    memset(b, 0, sizeof *b);
}

static void *worker_main(void *arg)
{
    TagMany *it = arg;
    gz_tagger *g = NULL;
    pthread_mutex_lock(&it->mu);
    for (;;) {
        while (!it->stop && (!it->current || it->current->next >= it->current->n))
            pthread_cond_wait(&it->work, &it->mu);
        if (it->stop)
            break;
        batch *b = it->current;
        size_t i = b->next++;
        pthread_mutex_unlock(&it->mu);
        if (!g)
            g = pool_get(it->tagger);
        tag_into(g, b->docs[i].data, b->docs[i].len, &b->res[i]);
        pthread_mutex_lock(&it->mu);
        if (++b->done == b->n)
            pthread_cond_signal(&it->finished);
    }
    pthread_mutex_unlock(&it->mu);
    if (g)
        pool_put(it->tagger, g);
    return NULL;
}

/* Keep the current exception for its turn, and read no more documents. */
static void keep_error(TagMany *it)
{
    PyErr_Fetch(&it->pending[0], &it->pending[1], &it->pending[2]);
    Py_CLEAR(it->source);
}

/* Read up to batch_size documents into batch k.  Returns the number read
 * (0 at the end); an error stops reading and is kept for its turn. */
static size_t fill_batch(TagMany *it, int k)
{
    batch *b = &it->b[k];
    batch_free(b);
    if (!it->source || it->pending[0])
        return 0;
    b->docs = calloc(it->batch_size, sizeof *b->docs);
    b->res = calloc(it->batch_size, sizeof *b->res);
    if (!b->docs || !b->res) {
        batch_free(b);
        PyErr_NoMemory();
        keep_error(it);
        return 0;
    }
    while (b->n < it->batch_size) {
        PyObject *o = PyIter_Next(it->source);
        if (!o) {
            if (PyErr_Occurred())
                keep_error(it);
            Py_CLEAR(it->source);
            break;
        }
        int r = doc_set(&b->docs[b->n], o);
        Py_DECREF(o);
        if (r < 0) {
            keep_error(it);
            break;
        }
        b->n++;
    }
    return b->n;
}

/* Start tagging batch k: on the worker threads, or (one thread) right here
 * with the GIL released. */
static void submit(TagMany *it, int k)
{
    batch *b = &it->b[k];
    it->inflight = k;
    if (!it->nthreads_started) {
        gz_tagger *g = pool_get(it->tagger);
        Py_BEGIN_ALLOW_THREADS
        for (size_t i = 0; i < b->n; i++)
            tag_into(g, b->docs[i].data, b->docs[i].len, &b->res[i]);
        Py_END_ALLOW_THREADS
        pool_put(it->tagger, g);
        b->next = b->done = b->n;
        return;
    }
    pthread_mutex_lock(&it->mu);
    it->current = b;
    pthread_cond_broadcast(&it->work);
    pthread_mutex_unlock(&it->mu);
}

static void wait_batch(TagMany *it, batch *b)
{
    if (!it->nthreads_started)
        return;
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&it->mu);
    while (b->done < b->n)
        pthread_cond_wait(&it->finished, &it->mu);
    pthread_mutex_unlock(&it->mu);
    Py_END_ALLOW_THREADS
}

static void stop_workers(TagMany *it)
{
    if (!it->nthreads_started)
        return;
    pthread_mutex_lock(&it->mu);
    it->stop = 1;
    pthread_cond_broadcast(&it->work);
    pthread_mutex_unlock(&it->mu);
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < it->nthreads_started; i++)
        pthread_join(it->tid[i], NULL);
    Py_END_ALLOW_THREADS
    it->nthreads_started = 0;
}

static PyObject *tagger_tag_many(Tagger *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"documents", "threads", "batch_size", NULL};
    PyObject *docs;
    int threads = 1;
    Py_ssize_t batch_size = 0;
    if (check_ready(self) < 0 ||
        !PyArg_ParseTupleAndKeywords(args, kw, "O|$in:tag_many", names, &docs, &threads,
                                     &batch_size))
        return NULL;
    if (threads < 1 || threads > 256) {
        PyErr_SetString(PyExc_ValueError, "threads must be between 1 and 256");
        return NULL;
    }
    if (batch_size < 0) {
        PyErr_SetString(PyExc_ValueError, "batch_size must be positive");
        return NULL;
    }
    PyObject *src = PyObject_GetIter(docs);
    if (!src)
        return NULL;
    TagMany *it = PyObject_GC_New(TagMany, &TagManyType);
    if (!it) {
        Py_DECREF(src);
        return NULL;
    }
    memset((char *)it + sizeof(PyObject), 0, sizeof *it - sizeof(PyObject));
    it->tagger = (Tagger *)Py_NewRef(self);
    it->source = src;
    it->threads = threads;
    it->batch_size = batch_size ? (size_t)batch_size : (size_t)(64 * threads);
    it->inflight = -1;
    if (threads > 1) {
        if (pthread_mutex_init(&it->mu, NULL) == 0 &&
            pthread_cond_init(&it->work, NULL) == 0 &&
            pthread_cond_init(&it->finished, NULL) == 0)
            it->sync_ok = 1;
        it->tid = calloc((size_t)threads, sizeof *it->tid);
        if (!it->sync_ok || !it->tid) {
            Py_DECREF(it);
            return PyErr_NoMemory();
        }
        for (int i = 0; i < threads; i++) {
            if (pthread_create(&it->tid[i], NULL, worker_main, it) != 0)
                break;
            it->nthreads_started++;
        }
        if (!it->nthreads_started) {
            Py_DECREF(it);
            PyErr_SetString(PyExc_RuntimeError, "cannot start a tagging thread");
            return NULL;
        }
    }
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static PyObject *tagmany_next(TagMany *it)
{
    for (;;) {
        if (it->ready && it->ready_at < PyList_GET_SIZE(it->ready)) {
            PyObject *o = PyList_GET_ITEM(it->ready, it->ready_at);
            PyList_SET_ITEM(it->ready, it->ready_at, NULL);
            it->ready_at++;
            return o;
        }
        Py_CLEAR(it->ready);
        if (it->inflight < 0) {
            /* the first call, or the end */
            if (!fill_batch(it, 0))
                break;
            submit(it, 0);
        }
        int k = it->inflight;
        batch *b = &it->b[k];
        wait_batch(it, b);
        /* keep the workers busy with the next batch while this one becomes
         * Python objects */
        it->inflight = -1;
        if (fill_batch(it, 1 - k))
            submit(it, 1 - k);
        PyObject *list = PyList_New(0);
        if (!list)
            return NULL;
        for (size_t i = 0; i < b->n; i++) {
            PyObject *ms = doc_mentions(&b->docs[i], &b->res[i]);
            if (!ms) {
                /* hand out the documents before this one, then its error;
                 * the batch being tagged is dropped */
                Py_XDECREF(it->pending[0]);
                Py_XDECREF(it->pending[1]);
                Py_XDECREF(it->pending[2]);
                keep_error(it);
                if (it->inflight >= 0) {
                    wait_batch(it, &it->b[it->inflight]);
                    batch_free(&it->b[it->inflight]);
                    it->inflight = -1;
                }
                break;
            }
            int r = PyList_Append(list, ms);
            Py_DECREF(ms);
            if (r < 0) {
                Py_DECREF(list);
                return NULL;
            }
        }
        batch_free(b);
        it->ready = list;
        it->ready_at = 0;
    }
    stop_workers(it);
    if (it->pending[0]) {
        PyErr_Restore(it->pending[0], it->pending[1], it->pending[2]);
        it->pending[0] = it->pending[1] = it->pending[2] = NULL;
    }
    return NULL;
}

static void tagmany_dealloc(TagMany *it)
{
    PyObject_GC_UnTrack(it);
    stop_workers(it);
    batch_free(&it->b[0]);
    batch_free(&it->b[1]);
    free(it->tid);
    if (it->sync_ok) {
        pthread_mutex_destroy(&it->mu);
        pthread_cond_destroy(&it->work);
        pthread_cond_destroy(&it->finished);
    }
    Py_XDECREF(it->ready);
    Py_XDECREF(it->source);
    for (int i = 0; i < 3; i++)
        Py_XDECREF(it->pending[i]);
    Py_XDECREF(it->tagger);
    PyObject_GC_Del(it);
}

static int tagmany_traverse(TagMany *it, visitproc visit, void *arg)
{
    Py_VISIT(it->source);
    Py_VISIT(it->ready);
    for (int i = 0; i < 3; i++)
        Py_VISIT(it->pending[i]);
    Py_VISIT(it->tagger);
    return 0;
}

static PyTypeObject TagManyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gaztag._TagMany",
    .tp_basicsize = sizeof(TagMany),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)tagmany_dealloc,
    .tp_traverse = (traverseproc)tagmany_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)tagmany_next,
};

static PyMethodDef tagger_methods[] = {
    {"tag", (PyCFunction)tagger_tag, METH_O,
     "tag(text) -> list of Mention, in order of start.\n\n"
     "text is a str (start and end count code points) or bytes (byte offsets;\n"
     "invalid UTF-8 allowed).  The GIL is released while tagging."},
    {"tag_many", (PyCFunction)(void (*)(void))tagger_tag_many, METH_VARARGS | METH_KEYWORDS,
     "tag_many(documents, *, threads=1, batch_size=64*threads) -> iterator of lists\n\n"
     "Tag each str or bytes of the iterable documents on `threads` threads,\n"
     "with the GIL released, and yield each document's list of Mention in\n"
     "input order."},
    {"__reduce__", (PyCFunction)tagger_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};

static PyTypeObject TaggerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gaztag.Tagger",
    .tp_doc = "Tagger(*, dictionaries=None, rules=None, bundled=True, entries=None,\n"
              "       fold_diacritics=False, acronyms=True, variants=True, propagation=True,\n"
              "       image=None, context=True)\n\n"
              "A frozen set of dictionaries and rules.  bundled loads gaztag's own\n"
              "dictionaries and rules first; dictionaries and rules are paths of your\n"
              "own files (they outrank the bundled ones); entries are tuples\n"
              "(name, type[, id[, aliases[, attrs[, priority]]]]) or dicts with those\n"
              "keys.  context=False decides each mention alone (gaztag tag\n"
              "--no-context).  Safe to share between threads; picklable (it is rebuilt\n"
              "from its arguments).",
    .tp_basicsize = sizeof(Tagger),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = tagger_new,
    .tp_init = (initproc)tagger_init,
    .tp_dealloc = (destructor)tagger_dealloc,
    .tp_repr = (reprfunc)tagger_repr,
    .tp_methods = tagger_methods,
};

/* ---- module ---- */


/* _rebuild(kwargs): the Tagger for those arguments, built once per process
 * (unpickling a Tagger in a worker reuses the one already built there). */
static PyObject *mod_rebuild(PyObject *mod, PyObject *kwargs)
{
    if (!PyDict_Check(kwargs)) {
        PyErr_SetString(PyExc_TypeError, "_rebuild takes the Tagger's arguments as a dict");
        return NULL;
    }
    PyObject *key = PyObject_Repr(kwargs);
    if (!key)
        return NULL;
    PyObject *t = PyDict_GetItemWithError(rebuild_cache, key);
    if (t) {
        Py_DECREF(key);
        return Py_NewRef(t);
    }
    if (PyErr_Occurred()) {
        Py_DECREF(key);
        return NULL;
    }
    PyObject *empty = PyTuple_New(0);
    t = empty ? PyObject_Call((PyObject *)&TaggerType, empty, kwargs) : NULL;
    Py_XDECREF(empty);
    if (t && PyDict_SetItem(rebuild_cache, key, t) < 0)
        Py_CLEAR(t);
    Py_DECREF(key);
    return t;
}

static PyMethodDef module_methods[] = {
    {"_rebuild", mod_rebuild, METH_O, "Rebuild a pickled Tagger (cached per process)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "gaztag",
    "Gazetteer and rule based named-entity tagging (the gaztag C library).",
    -1, module_methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_gaztag(void);

PyMODINIT_FUNC PyInit_gaztag(void)
{
    if (PyType_Ready(&MentionType) < 0 || PyType_Ready(&TaggerType) < 0 ||
        PyType_Ready(&TagManyType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return NULL;
    if (!GzError) {
        GzError = PyErr_NewExceptionWithDoc(
            "gaztag.Error",
            "A bad dictionary, rule or entry: the message, and .file, .line and .column\n"
            "(None when they do not apply).",
            PyExc_Exception, NULL);
        rebuild_cache = PyDict_New();
        if (!GzError || !rebuild_cache)
            goto fail;
        /* class-level defaults, so that every Error has the three attributes */
        if (PyObject_SetAttrString(GzError, "file", Py_None) < 0 ||
            PyObject_SetAttrString(GzError, "line", Py_None) < 0 ||
            PyObject_SetAttrString(GzError, "column", Py_None) < 0)
            goto fail;
    }
    if (PyModule_AddStringConstant(m, "__version__", GAZTAG_VERSION) < 0 ||
        PyModule_AddObjectRef(m, "Error", GzError) < 0 ||
        PyModule_AddObjectRef(m, "Tagger", (PyObject *)&TaggerType) < 0 ||
        PyModule_AddObjectRef(m, "Mention", (PyObject *)&MentionType) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
