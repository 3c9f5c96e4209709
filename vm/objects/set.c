/*
 * set.c -- set and frozenset, laid out like CPython 3.9's setobject.c.
 *
 * Unlike a dict, a set keeps no insertion order: it is one open-addressing
 * table of (key, hash) entries, and iteration walks the table from slot 0
 * up.  So the order a set prints in is decided by the hashes, the table
 * size and the history of the table -- and it matches CPython's only if
 * all three do.  Everything below therefore follows 3.9's rules exactly:
 *
 *   - the table starts with 8 slots (mask 7), in the object itself;
 *   - a key's first slot is hash & mask; from a slot i the search looks at
 *     the next 9 slots too (LINEAR_PROBES: neighbours share a cache line)
 *     when they are all inside the table, and then jumps on to
 *     i = i*5 + 1 + perturb, perturb being the hash shifted right by 5
 *     more bits at each jump, so that all the hash's bits take part;
 *   - a removed key leaves a "dummy" entry (hash -1) so that searches go
 *     on past it; 3.9 never puts a new key in a dummy's slot (3.11 does:
 *     after removals the two print sets in different orders);
 *   - `fill` counts live and dummy entries, `used` live ones; when an
 *     insert into an empty slot makes fill*5 >= mask*3 the table is
 *     rebuilt with the first power of two above used*4 slots (used*2
 *     beyond 50000 keys) and the dummies vanish;
 *   - pop() takes the first live entry at or after `finger`, the slot
 *     after the one the previous pop took.
 *
 *     s = {1, 9, 2}          table[8]:  0: -  1: 1  2: 2  3..5: -  6: 9  7: -
 *                            (9 & 7 == 1 is taken; 8 slots are too few
 *                            for linear probes, so 9 jumps to 1*5 + 1 = 6:
 *                            the set prints as {1, 2, 9})
 *
 * gilscope's ints hash as CPython's do (below 2**61), so sets of ints and
 * of tuples of ints print in CPython's order; strs hash differently (and
 * CPython randomizes theirs), so their order is gilscope's own.
 *
 * Comparing keys may run guest code (__eq__), which may change the very
 * set being searched: a comparison holds the key it compares, and if the
 * table moved meanwhile the search starts over, as in CPython.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/interp.h"

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

/* What a removed entry's key points at: never a real object. */
static GsObject set_dummy_obj;
#define DUMMY (&set_dummy_obj)

static inline GsSet *as_set(GsObject *o) { return (GsSet *)o; }

/* The hash of a key; str caches its own. */
static int64_t key_hash(GsThread *ts, GsObject *key)
{
    if (GS_IS_STR(key) && ((GsStr *)key)->hash != -1)
        return ((GsStr *)key)->hash;
    return gs_hash(ts, key);
}

/* Raise KeyError(key), key wrapped so that a tuple key prints whole. */
static void set_key_error(GsThread *ts, GsObject *key)
{
    GsObject *exc = gs_exc_new(ts, &gs_exc_KeyError, &key, 1);
    if (exc) {
        gs_err_set_obj(ts, exc);
        gs_decref(ts, exc);
    }
}

/* ---- the hash table ---------------------------------------------------- */

/* Compare the live entry e with key (same hash).  1 equal, 0 not, -1 error,
 * 2 if guest code changed the table meanwhile (search again). */
static int entry_equals(GsThread *ts, GsSet *so, GsSetEntry *e, GsObject *key)
{
    GsObject *startkey = e->key;
    if (startkey == key)
        return 1;
    if (GS_IS_STR(startkey) && GS_IS_STR(key))
        return gs_str_eq(startkey, key);
    GsSetEntry *table = so->table;
    gs_incref(ts, startkey);      /* __eq__ may remove it from the set */
    int cmp = gs_equal(ts, startkey, key);
    gs_decref(ts, startkey);
    if (cmp < 0)
        return -1;
    if (table != so->table || e->key != startkey)
        return 2;
    return cmp;
}

/* The entry holding key, or the empty entry where the search ended (key
 * NULL); NULL on error.  CPython's set_lookkey. */
static GsSetEntry *set_lookkey(GsThread *ts, GsSet *so, GsObject *key, int64_t hash)
{
restart:;
    size_t mask = (size_t)so->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    for (;;) {
        GsSetEntry *e = &so->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (e->hash == 0 && e->key == NULL)
                return e;
            if (e->hash == hash) {
                int cmp = entry_equals(ts, so, e, key);
                if (cmp < 0)
                    return NULL;
                if (cmp == 2)
                    goto restart;
                if (cmp == 1)
                    return e;
                mask = (size_t)so->mask;
            }
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Place a key known to be absent in a table without dummies. */
static void insert_clean(GsSetEntry *table, size_t mask, GsObject *key, int64_t hash)
{
    size_t perturb = (size_t)hash, i = (size_t)hash & mask;
    for (;;) {
        GsSetEntry *e = &table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (e->key == NULL) {
                e->key = key;
                e->hash = hash;
                return;
            }
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Rebuild the table with more than minused slots (a power of two, at
 * least 8), dropping the dummies.  The entries move in slot order, which
 * is what decides the new order. */
static int set_table_resize(GsThread *ts, GsSet *so, int64_t minused)
{
    size_t newsize = GS_SET_MINSIZE;
    while (newsize <= (size_t)minused)
        newsize <<= 1;
    GsSetEntry *oldtable = so->table, small_copy[GS_SET_MINSIZE];
    size_t oldmask = (size_t)so->mask;
    bool old_malloced = oldtable != so->smalltable;
    GsSetEntry *newtable;
    if (newsize == GS_SET_MINSIZE) {
        newtable = so->smalltable;
        if (newtable == oldtable) {
            if (so->fill == so->used)
                return 0;         /* no dummies: nothing to do */
            memcpy(small_copy, oldtable, sizeof small_copy);
            oldtable = small_copy;
        }
    } else {
        if (newsize > SIZE_MAX / sizeof(GsSetEntry)) {
            gs_err_set(ts, &gs_exc_MemoryError, "set too large");
            return -1;
        }
        newtable = gs_malloc(ts, newsize * sizeof(GsSetEntry));
        if (newtable == NULL)
            return -1;
    }
    memset(newtable, 0, newsize * sizeof(GsSetEntry));
    so->mask = (int64_t)newsize - 1;
    so->table = newtable;
    so->fill = so->used;
    for (GsSetEntry *e = oldtable; e <= oldtable + oldmask; e++)
        if (e->key != NULL && e->key != DUMMY)
            insert_clean(newtable, newsize - 1, e->key, e->hash);
    if (old_malloced)
        free(oldtable);
    return 0;
}

/* After an insert into a never-used slot: grow if 3/5 full. */
static int maybe_grow(GsThread *ts, GsSet *so)
{
    if ((size_t)so->fill * 5 < (size_t)so->mask * 3)
        return 0;
    return set_table_resize(ts, so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

/* Add key (its hash known); takes a new reference to it if it goes in.
 * CPython 3.9's set_add_entry: a new key always goes into a never-used
 * slot, never into a dummy (3.7 to 3.10 do not reuse them; 3.11 does, so
 * its order after removals differs). */
static int set_add_entry(GsThread *ts, GsSet *so, GsObject *key, int64_t hash)
{
    /* Held from the start: __eq__ could otherwise free it before it is stored. */
    gs_incref(ts, key);
restart:;
    size_t mask = (size_t)so->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    GsSetEntry *e;
    for (;;) {
        e = &so->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (e->hash == 0 && e->key == NULL)
                goto found_unused;
            if (e->hash == hash) {
                int cmp = entry_equals(ts, so, e, key);
                if (cmp < 0) {
                    gs_decref(ts, key);
                    return -1;
                }
                if (cmp == 2)
                    goto restart;
                if (cmp == 1) {
                    gs_decref(ts, key);     /* already there */
                    return 0;
                }
                mask = (size_t)so->mask;
            }
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_unused:
    so->fill++;
    so->used++;
    e->key = key;
    e->hash = hash;
    return maybe_grow(ts, so);
}

/* Remove the key (hash known): 1 removed, 0 absent, -1 error. */
static int set_discard_entry(GsThread *ts, GsSet *so, GsObject *key, int64_t hash)
{
    GsSetEntry *e = set_lookkey(ts, so, key, hash);
    if (e == NULL)
        return -1;
    if (e->key == NULL)
        return 0;
    GsObject *old = e->key;
    e->key = DUMMY;
    e->hash = -1;
    so->used--;
    gs_decref(ts, old);
    return 1;
}

static int set_contains_entry(GsThread *ts, GsSet *so, GsObject *key, int64_t hash)
{
    GsSetEntry *e = set_lookkey(ts, so, key, hash);
    return e == NULL ? -1 : e->key != NULL;
}

static int set_add_key(GsThread *ts, GsSet *so, GsObject *key)
{
    int64_t hash = key_hash(ts, key);
    return hash == -1 ? -1 : set_add_entry(ts, so, key, hash);
}

static int set_contains_key(GsThread *ts, GsSet *so, GsObject *key)
{
    int64_t hash = key_hash(ts, key);
    return hash == -1 ? -1 : set_contains_entry(ts, so, key, hash);
}

static int set_discard_key(GsThread *ts, GsSet *so, GsObject *key)
{
    int64_t hash = key_hash(ts, key);
    return hash == -1 ? -1 : set_discard_entry(ts, so, key, hash);
}

/* Empty the set.  The table is detached first: dropping a key may run
 * guest code (a __del__ one day) that looks at the set. */
static void set_clear_internal(GsThread *ts, GsSet *so)
{
    GsSetEntry *table = so->table, small_copy[GS_SET_MINSIZE];
    bool malloced = table != so->smalltable;
    int64_t fill = so->fill;
    if (!malloced) {
        memcpy(small_copy, table, sizeof small_copy);
        table = small_copy;
    }
    memset(so->smalltable, 0, sizeof so->smalltable);
    so->table = so->smalltable;
    so->mask = GS_SET_MINSIZE - 1;
    so->used = so->fill = 0;
    so->hash = -1;
    for (GsSetEntry *e = table; fill > 0; e++) {
        if (e->key != NULL) {
            fill--;
            if (e->key != DUMMY)
                gs_decref(ts, e->key);
        }
    }
    if (malloced)
        free(table);
}

/* The next live entry at or after *pos (borrowed key); false at the end. */
static bool set_next_entry(GsSet *so, int64_t *pos, GsSetEntry **entry)
{
    int64_t i = *pos;
    while (i <= so->mask && (so->table[i].key == NULL || so->table[i].key == DUMMY))
        i++;
    *pos = i + 1;
    if (i > so->mask)
        return false;
    *entry = &so->table[i];
    return true;
}

bool gs_set_next(GsObject *o, int64_t *pos, GsObject **key)
{
    GsSetEntry *e;
    if (!set_next_entry(as_set(o), pos, &e))
        return false;
    *key = e->key;
    return true;
}

/* Add every key of another set: one resize up front, then a straight copy
 * when this set is empty (CPython's set_merge, whose shortcuts decide the
 * order of a copy). */
static int set_merge(GsThread *ts, GsSet *so, GsSet *other)
{
    if (other == so || other->used == 0)
        return 0;
    if ((size_t)(so->fill + other->used) * 5 >= (size_t)so->mask * 3 &&
        set_table_resize(ts, so, (so->used + other->used) * 2) < 0)
        return -1;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (int64_t i = 0; i <= other->mask; i++) {
            GsSetEntry *src = &other->table[i];
            if (src->key != NULL) {
                so->table[i].key = gs_newref(ts, src->key);
                so->table[i].hash = src->hash;
            }
        }
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    if (so->fill == 0) {
        so->fill = so->used = other->used;
        for (int64_t i = 0; i <= other->mask; i++) {
            GsSetEntry *src = &other->table[i];
            if (src->key != NULL && src->key != DUMMY)
                insert_clean(so->table, (size_t)so->mask, gs_newref(ts, src->key), src->hash);
        }
        return 0;
    }
    for (int64_t i = 0; i <= other->mask; i++) {
        GsSetEntry *src = &other->table[i];
        if (src->key != NULL && src->key != DUMMY &&
            set_add_entry(ts, so, src->key, src->hash) < 0)
            return -1;
    }
    return 0;
}

/* The keys of a dict, whose hashes the dict already knows. */
static int set_merge_dict(GsThread *ts, GsSet *so, GsDict *d)
{
    int64_t n = (int64_t)d->used;
    if ((size_t)(so->fill + n) * 5 >= (size_t)so->mask * 3 &&
        set_table_resize(ts, so, (so->used + n) * 2) < 0)
        return -1;
    for (size_t i = 0; i < d->nentries; i++) {
        GsDictEntry *e = &d->entries[i];
        if (e->key != NULL && set_add_entry(ts, so, e->key, e->hash) < 0)
            return -1;
    }
    return 0;
}

/* so |= iterable, for any iterable (CPython's set_update_internal). */
static int set_update_internal(GsThread *ts, GsSet *so, GsObject *other)
{
    if (GS_IS_ANYSET(other))
        return set_merge(ts, so, as_set(other));
    if (GS_IS_DICT(other))
        return set_merge_dict(ts, so, (GsDict *)other);
    GsObject *it = gs_getiter(ts, other), *key;
    if (it == NULL)
        return -1;
    while ((key = gs_iternext(ts, it)) != NULL) {
        int r = set_add_key(ts, so, key);
        gs_decref(ts, key);
        if (r < 0) {
            gs_decref(ts, it);
            return -1;
        }
    }
    gs_decref(ts, it);
    return gs_err_occurred(ts) ? -1 : 0;
}

/* ---- construction ------------------------------------------------------ */

/* A new set or frozenset (type), filled from iterable (may be NULL). */
static GsObject *make_new_set(GsThread *ts, GsType *type, GsObject *iterable)
{
    GsObject *o = gs_alloc(ts, type, sizeof(GsSet));
    if (o == NULL)
        return NULL;
    GsSet *so = as_set(o);
    so->table = so->smalltable;
    so->mask = GS_SET_MINSIZE - 1;
    so->hash = -1;
    if (iterable != NULL && set_update_internal(ts, so, iterable) < 0) {
        gs_decref(ts, o);
        return NULL;
    }
    return o;
}

GsObject *gs_set_new(GsThread *ts, GsObject *iterable)
{
    return make_new_set(ts, &gs_set_type, iterable);
}

GsObject *gs_frozenset_new(GsThread *ts, GsObject *iterable)
{
    return make_new_set(ts, &gs_frozenset_type, iterable);
}

int gs_set_add(GsThread *ts, GsObject *set, GsObject *key)
{
    return set_add_key(ts, as_set(set), key);
}

int gs_set_update(GsThread *ts, GsObject *set, GsObject *iterable)
{
    return set_update_internal(ts, as_set(set), iterable);
}

/* A copy of the same kind as so (set for set, frozenset for frozenset). */
static GsObject *set_copy_of(GsThread *ts, GsObject *so)
{
    return make_new_set(ts, so->type, so);
}

/* Is key a set (not a frozenset) whose hashing just failed?  Then CPython
 * looks it up again as a frozenset: `{1} in {frozenset({1})}` is True. */
static bool retry_as_frozenset(GsThread *ts, GsObject *key)
{
    if (key->type != &gs_set_type || !gs_err_matches(ts, &gs_exc_TypeError))
        return false;
    gs_err_clear(ts);
    return true;
}

/* contains / discard / remove with that retry: op is one of the two. */
static int with_frozen_retry(GsThread *ts, GsSet *so, GsObject *key,
                             int (*op)(GsThread *, GsSet *, GsObject *))
{
    int r = op(ts, so, key);
    if (r >= 0 || !retry_as_frozenset(ts, key))
        return r;
    GsObject *tmp = gs_frozenset_new(ts, key);
    if (tmp == NULL)
        return -1;
    r = op(ts, so, tmp);
    gs_decref(ts, tmp);
    return r;
}

int gs_set_contains(GsThread *ts, GsObject *set, GsObject *key)
{
    return with_frozen_retry(ts, as_set(set), key, set_contains_key);
}

/* ---- the type slots ---------------------------------------------------- */

static void set_dealloc(GsThread *ts, GsObject *o)
{
    set_clear_internal(ts, as_set(o));
}

static int set_traverse(GsObject *o, GsVisit visit, void *arg)
{
    int64_t pos = 0;
    GsSetEntry *e;
    while (set_next_entry(as_set(o), &pos, &e)) {
        int r = visit(e->key, arg);
        if (r != 0)
            return r;
    }
    return 0;
}

static void set_clear_slot(GsThread *ts, GsObject *o)
{
    set_clear_internal(ts, as_set(o));
}

static int64_t set_len(GsThread *ts, GsObject *o) { return as_set(o)->used; }

static int set_contains_slot(GsThread *ts, GsObject *o, GsObject *key)
{
    return gs_set_contains(ts, o, key);
}

/* {1, 2}, set(), frozenset({1, 2}), frozenset().  As CPython does, the
 * keys are put in a list first and the list's repr is used: a set met
 * again while it is being printed shows as set(...). */
static GsObject *set_repr(GsThread *ts, GsObject *o)
{
    const char *name = o->type->name;
    int rc = gs_repr_enter(ts, o);
    if (rc != 0)
        return rc > 0 ? gs_str_printf(ts, "%s(...)", name) : NULL;
    GsObject *res = NULL;
    if (as_set(o)->used == 0) {
        res = gs_str_printf(ts, "%s()", name);
    } else {
        GsObject *keys = gs_sequence_to_list(ts, o);
        GsObject *lr = keys ? gs_repr(ts, keys) : NULL;
        if (lr != NULL) {
            const char *s = gs_str_cstr(lr);
            int n = (int)((GsStr *)lr)->nbytes - 2;    /* without the brackets */
            res = o->type == &gs_set_type ? gs_str_printf(ts, "{%.*s}", n, s + 1)
                                          : gs_str_printf(ts, "%s({%.*s})", name, n, s + 1);
        }
        gs_xdecref(ts, keys);
        gs_xdecref(ts, lr);
    }
    gs_repr_leave(ts, o);
    return res;
}

static int64_t set_unhashable(GsThread *ts, GsObject *o)
{
    gs_err_set(ts, &gs_exc_TypeError, "unhashable type: '%s'", o->type->name);
    return -1;
}

/* CPython 3.9's frozenset hash: an xor of every slot's hash, scrambled so
 * that nested frozensets and small ints do not cancel out; independent of
 * order, and equal to CPython's when the keys' hashes are. */
static uint64_t shuffle_bits(uint64_t h)
{
    return ((h ^ 89869747u) ^ (h << 16)) * 3644798167u;
}

static int64_t frozenset_hash(GsThread *ts, GsObject *o)
{
    GsSet *so = as_set(o);
    if (so->hash != -1)
        return so->hash;
    uint64_t hash = 0;
    for (int64_t i = 0; i <= so->mask; i++)     /* empty slots too: fixed below */
        hash ^= shuffle_bits((uint64_t)so->table[i].hash);
    if ((so->mask + 1 - so->fill) & 1)           /* an odd number of empty slots */
        hash ^= shuffle_bits(0);
    if ((so->fill - so->used) & 1)               /* an odd number of dummies */
        hash ^= shuffle_bits((uint64_t)-1);
    hash ^= ((uint64_t)so->used + 1) * 1927868237u;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069u + 907133923u;
    if (hash == (uint64_t)-1)
        hash = 590923713u;
    so->hash = (int64_t)hash;
    return so->hash;
}

/* Is every key of a in b?  1, 0, -1 (b a set or frozenset). */
static int set_issubset_sets(GsThread *ts, GsSet *a, GsSet *b)
{
    if (a->used > b->used)
        return 0;
    int64_t pos = 0;
    GsSetEntry *e;
    while (set_next_entry(a, &pos, &e)) {
        GsObject *key = gs_newref(ts, e->key);
        int r = set_contains_entry(ts, b, key, e->hash);
        gs_decref(ts, key);
        if (r != 1)
            return r;
    }
    return 1;
}

static GsObject *set_richcompare(GsThread *ts, GsObject *v, GsObject *w, int op)
{
    if (!GS_IS_ANYSET(w))
        return GS_NOTIMPL;
    GsSet *a = as_set(v), *b = as_set(w);
    int r;
    switch (op) {
    case GS_CMP_EQ:
    case GS_CMP_NE:
        if (a->used != b->used)
            r = 0;
        else if (a->hash != -1 && b->hash != -1 && a->hash != b->hash)
            r = 0;
        else
            r = set_issubset_sets(ts, a, b);
        if (r >= 0 && op == GS_CMP_NE)
            r = !r;
        break;
    case GS_CMP_LE: r = set_issubset_sets(ts, a, b); break;
    case GS_CMP_GE: r = set_issubset_sets(ts, b, a); break;
    case GS_CMP_LT: r = a->used < b->used ? set_issubset_sets(ts, a, b) : 0; break;
    default: r = a->used > b->used ? set_issubset_sets(ts, b, a) : 0; break;
    }
    return r < 0 ? NULL : gs_newref(ts, gs_bool(r));
}

/* set(iterable) and frozenset(iterable). */
static GsObject *set_new_slot(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, type->name, kwnames) < 0 ||
        gs_check_nargs(ts, type->name, nargs, 0, 1) < 0)
        return NULL;
    GsObject *iterable = nargs ? args[0] : NULL;
    if (type == &gs_set_type)
        return make_new_set(ts, type, iterable);
    /* frozenset(f) is f itself: it cannot change. */
    if (iterable && iterable->type == &gs_frozenset_type)
        return gs_newref(ts, iterable);
    if (iterable) {
        GsObject *r = make_new_set(ts, type, iterable);
        if (r == NULL || as_set(r)->used > 0)
            return r;
        gs_decref(ts, r);
    }
    /* CPython 3.9 hands out one empty frozenset (`frozenset() is
     * frozenset()`; 3.10 dropped it); the interpreter keeps it. */
    GsInterp *interp = ts->interp;
    if (interp->empty_frozenset == NULL &&
        (interp->empty_frozenset = make_new_set(ts, type, NULL)) == NULL)
        return NULL;
    return gs_newref(ts, interp->empty_frozenset);
}

/* ---- the iterator ------------------------------------------------------
 * It remembers how many keys the set had: any change of size between two
 * steps is an error, and the error sticks. */

typedef struct {
    GsObject ob;
    GsObject *set;     /* NULL once exhausted */
    int64_t used;      /* the set's size when iteration began; -1 after an error */
    int64_t pos;       /* the next slot to look at */
} GsSetIter;

static void setiter_dealloc(GsThread *ts, GsObject *o)
{
    gs_xdecref(ts, ((GsSetIter *)o)->set);
}

static int setiter_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsObject *s = ((GsSetIter *)o)->set;
    return s ? visit(s, arg) : 0;
}

static GsObject *setiter_self(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

static GsObject *setiter_next(GsThread *ts, GsObject *o)
{
    GsSetIter *it = (GsSetIter *)o;
    if (it->set == NULL)
        return NULL;
    GsSet *so = as_set(it->set);
    if (it->used != so->used) {
        it->used = -1;
        return gs_err_set(ts, &gs_exc_RuntimeError, "Set changed size during iteration");
    }
    GsSetEntry *e;
    if (!set_next_entry(so, &it->pos, &e)) {
        GsObject *s = it->set;
        it->set = NULL;
        gs_decref(ts, s);
        return NULL;
    }
    return gs_newref(ts, e->key);
}

GsType gs_setiter_type = {
    .ob = { .refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type },
    .name = "set_iterator",
    .base = &gs_object_type,
    .size = sizeof(GsSetIter),
    .flags = GS_TPFLAG_GC,
    .dealloc = setiter_dealloc,
    .traverse = setiter_traverse,
    .iter = setiter_self,
    .iternext = setiter_next,
};

static GsObject *set_iter(GsThread *ts, GsObject *o)
{
    GsObject *r = gs_alloc(ts, &gs_setiter_type, sizeof(GsSetIter));
    if (r == NULL)
        return NULL;
    GsSetIter *it = (GsSetIter *)r;
    it->set = gs_newref(ts, o);
    it->used = as_set(o)->used;
    it->pos = 0;
    return r;
}

/* ---- the algebra ----------------------------------------------------------
 * Each returns a new set of so's kind, as CPython's do: a frozenset's
 * union is a frozenset, whatever the other operand is. */

/* so & other (CPython's set_intersection): walks the smaller of two sets,
 * or the iterable, keeping what so holds. */
static GsObject *set_intersection(GsThread *ts, GsObject *so, GsObject *other)
{
    if (so == other)
        return set_copy_of(ts, so);
    GsObject *result = make_new_set(ts, so->type, NULL);
    if (result == NULL)
        return NULL;
    GsSet *rs = as_set(result);
    if (GS_IS_ANYSET(other)) {
        GsSet *small = as_set(other), *big = as_set(so);
        if (small->used > big->used) {
            small = as_set(so);
            big = as_set(other);
        }
        int64_t pos = 0;
        GsSetEntry *e;
        while (set_next_entry(small, &pos, &e)) {
            GsObject *key = gs_newref(ts, e->key);
            int64_t hash = e->hash;
            int r = set_contains_entry(ts, big, key, hash);
            if (r > 0)
                r = set_add_entry(ts, rs, key, hash);
            gs_decref(ts, key);
            if (r < 0) {
                gs_decref(ts, result);
                return NULL;
            }
        }
        return result;
    }
    GsObject *it = gs_getiter(ts, other), *key;
    if (it == NULL) {
        gs_decref(ts, result);
        return NULL;
    }
    while ((key = gs_iternext(ts, it)) != NULL) {
        int64_t hash = key_hash(ts, key);
        int r = hash == -1 ? -1 : set_contains_entry(ts, as_set(so), key, hash);
        if (r > 0)
            r = set_add_entry(ts, rs, key, hash);
        gs_decref(ts, key);
        if (r < 0)
            break;
    }
    gs_decref(ts, it);
    if (gs_err_occurred(ts)) {
        gs_decref(ts, result);
        return NULL;
    }
    return result;
}

/* so -= other (CPython's set_difference_update_internal). */
static int set_difference_update_internal(GsThread *ts, GsSet *so, GsObject *other)
{
    if ((GsObject *)so == other) {
        set_clear_internal(ts, so);
        return 0;
    }
    if (GS_IS_ANYSET(other)) {
        int64_t pos = 0;
        GsSetEntry *e;
        while (set_next_entry(as_set(other), &pos, &e)) {
            GsObject *key = gs_newref(ts, e->key);
            int r = set_discard_entry(ts, so, key, e->hash);
            gs_decref(ts, key);
            if (r < 0)
                return -1;
        }
    } else {
        GsObject *it = gs_getiter(ts, other), *key;
        if (it == NULL)
            return -1;
        while ((key = gs_iternext(ts, it)) != NULL) {
            int r = set_discard_key(ts, so, key);
            gs_decref(ts, key);
            if (r < 0)
                break;
        }
        gs_decref(ts, it);
        if (gs_err_occurred(ts))
            return -1;
    }
    /* More than a quarter dummies: rebuild without them. */
    if ((size_t)(so->fill - so->used) <= (size_t)so->mask / 4)
        return 0;
    return set_table_resize(ts, so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

static GsObject *copy_and_difference(GsThread *ts, GsObject *so, GsObject *other)
{
    GsObject *result = set_copy_of(ts, so);
    if (result && set_difference_update_internal(ts, as_set(result), other) < 0) {
        gs_decref(ts, result);
        return NULL;
    }
    return result;
}

/* so - other (CPython's set_difference): against a set or a dict not much
 * smaller than so, a new set of so's keys missing from other; otherwise a
 * copy of so with other's keys taken out. */
static GsObject *set_difference(GsThread *ts, GsObject *so, GsObject *other)
{
    int64_t other_size;
    if (GS_IS_ANYSET(other))
        other_size = as_set(other)->used;
    else if (GS_IS_DICT(other))
        other_size = (int64_t)((GsDict *)other)->used;
    else
        return copy_and_difference(ts, so, other);
    if ((as_set(so)->used >> 2) > other_size)
        return copy_and_difference(ts, so, other);
    GsObject *result = make_new_set(ts, so->type, NULL);
    if (result == NULL)
        return NULL;
    int64_t pos = 0;
    GsSetEntry *e;
    while (set_next_entry(as_set(so), &pos, &e)) {
        GsObject *key = gs_newref(ts, e->key);
        int64_t hash = e->hash;
        int r = GS_IS_DICT(other) ? gs_dict_type.contains(ts, other, key)
                                  : set_contains_entry(ts, as_set(other), key, hash);
        if (r == 0)
            r = set_add_entry(ts, as_set(result), key, hash);
        gs_decref(ts, key);
        if (r < 0) {
            gs_decref(ts, result);
            return NULL;
        }
    }
    return result;
}

/* so ^= other (CPython's set_symmetric_difference_update): each key of
 * other is taken out of so if there, put in if not. */
static int set_symmetric_difference_update_internal(GsThread *ts, GsSet *so, GsObject *other)
{
    if ((GsObject *)so == other) {
        set_clear_internal(ts, so);
        return 0;
    }
    if (GS_IS_DICT(other)) {
        GsDict *d = (GsDict *)other;
        for (size_t i = 0; i < d->nentries; i++) {
            if (d->entries[i].key == NULL)
                continue;
            GsObject *key = gs_newref(ts, d->entries[i].key);
            int64_t hash = d->entries[i].hash;
            int r = set_discard_entry(ts, so, key, hash);
            if (r == 0)
                r = set_add_entry(ts, so, key, hash);
            gs_decref(ts, key);
            if (r < 0)
                return -1;
        }
        return 0;
    }
    GsObject *otherset = GS_IS_ANYSET(other) ? gs_newref(ts, other)
                                             : make_new_set(ts, so->ob.type, other);
    if (otherset == NULL)
        return -1;
    int64_t pos = 0;
    GsSetEntry *e;
    int r = 0;
    while (r >= 0 && set_next_entry(as_set(otherset), &pos, &e)) {
        GsObject *key = gs_newref(ts, e->key);
        int64_t hash = e->hash;
        r = set_discard_entry(ts, so, key, hash);
        if (r == 0)
            r = set_add_entry(ts, so, key, hash);
        gs_decref(ts, key);
    }
    gs_decref(ts, otherset);
    return r < 0 ? -1 : 0;
}

/* so ^ other: built from other, then so folded in, as CPython does (the
 * order of the result depends on it). */
static GsObject *set_symmetric_difference(GsThread *ts, GsObject *so, GsObject *other)
{
    GsObject *result = make_new_set(ts, so->type, other);
    if (result && set_symmetric_difference_update_internal(ts, as_set(result), so) < 0) {
        gs_decref(ts, result);
        return NULL;
    }
    return result;
}

static GsObject *set_union(GsThread *ts, GsObject *so, GsObject *other)
{
    GsObject *result = set_copy_of(ts, so);
    if (result && so != other && set_update_internal(ts, as_set(result), other) < 0) {
        gs_decref(ts, result);
        return NULL;
    }
    return result;
}

/* Is so <= other, for any iterable other (made a set first)? */
static int set_issubset_any(GsThread *ts, GsObject *so, GsObject *other)
{
    if (GS_IS_ANYSET(other))
        return set_issubset_sets(ts, as_set(so), as_set(other));
    GsObject *tmp = gs_set_new(ts, other);
    if (tmp == NULL)
        return -1;
    int r = set_issubset_sets(ts, as_set(so), as_set(tmp));
    gs_decref(ts, tmp);
    return r;
}

static int set_issuperset_any(GsThread *ts, GsObject *so, GsObject *other)
{
    if (GS_IS_ANYSET(other))
        return set_issubset_sets(ts, as_set(other), as_set(so));
    GsObject *tmp = gs_set_new(ts, other);
    if (tmp == NULL)
        return -1;
    int r = set_issubset_sets(ts, as_set(tmp), as_set(so));
    gs_decref(ts, tmp);
    return r;
}

static int set_isdisjoint_any(GsThread *ts, GsObject *so, GsObject *other)
{
    if (so == other)
        return as_set(so)->used == 0;
    if (GS_IS_ANYSET(other)) {
        GsSet *small = as_set(other), *big = as_set(so);
        if (small->used > big->used) {
            small = as_set(so);
            big = as_set(other);
        }
        int64_t pos = 0;
        GsSetEntry *e;
        while (set_next_entry(small, &pos, &e)) {
            GsObject *key = gs_newref(ts, e->key);
            int r = set_contains_entry(ts, big, key, e->hash);
            gs_decref(ts, key);
            if (r != 0)
                return r < 0 ? -1 : 0;
        }
        return 1;
    }
    GsObject *it = gs_getiter(ts, other), *key;
    if (it == NULL)
        return -1;
    int result = 1;
    while (result == 1 && (key = gs_iternext(ts, it)) != NULL) {
        int r = set_contains_key(ts, as_set(so), key);
        gs_decref(ts, key);
        result = r < 0 ? -1 : r ? 0 : 1;
    }
    gs_decref(ts, it);
    if (result == 1 && gs_err_occurred(ts))
        return -1;
    return result;
}

/* ---- methods ------------------------------------------------------------ */

/* Methods of one argument or none say "set.add()" in their errors (3.9's
 * METH_O and METH_NOARGS); those taking *others say just "update()". */
static int check_kw_qualified(GsThread *ts, GsObject *self, const char *name,
                              GsObject *kwnames)
{
    if (gs_kw_count(kwnames) == 0)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "%s.%s() takes no keyword arguments", self->type->name,
               name);
    return -1;
}

static int no_args(GsThread *ts, GsObject *self, const char *name, size_t nargs,
                   GsObject *kwnames)
{
    if (check_kw_qualified(ts, self, name, kwnames) < 0)
        return -1;
    if (nargs == 0)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "%s.%s() takes no arguments (%zu given)",
               self->type->name, name, nargs);
    return -1;
}

static int one_arg(GsThread *ts, GsObject *self, const char *name, size_t nargs,
                   GsObject *kwnames)
{
    if (check_kw_qualified(ts, self, name, kwnames) < 0)
        return -1;
    if (nargs == 1)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "%s.%s() takes exactly one argument (%zu given)",
               self->type->name, name, nargs);
    return -1;
}

static GsObject *none_or_null(GsThread *ts, int r)
{
    return r < 0 ? NULL : gs_newref(ts, GS_NONE);
}

static GsObject *bool_or_null(GsThread *ts, int r)
{
    return r < 0 ? NULL : gs_newref(ts, gs_bool(r));
}

#define METHOD(name) \
    static GsObject *name(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs, \
                          GsObject *kwnames)

METHOD(m_add)
{
    if (one_arg(ts, self, "add", nargs, kwnames) < 0)
        return NULL;
    return none_or_null(ts, set_add_key(ts, as_set(self), args[0]));
}

METHOD(m_discard)
{
    if (one_arg(ts, self, "discard", nargs, kwnames) < 0)
        return NULL;
    return none_or_null(ts, with_frozen_retry(ts, as_set(self), args[0], set_discard_key));
}

METHOD(m_remove)
{
    if (one_arg(ts, self, "remove", nargs, kwnames) < 0)
        return NULL;
    int r = with_frozen_retry(ts, as_set(self), args[0], set_discard_key);
    if (r == 0)
        set_key_error(ts, args[0]);
    return r == 1 ? gs_newref(ts, GS_NONE) : NULL;
}

METHOD(m_contains)
{
    if (one_arg(ts, self, "__contains__", nargs, kwnames) < 0)
        return NULL;
    return bool_or_null(ts, gs_set_contains(ts, self, args[0]));
}

/* pop(): the first live entry from the finger on, wrapping around. */
METHOD(m_pop)
{
    if (no_args(ts, self, "pop", nargs, kwnames) < 0)
        return NULL;
    GsSet *so = as_set(self);
    if (so->used == 0)
        return gs_err_set(ts, &gs_exc_KeyError, "pop from an empty set");
    GsSetEntry *e = so->table + (so->finger & so->mask), *limit = so->table + so->mask;
    while (e->key == NULL || e->key == DUMMY) {
        e++;
        if (e > limit)
            e = so->table;
    }
    GsObject *key = e->key;     /* the set's reference passes to the caller */
    e->key = DUMMY;
    e->hash = -1;
    so->used--;
    so->finger = e - so->table + 1;
    return key;
}

METHOD(m_clear)
{
    if (no_args(ts, self, "clear", nargs, kwnames) < 0)
        return NULL;
    set_clear_internal(ts, as_set(self));
    return gs_newref(ts, GS_NONE);
}

METHOD(m_copy)
{
    if (no_args(ts, self, "copy", nargs, kwnames) < 0)
        return NULL;
    if (self->type == &gs_frozenset_type)
        return gs_newref(ts, self);
    return set_copy_of(ts, self);
}

METHOD(m_update)
{
    if (gs_check_no_kw(ts, "update", kwnames) < 0)
        return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (set_update_internal(ts, as_set(self), args[i]) < 0)
            return NULL;
    return gs_newref(ts, GS_NONE);
}

METHOD(m_union)
{
    if (gs_check_no_kw(ts, "union", kwnames) < 0)
        return NULL;
    GsObject *result = set_copy_of(ts, self);
    for (size_t i = 0; result && i < nargs; i++) {
        if (args[i] != self && set_update_internal(ts, as_set(result), args[i]) < 0) {
            gs_decref(ts, result);
            return NULL;
        }
    }
    return result;
}

/* intersection(*others): one after the other, each step's result the
 * left side of the next. */
static GsObject *intersection_multi(GsThread *ts, GsObject *self, GsObject *const *args,
                                    size_t nargs)
{
    if (nargs == 0)
        return set_copy_of(ts, self);
    GsObject *result = gs_newref(ts, self);
    for (size_t i = 0; i < nargs; i++) {
        GsObject *next = set_intersection(ts, result, args[i]);
        gs_decref(ts, result);
        if (next == NULL)
            return NULL;
        result = next;
    }
    return result;
}

/* Put the contents of tmp into so and so's old contents into tmp (CPython's
 * set_swap_bodies): how the *_update forms keep the set's identity. */
static void swap_bodies(GsSet *a, GsSet *b)
{
    bool a_small = a->table == a->smalltable, b_small = b->table == b->smalltable;
    GsSetEntry *ta = a->table, *tb = b->table, small[GS_SET_MINSIZE];
    int64_t t;
    t = a->fill; a->fill = b->fill; b->fill = t;
    t = a->used; a->used = b->used; b->used = t;
    t = a->mask; a->mask = b->mask; b->mask = t;
    memcpy(small, a->smalltable, sizeof small);
    memcpy(a->smalltable, b->smalltable, sizeof small);
    memcpy(b->smalltable, small, sizeof small);
    a->table = b_small ? a->smalltable : tb;
    b->table = a_small ? b->smalltable : ta;
    a->hash = b->hash = -1;     /* only sets are swapped: no hash to keep */
}

METHOD(m_intersection)
{
    if (gs_check_no_kw(ts, "intersection", kwnames) < 0)
        return NULL;
    return intersection_multi(ts, self, args, nargs);
}

METHOD(m_intersection_update)
{
    if (gs_check_no_kw(ts, "intersection_update", kwnames) < 0)
        return NULL;
    GsObject *tmp = intersection_multi(ts, self, args, nargs);
    if (tmp == NULL)
        return NULL;
    swap_bodies(as_set(self), as_set(tmp));
    gs_decref(ts, tmp);
    return gs_newref(ts, GS_NONE);
}

METHOD(m_difference)
{
    if (gs_check_no_kw(ts, "difference", kwnames) < 0)
        return NULL;
    if (nargs == 0)
        return set_copy_of(ts, self);
    GsObject *result = set_difference(ts, self, args[0]);
    for (size_t i = 1; result && i < nargs; i++) {
        if (set_difference_update_internal(ts, as_set(result), args[i]) < 0) {
            gs_decref(ts, result);
            return NULL;
        }
    }
    return result;
}

METHOD(m_difference_update)
{
    if (gs_check_no_kw(ts, "difference_update", kwnames) < 0)
        return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (set_difference_update_internal(ts, as_set(self), args[i]) < 0)
            return NULL;
    return gs_newref(ts, GS_NONE);
}

METHOD(m_symmetric_difference)
{
    if (one_arg(ts, self, "symmetric_difference", nargs, kwnames) < 0)
        return NULL;
    return set_symmetric_difference(ts, self, args[0]);
}

METHOD(m_symmetric_difference_update)
{
    if (one_arg(ts, self, "symmetric_difference_update", nargs, kwnames) < 0)
        return NULL;
    return none_or_null(ts, set_symmetric_difference_update_internal(ts, as_set(self), args[0]));
}

METHOD(m_issubset)
{
    if (one_arg(ts, self, "issubset", nargs, kwnames) < 0)
        return NULL;
    return bool_or_null(ts, set_issubset_any(ts, self, args[0]));
}

METHOD(m_issuperset)
{
    if (one_arg(ts, self, "issuperset", nargs, kwnames) < 0)
        return NULL;
    return bool_or_null(ts, set_issuperset_any(ts, self, args[0]));
}

METHOD(m_isdisjoint)
{
    if (one_arg(ts, self, "isdisjoint", nargs, kwnames) < 0)
        return NULL;
    return bool_or_null(ts, set_isdisjoint_any(ts, self, args[0]));
}

#undef METHOD

static const GsMethodDef set_methods[] = {
    { "add", m_add },
    { "clear", m_clear },
    { "copy", m_copy },
    { "discard", m_discard },
    { "difference", m_difference },
    { "difference_update", m_difference_update },
    { "intersection", m_intersection },
    { "intersection_update", m_intersection_update },
    { "isdisjoint", m_isdisjoint },
    { "issubset", m_issubset },
    { "issuperset", m_issuperset },
    { "pop", m_pop },
    { "remove", m_remove },
    { "symmetric_difference", m_symmetric_difference },
    { "symmetric_difference_update", m_symmetric_difference_update },
    { "union", m_union },
    { "update", m_update },
    { "__contains__", m_contains },
    { NULL, NULL },
};

static const GsMethodDef frozenset_methods[] = {
    { "copy", m_copy },
    { "difference", m_difference },
    { "intersection", m_intersection },
    { "isdisjoint", m_isdisjoint },
    { "issubset", m_issubset },
    { "issuperset", m_issuperset },
    { "symmetric_difference", m_symmetric_difference },
    { "union", m_union },
    { "__contains__", m_contains },
    { NULL, NULL },
};

GsType gs_set_type = {
    .ob = { .refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type },
    .name = "set",
    .base = &gs_object_type,
    .size = sizeof(GsSet),
    .flags = GS_TPFLAG_GC,
    .methods = set_methods,
    .dealloc = set_dealloc,
    .traverse = set_traverse,
    .clear = set_clear_slot,
    .repr = set_repr,
    .hash = set_unhashable,
    .richcompare = set_richcompare,
    .new_ = set_new_slot,
    .iter = set_iter,
    .len = set_len,
    .contains = set_contains_slot,
};

GsType gs_frozenset_type = {
    .ob = { .refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type },
    .name = "frozenset",
    .base = &gs_object_type,
    .size = sizeof(GsSet),
    .flags = GS_TPFLAG_GC,
    .methods = frozenset_methods,
    .dealloc = set_dealloc,
    .traverse = set_traverse,
    .clear = set_clear_slot,
    .repr = set_repr,
    .hash = frozenset_hash,
    .richcompare = set_richcompare,
    .new_ = set_new_slot,
    .iter = set_iter,
    .len = set_len,
    .contains = set_contains_slot,
};

/* ---- the operators ------------------------------------------------------
 * | & - ^ and their in-place forms take two sets (anything else is
 * NotImplemented, so `{1} | [2]` is a TypeError); a dict's keys() and
 * items() views take any iterable on either side and give a set. */

static bool is_set_view(GsObject *o)
{
    return o->type == &gs_dictview_type && ((GsDictView *)o)->kind != GS_ITER_DICT_VALUES;
}

/* The method-form operation for op on a fresh set (a view's operators). */
static int update_for_op(GsThread *ts, GsSet *so, char op, GsObject *other)
{
    switch (op) {
    case '|': return set_update_internal(ts, so, other);
    case '-': return set_difference_update_internal(ts, so, other);
    default: return set_symmetric_difference_update_internal(ts, so, other);
    }
}

/* view & other, either side a view (CPython 3.9's _PyDictView_Intersect):
 * keeps what the view holds of the other operand's items. */
static GsObject *view_intersect(GsThread *ts, GsObject *self, GsObject *other)
{
    if (!is_set_view(self)) {
        GsObject *t = self;
        self = other;
        other = t;
    }
    int64_t len_self = gs_len(ts, self);
    if (other->type == &gs_set_type && len_self <= as_set(other)->used)
        return set_intersection(ts, other, self);
    if (is_set_view(other) && gs_len(ts, other) > len_self) {
        GsObject *t = self;
        self = other;
        other = t;
    }
    GsObject *result = gs_set_new(ts, NULL);
    GsObject *it = result ? gs_getiter(ts, other) : NULL, *key;
    if (it == NULL) {
        gs_xdecref(ts, result);
        return NULL;
    }
    while ((key = gs_iternext(ts, it)) != NULL) {
        int r = gs_contains(ts, self, key);
        if (r > 0)
            r = set_add_key(ts, as_set(result), key);
        gs_decref(ts, key);
        if (r < 0)
            break;
    }
    gs_decref(ts, it);
    if (gs_err_occurred(ts)) {
        gs_decref(ts, result);
        return NULL;
    }
    return result;
}

static GsObject *view_binop(GsThread *ts, char op, GsObject *a, GsObject *b)
{
    if (op == '&')
        return view_intersect(ts, a, b);
    GsObject *result = gs_set_new(ts, a);
    if (result && update_for_op(ts, as_set(result), op, b) < 0) {
        gs_decref(ts, result);
        return NULL;
    }
    return result;
}

GsObject *gs_set_binop(GsThread *ts, char op, bool inplace, GsObject *a, GsObject *b)
{
    if (is_set_view(a) || is_set_view(b))
        return view_binop(ts, op, a, b);
    if (!GS_IS_ANYSET(a) || !GS_IS_ANYSET(b))
        return gs_newref(ts, GS_NOTIMPL);
    if (inplace && a->type == &gs_set_type) {
        int r;
        switch (op) {
        case '|': r = set_update_internal(ts, as_set(a), b); break;
        case '-': r = set_difference_update_internal(ts, as_set(a), b); break;
        case '^': r = set_symmetric_difference_update_internal(ts, as_set(a), b); break;
        default: {
            GsObject *tmp = set_intersection(ts, a, b);
            if (tmp == NULL)
                return NULL;
            swap_bodies(as_set(a), as_set(tmp));
            gs_decref(ts, tmp);
            r = 0;
        }
        }
        return r < 0 ? NULL : gs_newref(ts, a);
    }
    switch (op) {
    case '|': return set_union(ts, a, b);
    case '&': return set_intersection(ts, a, b);
    case '-': return set_difference(ts, a, b);
    default: return set_symmetric_difference(ts, a, b);
    }
}
