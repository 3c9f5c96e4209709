/*
 * dict.c -- the dict type and its views, laid out like CPython 3.6+'s
 * "compact, ordered" dictionary.
 *
 * A dict keeps two arrays:
 *
 *     index[]    a hash table of nindex 4-byte slots (a power of two).  Each slot
 *                holds an entry number, or IX_EMPTY (never used), or
 *                IX_DUMMY (its entry was deleted).
 *     entries[]  the (key, value, hash) triples in insertion order.  A
 *                deleted entry keeps its place with key == value == NULL,
 *                so iteration order never changes when something is
 *                removed.
 *
 *     d = {'b': 1, 'a': 2}              index[8]            entries[5]
 *                                       [-1, 1,-1,-1,       0: 'b' 1 hash('b')
 *                                        -1,-1, 0,-1]       1: 'a' 2 hash('a')
 *
 * Looking a key up probes index[] starting at hash & mask and follows
 * CPython's sequence  i = 5*i + 1 + perturb  (perturb = the hash, shifted
 * right by 5 bits each step), so that all the bits of the hash take part.
 * Probing stops at the first IX_EMPTY slot; a dummy does not stop it, or
 * keys inserted after a collision would become unreachable once the key
 * they collided with is deleted.
 *
 * entries[] has room for 2/3 of nindex ("the usable fraction"), which
 * keeps the hash table at most 2/3 full so probes stay short.  Entries are
 * only ever appended; when the last one is used the dict is rebuilt for
 * used*3 entries (CPython's GROWTH_RATE), which also squeezes out the
 * deleted ones -- so a dict that had many deletions may even shrink.
 *
 * Comparing keys may run guest code (a class's __eq__), and that code may
 * change the very dict being searched.  Every comparison therefore holds a
 * reference to the key it compares and, afterwards, checks that the
 * tables are still the ones it was probing; if not, the lookup starts over.
 * For str keys -- attribute names, globals, most literals -- the fast path
 * never leaves C: same object, or same hash and same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/interp.h"

enum {
    IX_EMPTY = -1,     /* index slot never used: ends a probe */
    IX_DUMMY = -2,     /* index slot whose entry was deleted: probing goes on */
    IX_ERROR = -3,     /* returned by lookup: an exception is set */
};

#define DICT_MINSIZE 8      /* smallest index[]: 5 usable entries */
#define PERTURB_SHIFT 5

static inline GsDict *as_dict(GsObject *o) { return (GsDict *)o; }

/* How many entries an index of n slots may hold: two thirds of it. */
static inline size_t usable_fraction(size_t n) { return (n << 1) / 3; }

/* CPython's ESTIMATE_SIZE: an index size that holds n entries. */
static inline size_t estimate_size(size_t n) { return (n * 3 + 1) >> 1; }

/* The hash of a key; str caches its own, which skips a call. */
static int64_t key_hash(GsThread *ts, GsObject *key)
{
    if (GS_IS_STR(key)) {
        int64_t h = ((GsStr *)key)->hash;
        if (h != -1)
            return h;
    }
    return gs_hash(ts, key);
}

/* Raise KeyError(key): its args is (key,) so it prints as KeyError: 'b'. */
static GsObject *set_key_error(GsThread *ts, GsObject *key)
{
    GsObject *exc = gs_exc_new(ts, &gs_exc_KeyError, &key, 1);
    if (exc == NULL)
        return NULL;
    gs_err_set_obj(ts, exc);
    gs_decref(ts, exc);
    return NULL;
}

/* ---- the hash table ------------------------------------------------------ */

/* The first slot on hash's probe sequence that holds no live entry.
 * There always is one: entries[] never exceeds 2/3 of index[]. */
static size_t find_free_slot(const GsDict *d, int64_t hash)
{
    size_t mask = d->nindex - 1;
    size_t i = (size_t)hash & mask;
    for (uint64_t perturb = (uint64_t)hash; d->index[i] >= 0;) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

/* The index slot that points at entry ix (which must be live). */
static size_t find_slot_of_entry(const GsDict *d, int64_t ix)
{
    int64_t hash = d->entries[ix].hash;
    size_t mask = d->nindex - 1;
    size_t i = (size_t)hash & mask;
    for (uint64_t perturb = (uint64_t)hash; d->index[i] != ix;) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

/* Rebuild the tables with room for at least minsize index slots, keeping
 * only the live entries, in order.  No guest code runs here: the stored
 * hashes are enough to place every entry. */
static int dict_resize(GsThread *ts, GsDict *d, size_t minsize)
{
    size_t newsize = DICT_MINSIZE;
    while (newsize < minsize)
        newsize <<= 1;
    size_t newcap = usable_fraction(newsize);

    /* 4-byte slots (CPython picks 1, 2, 4 or 8 bytes by size): half the
     * memory of 8-byte ones, so a big dict's probes miss the cache less. */
    if (newsize > (size_t)INT32_MAX) {
        gs_err_set(ts, &gs_exc_MemoryError, "dict too large");
        return -1;
    }
    int32_t *index = gs_malloc(ts, newsize * sizeof *index);
    if (index == NULL)
        return -1;
    GsDictEntry *entries = gs_malloc(ts, newcap * sizeof *entries);
    if (entries == NULL) {
        free(index);
        return -1;
    }
    memset(index, 0xff, newsize * sizeof *index);   /* all IX_EMPTY (-1) */

    size_t n = 0;
    for (size_t i = 0; i < d->nentries; i++)
        if (d->entries[i].key != NULL)
            entries[n++] = d->entries[i];

    free(d->index);
    free(d->entries);
    d->index = index;
    d->entries = entries;
    d->nindex = newsize;
    d->cap = newcap;
    d->nentries = n;
    for (size_t i = 0; i < n; i++)
        d->index[find_free_slot(d, entries[i].hash)] = (int32_t)i;
    return 0;
}

/* Compare the key stored in entry ix with key.  Returns 1 equal, 0 not,
 * -1 error, or 2 if guest code changed the dict while comparing (the
 * caller must start its probe again: its position means nothing now). */
static int entry_key_equals(GsThread *ts, GsDict *d, int64_t ix, GsObject *key)
{
    GsObject *startkey = d->entries[ix].key;
    if (GS_IS_STR(startkey) && GS_IS_STR(key))
        return gs_str_eq(startkey, key);

    const int32_t *index = d->index;
    const GsDictEntry *entries = d->entries;
    size_t nindex = d->nindex;
    gs_incref(ts, startkey);     /* __eq__ may delete it from the dict */
    int cmp = gs_equal(ts, startkey, key);
    gs_decref(ts, startkey);
    if (cmp < 0)
        return -1;
    if (d->index != index || d->entries != entries || d->nindex != nindex ||
        d->entries[ix].key != startkey)
        return 2;
    return cmp;
}

/* Find key.  Returns its entry number, IX_EMPTY if absent, or IX_ERROR
 * with an exception set. */
static int64_t dict_lookup(GsThread *ts, GsDict *d, GsObject *key, int64_t hash)
{
restart:
    if (d->nindex == 0)
        return IX_EMPTY;
    size_t mask = d->nindex - 1;
    size_t i = (size_t)hash & mask;
    for (uint64_t perturb = (uint64_t)hash;;) {
        int64_t ix = d->index[i];
        if (ix == IX_EMPTY)
            return IX_EMPTY;
        if (ix >= 0) {
            GsDictEntry *e = &d->entries[ix];
            if (e->key == key)
                return ix;
            if (e->hash == hash) {
                int cmp = entry_key_equals(ts, d, ix, key);
                if (cmp < 0)
                    return IX_ERROR;
                if (cmp == 2)
                    goto restart;
                if (cmp == 1)
                    return ix;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* The last version given to any dict (GsDict.version).  Dicts change
 * under the GIL, but the counter is atomic all the same: it costs little
 * next to a change, and stays right where no GIL orders the changes. */
static _Atomic uint64_t last_dict_version;

static void dict_changed(GsDict *d)
{
    d->version = atomic_fetch_add_explicit(&last_dict_version, 1, memory_order_relaxed) + 1;
}

/* DICTS AND THE COLLECTOR.  Like CPython, a plain dict is not tracked by
 * the cycle collector until it holds something that could be part of a
 * cycle: `gc.is_tracked({})` and `gc.is_tracked({'a': 1})` are False,
 * `gc.is_tracked({'a': []})` is True.  A dict of ints and strs can never
 * be in a cycle, and most dicts are such (keyword arguments, small
 * records), so the collector has less to scan.  A full collection also
 * stops tracking the dicts that hold only atoms again (gc.c). */
static void maintain_tracking(GsThread *ts, GsDict *d, GsObject *key, GsObject *value)
{
    if (!gs_gc_is_tracked((GsObject *)d) && (gs_gc_may_be_tracked(key) ||
                                             gs_gc_may_be_tracked(value)))
        gs_gc_track_again(ts, (GsObject *)d);
}

/* Does d hold anything the collector tracks?  (gc.c's untrack_dicts) */
bool gs_dict_holds_tracked(GsObject *o)
{
    GsDict *d = as_dict(o);
    for (size_t i = 0; i < d->nentries; i++)
        if (d->entries[i].key != NULL && (gs_gc_may_be_tracked(d->entries[i].key) ||
                                          gs_gc_may_be_tracked(d->entries[i].value)))
            return true;
    return false;
}

/* Append a (key, value) known to be absent, growing first if entries[]
 * is full.  Takes new references on both. */
static int insert_new_entry(GsThread *ts, GsDict *d, GsObject *key, int64_t hash,
                            GsObject *value)
{
    if (d->nentries == d->cap && dict_resize(ts, d, d->used * 3) < 0)
        return -1;
    maintain_tracking(ts, d, key, value);
    size_t ix = d->nentries++;
    d->entries[ix] = (GsDictEntry){ gs_newref(ts, key), gs_newref(ts, value), hash };
    d->index[find_free_slot(d, hash)] = (int32_t)ix;
    d->used++;
    dict_changed(d);
    return 0;
}

/* d[key] = value with key's hash already known. */
static int dict_insert(GsThread *ts, GsDict *d, GsObject *key, int64_t hash, GsObject *value)
{
    int64_t ix = dict_lookup(ts, d, key, hash);
    if (ix == IX_ERROR)
        return -1;
    if (ix == IX_EMPTY)
        return insert_new_entry(ts, d, key, hash, value);
    /* An existing key keeps its original key object, as in CPython.  The
     * old value is released last: its destructor may run guest code, which
     * must see the dict already updated. */
    maintain_tracking(ts, d, key, value);
    GsObject *old = d->entries[ix].value;
    d->entries[ix].value = gs_newref(ts, value);
    dict_changed(d);
    gs_decref(ts, old);
    return 0;
}

/* Unlink live entry ix.  Returns its key and value, whose references the
 * caller now owns, so it can drop them once the dict is consistent. */
static void remove_entry(GsDict *d, int64_t ix, GsObject **key, GsObject **value)
{
    d->index[find_slot_of_entry(d, ix)] = IX_DUMMY;
    *key = d->entries[ix].key;
    *value = d->entries[ix].value;
    d->entries[ix].key = d->entries[ix].value = NULL;
    d->used--;
    dict_changed(d);
}

/* Empty d.  The tables are detached before anything is released, because
 * releasing a value can run guest code that looks at d. */
static void dict_clear_contents(GsThread *ts, GsDict *d)
{
    GsDictEntry *entries = d->entries;
    size_t n = d->nentries;
    free(d->index);
    d->index = NULL;
    d->entries = NULL;
    d->used = d->nentries = d->cap = d->nindex = 0;
    dict_changed(d);
    for (size_t i = 0; i < n; i++) {
        if (entries[i].key != NULL) {
            gs_decref(ts, entries[i].key);
            gs_decref(ts, entries[i].value);
        }
    }
    free(entries);
}

/* ---- the C API (object.h) ------------------------------------------------- */

GsObject *gs_dict_new(GsThread *ts)
{
    /* Zeroed memory is an empty dict: no tables until the first insert;
     * and not tracked until it holds a container (maintain_tracking). */
    GsObject *d = gs_alloc(ts, &gs_dict_type, sizeof(GsDict));
    if (d)
        gs_gc_untrack_alive(ts, d);
    return d;
}

GsObject *gs_dict_get(GsThread *ts, GsObject *o, GsObject *key)
{
    int64_t hash = key_hash(ts, key);
    if (hash == -1)
        return NULL;
    GsDict *d = as_dict(o);
    int64_t ix = dict_lookup(ts, d, key, hash);
    return ix >= 0 ? d->entries[ix].value : NULL;
}

GsObject *gs_dict_get_c(GsThread *ts, GsObject *d, const char *key)
{
    GsObject *k = gs_str_from(ts, key);
    if (k == NULL)
        return NULL;
    GsObject *v = gs_dict_get(ts, d, k);
    gs_decref(ts, k);
    return v;   /* borrowed: the dict keeps it alive */
}

int gs_dict_set(GsThread *ts, GsObject *d, GsObject *key, GsObject *v)
{
    int64_t hash = key_hash(ts, key);
    if (hash == -1)
        return -1;
    return dict_insert(ts, as_dict(d), key, hash, v);
}

int gs_dict_set_c(GsThread *ts, GsObject *d, const char *key, GsObject *v)
{
    /* Interned, like CPython's PyDict_SetItemString: later lookups by
     * interned names (attributes, globals) then hit on pointer equality. */
    GsObject *k = gs_str_intern_c(ts, key);
    if (k == NULL)
        return -1;
    int r = gs_dict_set(ts, d, k, v);
    gs_decref(ts, k);
    return r;
}

int gs_dict_del(GsThread *ts, GsObject *o, GsObject *key)
{
    int64_t hash = key_hash(ts, key);
    if (hash == -1)
        return -1;
    GsDict *d = as_dict(o);
    int64_t ix = dict_lookup(ts, d, key, hash);
    if (ix == IX_ERROR)
        return -1;
    if (ix == IX_EMPTY)
        return 0;
    GsObject *oldkey, *oldvalue;
    remove_entry(d, ix, &oldkey, &oldvalue);
    gs_decref(ts, oldkey);
    gs_decref(ts, oldvalue);
    return 1;
}

bool gs_dict_next(GsObject *o, size_t *pos, GsObject **key, GsObject **value)
{
    GsDict *d = as_dict(o);
    size_t i = *pos;
    while (i < d->nentries && d->entries[i].key == NULL)
        i++;
    if (i >= d->nentries) {
        *pos = i;
        return false;
    }
    *pos = i + 1;
    if (key)
        *key = d->entries[i].key;
    if (value)
        *value = d->entries[i].value;
    return true;
}

/* ---- iteration -------------------------------------------------------------- */

/* What an iterator or view of `kind` yields for entry e: a new reference. */
static GsObject *entry_item(GsThread *ts, const GsDictEntry *e, int kind)
{
    switch (kind) {
    case GS_ITER_DICT_KEYS:
        return gs_newref(ts, e->key);
    case GS_ITER_DICT_VALUES:
        return gs_newref(ts, e->value);
    default:
        return gs_tuple_pack(ts, 2, e->key, e->value);
    }
}

/* A fresh iterator over d.  it->stop remembers the size, to notice
 * insertions and deletions; it->cur counts the items handed out, to notice
 * a deletion and an insertion that cancel out (CPython's di_len). */
static GsObject *dict_iter_new(GsThread *ts, GsObject *d, int kind)
{
    GsObject *o = gs_iter_new(ts, d, kind);
    if (o == NULL)
        return NULL;
    GsIter *it = (GsIter *)o;
    it->index = 0;
    it->cur = 0;
    it->stop = (int64_t)as_dict(d)->used;
    return o;
}

/* The iterator is done: let go of the dict, as CPython does. */
static GsObject *dict_iter_finish(GsThread *ts, GsIter *it)
{
    GsObject *d = it->seq;
    it->seq = NULL;
    gs_decref(ts, d);
    return NULL;
}

GsObject *gs_dict_iternext(GsThread *ts, GsIter *it)
{
    if (it->seq == NULL)
        return NULL;
    GsDict *d = as_dict(it->seq);
    if ((int64_t)d->used != it->stop) {
        it->stop = -1;   /* stay broken, as CPython's iterator does */
        return gs_err_set(ts, &gs_exc_RuntimeError,
                          "dictionary changed size during iteration");
    }
    size_t i = (size_t)it->index;
    while (i < d->nentries && d->entries[i].key == NULL)
        i++;
    if (i >= d->nentries)
        return dict_iter_finish(ts, it);
    if (it->cur >= it->stop) {
        /* Same size, but more items than it had: keys were swapped. */
        gs_err_set(ts, &gs_exc_RuntimeError, "dictionary keys changed during iteration");
        return dict_iter_finish(ts, it);
    }
    it->index = (int64_t)i + 1;
    it->cur++;
    return entry_item(ts, &d->entries[i], it->kind);
}

/* ---- type slots --------------------------------------------------------------- */

static void dict_dealloc(GsThread *ts, GsObject *o)
{
    dict_clear_contents(ts, as_dict(o));
}

static int dict_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsDict *d = as_dict(o);
    for (size_t i = 0; i < d->nentries; i++) {
        GsDictEntry *e = &d->entries[i];
        if (e->key == NULL)
            continue;
        int r = visit(e->key, arg);
        if (r == 0)
            r = visit(e->value, arg);
        if (r != 0)
            return r;
    }
    return 0;
}

static void dict_clear_slot(GsThread *ts, GsObject *o)
{
    dict_clear_contents(ts, as_dict(o));
}

/* Append "key: value" for entry i.  Both are held while repr runs:
 * a __repr__ may delete them from the dict. */
static int repr_entry(GsThread *ts, GsBuf *b, const GsDictEntry *e)
{
    GsObject *k = gs_newref(ts, e->key), *v = gs_newref(ts, e->value);
    int r = gs_buf_repr(ts, b, k);
    if (r == 0) {
        gs_buf_puts(b, ": ");
        r = gs_buf_repr(ts, b, v);
    }
    gs_decref(ts, k);
    gs_decref(ts, v);
    return r;
}

static GsObject *dict_repr(GsThread *ts, GsObject *o)
{
    int rc = gs_repr_enter(ts, o);
    if (rc != 0)
        return rc > 0 ? gs_str_from(ts, "{...}") : NULL;
    GsDict *d = as_dict(o);
    GsBuf b;
    gs_buf_init(&b);
    gs_buf_putc(&b, '{');
    bool first = true;
    /* Re-read nentries each time round: a __repr__ may grow the dict. */
    for (size_t i = 0; i < d->nentries; i++) {
        if (d->entries[i].key == NULL)
            continue;
        if (!first)
            gs_buf_puts(&b, ", ");
        first = false;
        if (repr_entry(ts, &b, &d->entries[i]) < 0) {
            gs_buf_free(&b);
            gs_repr_leave(ts, o);
            return NULL;
        }
    }
    gs_buf_putc(&b, '}');
    gs_repr_leave(ts, o);
    return gs_buf_finish(ts, &b);
}

static int64_t dict_unhashable(GsThread *ts, GsObject *o)
{
    gs_err_set(ts, &gs_exc_TypeError, "unhashable type: '%s'", gs_type_name(o));
    return -1;
}

/* a == b for two dicts: same size, and every key of a is in b with an
 * equal value.  1, 0 or -1. */
static int dict_equal(GsThread *ts, GsDict *a, GsDict *b)
{
    if (a->used != b->used)
        return 0;
    for (size_t i = 0; i < a->nentries; i++) {
        GsDictEntry *e = &a->entries[i];
        if (e->key == NULL)
            continue;
        GsObject *key = gs_newref(ts, e->key), *aval = gs_newref(ts, e->value);
        int64_t ix = dict_lookup(ts, b, key, e->hash);
        int cmp;
        if (ix < 0) {
            cmp = ix == IX_ERROR ? -1 : 0;
        } else {
            GsObject *bval = gs_newref(ts, b->entries[ix].value);
            /* Identity first, as PyObject_RichCompareBool does. */
            cmp = aval == bval ? 1 : gs_equal(ts, aval, bval);
            gs_decref(ts, bval);
        }
        gs_decref(ts, key);
        gs_decref(ts, aval);
        if (cmp <= 0)
            return cmp;
    }
    return 1;
}

static GsObject *dict_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (!GS_IS_DICT(a) || !GS_IS_DICT(b) || (op != GS_CMP_EQ && op != GS_CMP_NE))
        return gs_newref(ts, GS_NOTIMPL);
    int eq = dict_equal(ts, as_dict(a), as_dict(b));
    if (eq < 0)
        return NULL;
    return gs_newref(ts, gs_bool((eq == 1) == (op == GS_CMP_EQ)));
}

static int64_t dict_len(GsThread *ts, GsObject *o)
{
    return (int64_t)as_dict(o)->used;
}

static int dict_truth(GsThread *ts, GsObject *o)
{
    return as_dict(o)->used != 0;
}

static GsObject *dict_getitem(GsThread *ts, GsObject *o, GsObject *key)
{
    GsObject *v = gs_dict_get(ts, o, key);
    if (v != NULL)
        return gs_newref(ts, v);
    if (gs_err_occurred(ts))
        return NULL;
    return set_key_error(ts, key);
}

static int dict_setitem(GsThread *ts, GsObject *o, GsObject *key, GsObject *v)
{
    if (v != NULL)
        return gs_dict_set(ts, o, key, v);
    int r = gs_dict_del(ts, o, key);
    if (r == 0) {
        set_key_error(ts, key);
        return -1;
    }
    return r < 0 ? -1 : 0;
}

static int dict_contains(GsThread *ts, GsObject *o, GsObject *key)
{
    int64_t hash = key_hash(ts, key);
    if (hash == -1)
        return -1;
    int64_t ix = dict_lookup(ts, as_dict(o), key, hash);
    return ix == IX_ERROR ? -1 : ix >= 0;
}

static GsObject *dict_iter(GsThread *ts, GsObject *o)
{
    return dict_iter_new(ts, o, GS_ITER_DICT_KEYS);
}

/* ---- update: from a dict, a mapping, pairs, keywords ----------------------- */

/* a.update(b) for a dict b: its stored hashes are reused. */
static int merge_from_dict(GsThread *ts, GsDict *a, GsDict *b)
{
    if (a == b || b->used == 0)
        return 0;
    /* One resize up front rather than several while inserting (CPython
     * expects few of b's keys to be in a already). */
    if (a->cap < b->used &&
        dict_resize(ts, a, estimate_size(a->used + b->used)) < 0)
        return -1;
    for (size_t i = 0; i < b->nentries; i++) {
        GsDictEntry *e = &b->entries[i];
        if (e->key == NULL)
            continue;
        size_t n = b->nentries;
        const GsDictEntry *entries = b->entries;
        GsObject *k = gs_newref(ts, e->key), *v = gs_newref(ts, e->value);
        int r = dict_insert(ts, a, k, e->hash, v);
        gs_decref(ts, k);
        gs_decref(ts, v);
        if (r < 0)
            return -1;
        if (b->nentries != n || b->entries != entries) {
            gs_err_set(ts, &gs_exc_RuntimeError, "dict mutated during update");
            return -1;
        }
    }
    return 0;
}

/* a.update(m) for any object with keys(): a[k] = m[k] for k in m.keys(). */
static int merge_from_mapping(GsThread *ts, GsObject *a, GsObject *m, GsObject *keys_fn)
{
    GsObject *keys = gs_call0(ts, keys_fn);
    if (keys == NULL)
        return -1;
    GsObject *it = gs_getiter(ts, keys);
    gs_decref(ts, keys);
    if (it == NULL)
        return -1;
    int r = 0;
    GsObject *k;
    while (r == 0 && (k = gs_iternext(ts, it)) != NULL) {
        GsObject *v = gs_getitem(ts, m, k);
        r = v ? gs_dict_set(ts, a, k, v) : -1;
        gs_xdecref(ts, v);
        gs_decref(ts, k);
    }
    gs_decref(ts, it);
    return r < 0 || gs_err_occurred(ts) ? -1 : 0;
}

/* Element #i of dict(pairs) as a list or tuple of exactly two items
 * (a new reference), with CPython's messages when it is not one. */
static GsObject *pair_as_sequence(GsThread *ts, GsObject *item, size_t i)
{
    GsObject *seq;
    if (GS_IS_TUPLE(item) || GS_IS_LIST(item)) {
        seq = gs_newref(ts, item);
    } else {
        seq = gs_sequence_to_list(ts, item);
        if (seq == NULL) {
            if (gs_err_matches(ts, &gs_exc_TypeError)) {
                gs_err_clear(ts);
                gs_err_set(ts, &gs_exc_TypeError,
                           "cannot convert dictionary update sequence element #%zu "
                           "to a sequence", i);
            }
            return NULL;
        }
    }
    size_t n = GS_IS_TUPLE(seq) ? ((GsTuple *)seq)->len : ((GsList *)seq)->len;
    if (n != 2) {
        gs_decref(ts, seq);
        return gs_err_set(ts, &gs_exc_ValueError,
                          "dictionary update sequence element #%zu has length %zu; "
                          "2 is required", i, n);
    }
    return seq;
}

/* d[k] = v for one (k, v) pair of dict(pairs). */
static int merge_one_pair(GsThread *ts, GsObject *d, GsObject *item, size_t i)
{
    GsObject *seq = pair_as_sequence(ts, item, i);
    if (seq == NULL)
        return -1;
    GsObject *const *items = GS_IS_TUPLE(seq) ? ((GsTuple *)seq)->items
                                              : ((GsList *)seq)->items;
    /* Held: hashing the key may run code that empties a list pair. */
    GsObject *k = gs_newref(ts, items[0]), *v = gs_newref(ts, items[1]);
    int r = gs_dict_set(ts, d, k, v);
    gs_decref(ts, k);
    gs_decref(ts, v);
    gs_decref(ts, seq);
    return r;
}

static int merge_from_pairs(GsThread *ts, GsObject *d, GsObject *iterable)
{
    GsObject *it = gs_getiter(ts, iterable);
    if (it == NULL)
        return -1;
    int r = 0;
    GsObject *item;
    for (size_t i = 0; r == 0 && (item = gs_iternext(ts, it)) != NULL; i++) {
        r = merge_one_pair(ts, d, item, i);
        gs_decref(ts, item);
    }
    gs_decref(ts, it);
    return r < 0 || gs_err_occurred(ts) ? -1 : 0;
}

/* The positional argument of dict(x) and d.update(x). */
static int update_from_arg(GsThread *ts, GsObject *d, GsObject *arg)
{
    if (GS_IS_DICT(arg))
        return merge_from_dict(ts, as_dict(d), as_dict(arg));
    GsObject *keys_fn = gs_getattr_c(ts, arg, "keys");
    if (keys_fn != NULL) {
        int r = merge_from_mapping(ts, d, arg, keys_fn);
        gs_decref(ts, keys_fn);
        return r;
    }
    if (!gs_err_matches(ts, &gs_exc_AttributeError))
        return -1;
    gs_err_clear(ts);
    return merge_from_pairs(ts, d, arg);
}

/* dict(...) and d.update(...): at most one positional, then keywords. */
static int update_common(GsThread *ts, GsObject *d, GsObject *const *args, size_t nargs,
                         GsObject *kwnames, const char *fname)
{
    size_t nkw = gs_kw_count(kwnames);
    size_t npos = nargs - nkw;
    if (npos > 1) {
        gs_err_set(ts, &gs_exc_TypeError, "%s expected at most 1 argument, got %zu",
                   fname, npos);
        return -1;
    }
    if (npos == 1 && update_from_arg(ts, d, args[0]) < 0)
        return -1;
    for (size_t i = 0; i < nkw; i++)
        if (gs_dict_set(ts, d, ((GsTuple *)kwnames)->items[i], args[npos + i]) < 0)
            return -1;
    return 0;
}

static GsObject *dict_new_slot(GsThread *ts, GsType *type, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    GsObject *d = gs_alloc(ts, type, type->size);
    if (d == NULL)
        return NULL;
    if (type == &gs_dict_type)   /* a subclass's instances are always tracked */
        gs_gc_untrack_alive(ts, d);
    if (update_common(ts, d, args, nargs, kwnames, "dict") < 0) {
        gs_decref(ts, d);
        return NULL;
    }
    return d;
}

/* ---- methods ------------------------------------------------------------------ */

/* Positional-only argument check shared by the methods, with CPython
 * 3.9's exact messages: they name the method "dict.get()" for keywords
 * and for methods without arguments, but plain "get" for a wrong count. */
static int check_args(GsThread *ts, const char *name, size_t nargs, GsObject *kwnames,
                      size_t min, size_t max)
{
    if (kwnames != NULL && ((GsTuple *)kwnames)->len > 0) {
        gs_err_set(ts, &gs_exc_TypeError, "dict.%s() takes no keyword arguments", name);
        return -1;
    }
    if (max == 0 && nargs > 0) {
        gs_err_set(ts, &gs_exc_TypeError, "dict.%s() takes no arguments (%zu given)", name,
                   nargs);
        return -1;
    }
    if (nargs < min || nargs > max) {
        size_t bound = nargs < min ? min : max;
        gs_err_set(ts, &gs_exc_TypeError, "%s expected at %s %zu argument%s, got %zu", name,
                   nargs < min ? "least" : "most", bound, bound == 1 ? "" : "s", nargs);
        return -1;
    }
    return 0;
}

static GsObject *dict_get_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                 size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "get", nargs, kwnames, 1, 2) < 0)
        return NULL;
    GsObject *v = gs_dict_get(ts, self, args[0]);
    if (v == NULL && gs_err_occurred(ts))
        return NULL;
    if (v == NULL)
        v = nargs == 2 ? args[1] : GS_NONE;
    return gs_newref(ts, v);
}

static GsObject *view_new(GsThread *ts, GsObject *d, int kind);

static GsObject *dict_keys_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "keys", nargs, kwnames, 0, 0) < 0)
        return NULL;
    return view_new(ts, self, GS_ITER_DICT_KEYS);
}

static GsObject *dict_values_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                    size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "values", nargs, kwnames, 0, 0) < 0)
        return NULL;
    return view_new(ts, self, GS_ITER_DICT_VALUES);
}

static GsObject *dict_items_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                   size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "items", nargs, kwnames, 0, 0) < 0)
        return NULL;
    return view_new(ts, self, GS_ITER_DICT_ITEMS);
}

/* d.pop(key[, default]): remove key and return its value. */
static GsObject *dict_pop_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                 size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "pop", nargs, kwnames, 1, 2) < 0)
        return NULL;
    GsDict *d = as_dict(self);
    GsObject *key = args[0], *deflt = nargs == 2 ? args[1] : NULL;
    /* CPython answers for an empty dict before hashing the key. */
    if (d->used == 0)
        return deflt ? gs_newref(ts, deflt) : set_key_error(ts, key);
    int64_t hash = key_hash(ts, key);
    if (hash == -1)
        return NULL;
    int64_t ix = dict_lookup(ts, d, key, hash);
    if (ix == IX_ERROR)
        return NULL;
    if (ix == IX_EMPTY)
        return deflt ? gs_newref(ts, deflt) : set_key_error(ts, key);
    GsObject *oldkey, *value;
    remove_entry(d, ix, &oldkey, &value);
    gs_decref(ts, oldkey);
    return value;   /* the dict's reference becomes the caller's */
}

/* d.popitem(): remove and return the last (key, value) inserted. */
static GsObject *dict_popitem_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                     size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "popitem", nargs, kwnames, 0, 0) < 0)
        return NULL;
    /* The tuple first: allocating may collect garbage, which may run code
     * that changes the dict, so the dict is examined only afterwards. */
    GsObject *res = gs_tuple_new(ts, 2);
    if (res == NULL)
        return NULL;
    GsDict *d = as_dict(self);
    if (d->used == 0) {
        gs_decref(ts, res);
        return gs_err_set(ts, &gs_exc_KeyError, "popitem(): dictionary is empty");
    }
    int64_t ix = (int64_t)d->nentries - 1;
    while (d->entries[ix].key == NULL)
        ix--;
    /* The entry stays a hole: nentries is not lowered to reuse it.  Its
     * index slot becomes a dummy, and a dummy still occupies the index; if
     * entry numbers were handed out again, dummies could pile up until no
     * IX_EMPTY slot were left to end a probe.  (CPython keeps dk_usable
     * unchanged here for the same reason.) */
    GsTuple *t = (GsTuple *)res;
    remove_entry(d, ix, &t->items[0], &t->items[1]);
    return res;
}

/* d.setdefault(key, default=None): d[key], inserting default if absent. */
static GsObject *dict_setdefault_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                        size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "setdefault", nargs, kwnames, 1, 2) < 0)
        return NULL;
    GsDict *d = as_dict(self);
    GsObject *key = args[0], *deflt = nargs == 2 ? args[1] : GS_NONE;
    int64_t hash = key_hash(ts, key);
    if (hash == -1)
        return NULL;
    int64_t ix = dict_lookup(ts, d, key, hash);
    if (ix == IX_ERROR)
        return NULL;
    if (ix >= 0)
        return gs_newref(ts, d->entries[ix].value);
    if (insert_new_entry(ts, d, key, hash, deflt) < 0)
        return NULL;
    return gs_newref(ts, deflt);
}

static GsObject *dict_update_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                    size_t nargs, GsObject *kwnames)
{
    if (update_common(ts, self, args, nargs, kwnames, "update") < 0)
        return NULL;
    return gs_newref(ts, GS_NONE);
}

/* d.copy(): a new dict with the same entries, without the holes.  The
 * keys are known to be distinct, so no comparison (no guest code) runs. */
static GsObject *dict_copy_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "copy", nargs, kwnames, 0, 0) < 0)
        return NULL;
    GsDict *src = as_dict(self);
    GsObject *o = gs_dict_new(ts);
    if (o == NULL)
        return NULL;
    GsDict *d = as_dict(o);
    if (src->used > 0 && dict_resize(ts, d, estimate_size(src->used)) < 0) {
        gs_decref(ts, o);
        return NULL;
    }
    for (size_t i = 0; i < src->nentries; i++) {
        GsDictEntry *e = &src->entries[i];
        if (e->key != NULL && insert_new_entry(ts, d, e->key, e->hash, e->value) < 0) {
            gs_decref(ts, o);
            return NULL;
        }
    }
    return o;
}

static GsObject *dict_clear_method(GsThread *ts, GsObject *self, GsObject *const *args,
                                   size_t nargs, GsObject *kwnames)
{
    if (check_args(ts, "clear", nargs, kwnames, 0, 0) < 0)
        return NULL;
    dict_clear_contents(ts, as_dict(self));
    return gs_newref(ts, GS_NONE);
}

static const GsMethodDef dict_methods[] = {
    { "get", dict_get_method },
    { "keys", dict_keys_method },
    { "values", dict_values_method },
    { "items", dict_items_method },
    { "pop", dict_pop_method },
    { "popitem", dict_popitem_method },
    { "setdefault", dict_setdefault_method },
    { "update", dict_update_method },
    { "copy", dict_copy_method },
    { "clear", dict_clear_method },
    { NULL, NULL },
};

GsType gs_dict_type = {
    .ob = { .refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type },
    .name = "dict",
    .base = &gs_object_type,
    .size = sizeof(GsDict),
    .flags = GS_TPFLAG_GC,
    .methods = dict_methods,
    .dealloc = dict_dealloc,
    .traverse = dict_traverse,
    .clear = dict_clear_slot,
    .repr = dict_repr,
    .hash = dict_unhashable,
    .richcompare = dict_richcompare,
    .new_ = dict_new_slot,
    .iter = dict_iter,
    .len = dict_len,
    .truth = dict_truth,
    .getitem = dict_getitem,
    .setitem = dict_setitem,
    .contains = dict_contains,
};

/* ---- views: d.keys(), d.values(), d.items() -----------------------------------
 * A view holds only the dict and a kind; it shows the dict as it is now,
 * not as it was when the view was made. */

static inline GsDictView *as_view(GsObject *o) { return (GsDictView *)o; }

static GsObject *view_new(GsThread *ts, GsObject *d, int kind)
{
    GsObject *o = gs_alloc(ts, &gs_dictview_type, sizeof(GsDictView));
    if (o == NULL)
        return NULL;
    as_view(o)->dict = gs_newref(ts, d);
    as_view(o)->kind = kind;
    return o;
}

/* The one view type stands for CPython's three: repr names the kind. */
static const char *view_kind_name(int kind)
{
    switch (kind) {
    case GS_ITER_DICT_KEYS:
        return "dict_keys";
    case GS_ITER_DICT_VALUES:
        return "dict_values";
    default:
        return "dict_items";
    }
}

static void view_dealloc(GsThread *ts, GsObject *o)
{
    gs_xdecref(ts, as_view(o)->dict);
}

static int view_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsObject *d = as_view(o)->dict;
    return d ? visit(d, arg) : 0;
}

static int64_t view_len(GsThread *ts, GsObject *o)
{
    return (int64_t)as_dict(as_view(o)->dict)->used;
}

static GsObject *view_iter(GsThread *ts, GsObject *o)
{
    return dict_iter_new(ts, as_view(o)->dict, as_view(o)->kind);
}

/* list(view), built straight from the entries. */
static GsObject *view_to_list(GsThread *ts, GsDictView *v)
{
    GsDict *d = as_dict(v->dict);
    GsObject *list = gs_list_new(ts, 0);
    if (list == NULL)
        return NULL;
    for (size_t i = 0; i < d->nentries; i++) {
        if (d->entries[i].key == NULL)
            continue;
        GsObject *item = entry_item(ts, &d->entries[i], v->kind);
        int r = item ? gs_list_append(ts, list, item) : -1;
        gs_xdecref(ts, item);
        if (r < 0) {
            gs_decref(ts, list);
            return NULL;
        }
    }
    return list;
}

/* dict_keys(['a', 'b']), dict_values([1, 2]), dict_items([('a', 1)]) */
static GsObject *view_repr(GsThread *ts, GsObject *o)
{
    int rc = gs_repr_enter(ts, o);
    if (rc != 0)
        return rc > 0 ? gs_str_from(ts, "...") : NULL;
    GsObject *list = view_to_list(ts, as_view(o));
    GsObject *res = NULL;
    if (list != NULL) {
        GsBuf b;
        gs_buf_init(&b);
        gs_buf_puts(&b, view_kind_name(as_view(o)->kind));
        gs_buf_putc(&b, '(');
        if (gs_buf_repr(ts, &b, list) == 0) {
            gs_buf_putc(&b, ')');
            res = gs_buf_finish(ts, &b);
        } else {
            gs_buf_free(&b);
        }
        gs_decref(ts, list);
    }
    gs_repr_leave(ts, o);
    return res;
}

/* x in d.values(): a scan, comparing each value to x. */
static int values_contain(GsThread *ts, GsDict *d, GsObject *x)
{
    for (size_t i = 0; i < d->nentries; i++) {
        if (d->entries[i].key == NULL)
            continue;
        GsObject *v = gs_newref(ts, d->entries[i].value);
        int cmp = v == x ? 1 : gs_equal(ts, v, x);
        gs_decref(ts, v);
        if (cmp != 0)
            return cmp;
    }
    return 0;
}

/* (k, v) in d.items(): k is a key whose value equals v. */
static int items_contain(GsThread *ts, GsObject *d, GsObject *pair)
{
    if (!GS_IS_TUPLE(pair) || ((GsTuple *)pair)->len != 2)
        return 0;
    GsObject *found = gs_dict_get(ts, d, ((GsTuple *)pair)->items[0]);
    if (found == NULL)
        return gs_err_occurred(ts) ? -1 : 0;
    GsObject *want = ((GsTuple *)pair)->items[1];
    gs_incref(ts, found);
    int cmp = found == want ? 1 : gs_equal(ts, found, want);
    gs_decref(ts, found);
    return cmp;
}

static int view_contains(GsThread *ts, GsObject *o, GsObject *x)
{
    GsDictView *v = as_view(o);
    switch (v->kind) {
    case GS_ITER_DICT_KEYS:
        return dict_contains(ts, v->dict, x);
    case GS_ITER_DICT_VALUES:
        return values_contain(ts, as_dict(v->dict), x);
    default:
        return items_contain(ts, v->dict, x);
    }
}

/* keys() and items() views compare like sets, with each other and with
 * sets and frozensets (CPython's dictview_richcompare); values() views
 * only by identity, which the generic fallback gives. */
static bool is_set_like(GsObject *o)
{
    return GS_IS_ANYSET(o) ||
           (o->type == &gs_dictview_type && as_view(o)->kind != GS_ITER_DICT_VALUES);
}

/* Is every item of a in b?  1, 0, -1. */
static int all_contained_in(GsThread *ts, GsObject *a, GsObject *b)
{
    GsObject *it = gs_getiter(ts, a), *x;
    if (!it)
        return -1;
    int ok = 1;
    while (ok == 1 && (x = gs_iternext(ts, it))) {
        ok = gs_contains(ts, b, x);
        gs_decref(ts, x);
    }
    gs_decref(ts, it);
    if (ok == 1 && gs_err_occurred(ts))
        return -1;
    return ok;
}

static GsObject *view_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (!is_set_like(a) || !is_set_like(b))
        return gs_newref(ts, GS_NOTIMPL);
    int64_t la = gs_len(ts, a), lb = gs_len(ts, b);
    if (la < 0 || lb < 0)
        return NULL;
    int ok = 0;
    switch (op) {
    case GS_CMP_EQ:
    case GS_CMP_NE:
        if (la == lb)
            ok = all_contained_in(ts, a, b);
        if (op == GS_CMP_NE && ok >= 0)
            ok = !ok;
        break;
    case GS_CMP_LT: if (la < lb) ok = all_contained_in(ts, a, b); break;
    case GS_CMP_LE: if (la <= lb) ok = all_contained_in(ts, a, b); break;
    case GS_CMP_GT: if (la > lb) ok = all_contained_in(ts, b, a); break;
    default: if (la >= lb) ok = all_contained_in(ts, b, a); break;
    }
    return ok < 0 ? NULL : gs_newref(ts, gs_bool(ok));
}

GsType gs_dictview_type = {
    .ob = { .refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type },
    .name = "dict_view",
    .base = &gs_object_type,
    .size = sizeof(GsDictView),
    .flags = GS_TPFLAG_GC,
    .dealloc = view_dealloc,
    .traverse = view_traverse,
    .repr = view_repr,
    .iter = view_iter,
    .len = view_len,
    .contains = view_contains,
    .richcompare = view_richcompare,
};
