/*
 * list.c -- the list type, and the sequence helpers shared with tuple
 * (concatenation and repetition).
 *
 * A GsList owns a growable array of new references: items[0..len) are
 * valid, cap slots are allocated.  The growth policy, the order in which
 * removed items are released and every error message follow CPython 3.9's
 * Objects/listobject.c, because all three are observable: sys.getsizeof,
 * the order __del__ methods print in, and the text of tracebacks.
 *
 * Re-entrancy: comparing, repr'ing, calling a key function or releasing an
 * item can run guest code, and that code may mutate the very list being
 * worked on.  So loops re-read len on every turn, and removed items are
 * released only once the list is consistent again.  Where CPython 3.9
 * takes a reference to an item around an equality test, so do we; where it
 * lends the item (repr, the final ordering comparison), so do we, since
 * sys.getrefcount inside a guest method would show the difference.
 *
 * Memory: item arrays come from gs_malloc / gs_realloc (which raise
 * MemoryError) and go back with free(); object.h has no gs_free.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigint.h"
#include "object.h"
#include "../runtime/interp.h"

#define LIST(o) ((GsList *)(o))
#define TUPLE(o) ((GsTuple *)(o))

/* The most items a list or tuple may hold: its size in bytes must fit an
 * int64 (CPython: PY_SSIZE_T_MAX / sizeof(PyObject *)). */
#define MAX_ITEMS ((size_t)INT64_MAX / sizeof(GsObject *))

/* l->cap while gs_list_sort has taken the items away.  No real list has
 * it, and every resize or clear replaces it: that is how sort notices that
 * the list was modified behind its back (CPython sets allocated = -1). */
#define SORTING_CAP SIZE_MAX

/* Below this many items, temporary arrays live on the C stack. */
#define SMALL_BUF 8

static GsObject *no_memory(GsThread *ts)
{
    return gs_err_set_obj(ts, (GsObject *)&gs_exc_MemoryError);
}

/* ---- storage ---------------------------------------------------------- */

/* Set len, NULLing any slots that become visible (the GC may traverse the
 * list before the caller fills them). */
static void set_len(GsList *l, size_t newlen)
{
    if (newlen > l->len)
        memset(l->items + l->len, 0, (newlen - l->len) * sizeof *l->items);
    l->len = newlen;
}

/* CPython 3.9's over-allocation: newlen + newlen/8 + 6 rounded down to a
 * multiple of 4, except that a big jump (extend by many) gets just what it
 * asks for, rounded up to 4. */
static size_t over_allocate(size_t oldlen, size_t newlen)
{
    size_t cap = (newlen + (newlen >> 3) + 6) & ~(size_t)3;
    if (newlen > oldlen && newlen - oldlen > cap - newlen)
        cap = (newlen + 3) & ~(size_t)3;
    return cap;
}

/* Make l hold newlen items.  Growing zeroes the new slots and may fail;
 * when shrinking, the caller has already moved or released
 * items[newlen..len), and it never fails: if the smaller block cannot be
 * had, the larger one is kept. */
static int list_resize(GsThread *ts, GsList *l, size_t newlen)
{
    if (newlen <= l->cap && newlen >= l->cap / 2) {
        set_len(l, newlen);
        return 0;
    }
    if (newlen == 0) {
        free(l->items);
        l->items = NULL;
        l->len = l->cap = 0;
        return 0;
    }
    if (newlen > MAX_ITEMS) {
        no_memory(ts);
        return -1;
    }
    size_t cap = over_allocate(l->len, newlen);
    GsObject **items;
    if (newlen < l->len) {
        items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->len = newlen;
            return 0;
        }
    } else {
        items = gs_realloc(ts, l->items, cap * sizeof *items);
        if (!items)
            return -1;
    }
    l->items = items;
    l->cap = cap;
    set_len(l, newlen);
    return 0;
}

/* An empty list gets exactly n slots (CPython's list_preallocate_exact). */
static int exact_reserve(GsThread *ts, GsList *l, size_t n)
{
    if (n > MAX_ITEMS) {
        no_memory(ts);
        return -1;
    }
    GsObject **items = gs_malloc(ts, n * sizeof *items);
    if (!items)
        return -1;
    free(l->items);
    l->items = items;
    l->cap = n;
    return 0;
}

/* Release items[0..n) last to first, as CPython does (the order __del__
 * methods run in), and free the array. */
static void release_array(GsThread *ts, GsObject **items, size_t n)
{
    while (n-- > 0)
        gs_xdecref(ts, items[n]);
    free(items);
}

/* Empty l, then release what it held: emptied first, since a release can
 * run guest code that looks at the list.  A list without an array is left
 * alone, so that clearing a list being sorted (which looks empty) does not
 * count as modifying it -- CPython's _list_clear behaves the same. */
static void release_all(GsThread *ts, GsList *l)
{
    GsObject **items = l->items;
    if (!items)
        return;
    size_t n = l->len;
    l->items = NULL;
    l->len = l->cap = 0;
    release_array(ts, items, n);
}

/* Append v, stealing the reference (v is released on failure). */
static int append_steal(GsThread *ts, GsList *l, GsObject *v)
{
    if (list_resize(ts, l, l->len + 1) < 0) {
        gs_decref(ts, v);
        return -1;
    }
    l->items[l->len - 1] = v;
    return 0;
}

/* A temporary array of n pointers: buf when small enough. */
static GsObject **temp_array(GsThread *ts, GsObject **buf, size_t n)
{
    return n <= SMALL_BUF ? buf : gs_malloc(ts, n * sizeof(GsObject *));
}

static void temp_free(GsObject **arr, GsObject **buf)
{
    if (arr != buf)
        free(arr);
}

/* Replace l[lo:hi] by the n items of src (new references are taken):
 * CPython's list_ass_slice once its argument is a plain array.  src must
 * not point into l's own array.  Removed items are released last to
 * first, once the list is consistent. */
static int replace_range(GsThread *ts, GsList *l, size_t lo, size_t hi,
                         GsObject *const *src, size_t n)
{
    size_t len = l->len, norig = hi - lo;
    GsObject *buf[SMALL_BUF];
    GsObject **recycle = temp_array(ts, buf, norig);
    if (!recycle)
        return -1;
    if (norig > 0)
        memcpy(recycle, l->items + lo, norig * sizeof *recycle);
    if (n > norig) {
        if (list_resize(ts, l, len + (n - norig)) < 0) {
            temp_free(recycle, buf);
            return -1;
        }
        if (len > hi)
            memmove(l->items + lo + n, l->items + hi, (len - hi) * sizeof *recycle);
    } else if (n < norig) {
        if (len > hi)
            memmove(l->items + lo + n, l->items + hi, (len - hi) * sizeof *recycle);
        list_resize(ts, l, len - (norig - n));
    }
    for (size_t i = 0; i < n; i++)
        l->items[lo + i] = gs_newref(ts, src[i]);
    while (norig-- > 0)
        gs_decref(ts, recycle[norig]);
    temp_free(recycle, buf);
    return 0;
}

/* ---- small shared helpers ---------------------------------------------- */

/* A possibly negative index into a sequence of length len. */
static bool seq_pos(int64_t i, size_t len, size_t *out)
{
    if (i < 0)
        i += (int64_t)len;
    if (i < 0 || (uint64_t)i >= len)
        return false;
    *out = (size_t)i;
    return true;
}

/* Py_RETURN_RICHCOMPARE on two lengths. */
static bool compare_sizes(size_t a, size_t b, int op)
{
    switch (op) {
    case GS_CMP_LT: return a < b;
    case GS_CMP_LE: return a <= b;
    case GS_CMP_EQ: return a == b;
    case GS_CMP_NE: return a != b;
    case GS_CMP_GT: return a > b;
    default: return a >= b;
    }
}

/* The items of a list or a tuple. */
static GsObject **seq_items(GsObject *seq, size_t *n)
{
    if (GS_IS_LIST(seq)) {
        *n = LIST(seq)->len;
        return LIST(seq)->items;
    }
    *n = TUPLE(seq)->len;
    return TUPLE(seq)->items;
}

/* A new list of l[start:start+n].  Allocating can start a collection whose
 * finalizers change l, so the length is checked again afterwards. */
static GsObject *list_copy_range(GsThread *ts, GsList *l, size_t start, size_t n)
{
    for (;;) {
        size_t len = l->len;
        if (start > len)
            start = len;
        if (n > len - start)
            n = len - start;
        GsObject *res = gs_list_new(ts, n);
        if (!res || l->len == len) {
            for (size_t i = 0; res && i < n; i++)
                LIST(res)->items[i] = gs_newref(ts, l->items[start + i]);
            return res;
        }
        gs_decref(ts, res);
    }
}

/* ---- public API ------------------------------------------------------ */

static GsObject *bad_internal_call(GsThread *ts)
{
    return gs_err_set(ts, &gs_exc_SystemError, "bad argument to internal function");
}

GsObject *gs_list_new(GsThread *ts, size_t len)
{
    if (len > MAX_ITEMS)
        return no_memory(ts);
    GsList *l = (GsList *)gs_alloc(ts, &gs_list_type, sizeof(GsList));
    if (!l)
        return NULL;
    if (len > 0) {
        GsObject **items = gs_malloc(ts, len * sizeof *items);
        if (!items) {
            gs_decref(ts, &l->ob);
            return NULL;
        }
        memset(items, 0, len * sizeof *items);
        l->items = items;
        l->len = l->cap = len;
    }
    return &l->ob;
}

int gs_list_append(GsThread *ts, GsObject *list, GsObject *v)
{
    if (!GS_IS_LIST(list)) {
        bad_internal_call(ts);
        return -1;
    }
    return append_steal(ts, LIST(list), gs_newref(ts, v));
}

GsObject *gs_list_as_tuple(GsThread *ts, GsObject *list)
{
    if (!GS_IS_LIST(list))
        return bad_internal_call(ts);
    GsList *l = LIST(list);
    for (;;) {  /* as in list_copy_range: the allocation may change l */
        size_t n = l->len;
        GsObject *t = gs_tuple_new(ts, n);
        if (!t || l->len == n) {
            for (size_t i = 0; t && i < n; i++)
                TUPLE(t)->items[i] = gs_newref(ts, l->items[i]);
            return t;
        }
        gs_decref(ts, t);
    }
}

/* Extend by a list or tuple: one resize, then copy. */
static int extend_from_seq(GsThread *ts, GsList *l, GsObject *seq)
{
    size_t n, m = l->len;
    seq_items(seq, &n);
    if (n == 0)
        return 0;
    if (list_resize(ts, l, m + n) < 0)
        return -1;
    /* Read the source only now: for l.extend(l) the resize moved it. */
    size_t unused;
    GsObject **src = seq_items(seq, &unused);
    for (size_t i = 0; i < n; i++)
        l->items[m + i] = gs_newref(ts, src[i]);
    return 0;
}

/* How many items o will give, for sizing a list before iterating it
 * (CPython's PyObject_LengthHint): len(o) if it has a length, what is left
 * of a built-in iterator, a class's __length_hint__, else dflt.  -1 on
 * error.  The guess decides the list's capacity, which sys.getsizeof
 * shows, so it follows CPython's. */
static int64_t iter_length_hint(GsIter *it)
{
    if (!it->seq)
        return 0;
    switch (it->kind) {
    case GS_ITER_RANGE: {
        if (!it->index || (it->step > 0 ? it->cur >= it->stop : it->cur <= it->stop))
            return 0;
        __int128 span = it->step > 0 ? (__int128)it->stop - it->cur : (__int128)it->cur - it->stop;
        __int128 step = it->step > 0 ? it->step : -(__int128)it->step;
        return (int64_t)((span + step - 1) / step);
    }
    case GS_ITER_STR:
        return (int64_t)((GsStr *)it->seq)->nchars - it->index;
    case GS_ITER_BYTES:
        return (int64_t)((GsBytes *)it->seq)->len - it->index;
    case GS_ITER_SEQ:
        if (GS_IS_LIST(it->seq) || GS_IS_TUPLE(it->seq)) {
            int64_t n = GS_IS_LIST(it->seq) ? (int64_t)LIST(it->seq)->len
                                            : (int64_t)TUPLE(it->seq)->len;
            return n > it->index ? n - it->index : 0;
        }
        return -1;
    default:   /* dict iterators: what is left of the size they started with */
        return ((GsDict *)it->seq)->used == (size_t)it->stop ? it->stop - it->cur : 0;
    }
}

static bool has_len(GsThread *ts, GsObject *o)
{
    GsType *t = o->type;
    if ((t->flags & GS_TPFLAG_HEAPTYPE) && gs_type_lookup(t, GS_NAME(ts, __len__)))
        return true;
    return gs_type_builtin_base(t)->len != NULL;
}

static int64_t length_hint(GsThread *ts, GsObject *o, int64_t dflt)
{
    if (has_len(ts, o)) {
        int64_t n = gs_len(ts, o);
        if (n >= 0 || !gs_err_matches(ts, &gs_exc_TypeError))
            return n;
        gs_err_clear(ts);
    }
    if (o->type == &gs_iter_type) {
        int64_t n = iter_length_hint((GsIter *)o);
        return n >= 0 ? n : dflt;
    }
    GsObject *f = NULL;
    if (o->type->flags & GS_TPFLAG_HEAPTYPE) {
        GsObject *name = gs_str_intern_c(ts, "__length_hint__");
        f = name ? gs_type_lookup(o->type, name) : NULL;
        gs_xdecref(ts, name);
    }
    if (!f)
        return dflt;
    GsObject *r = gs_call(ts, f, &o, 1, NULL);
    if (!r)
        return gs_err_matches(ts, &gs_exc_TypeError) ? (gs_err_clear(ts), dflt) : -1;
    if (r == GS_NOTIMPL) {
        gs_decref(ts, r);
        return dflt;
    }
    if (!GS_IS_INT(r)) {
        gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                   r->type->name);
        gs_decref(ts, r);
        return -1;
    }
    int64_t n = gs_int_value(r);
    gs_decref(ts, r);
    if (n < 0) {
        gs_err_set(ts, &gs_exc_ValueError, "__length_hint__() should return >= 0");
        return -1;
    }
    return n;
}

/* Extend by any iterable, as CPython 3.9's list_extend: make room for the
 * length hint (8 if there is none), fill it, append past it, and give
 * back what the guess over-reserved. */
static int extend_from_iter(GsThread *ts, GsList *l, GsObject *iterable, GsObject *it)
{
    int64_t n = length_hint(ts, iterable, 8);
    if (n < 0)
        return -1;
    size_t m = l->len;
    if ((size_t)n <= MAX_ITEMS - m) {
        if (list_resize(ts, l, m + (size_t)n) < 0)
            return -1;
        l->len = m;   /* the slots past len are NULL: the collector may look */
    }
    GsObject *v;
    while ((v = gs_iternext(ts, it)) != NULL) {
        if (l->len < l->cap && l->cap != SORTING_CAP)
            l->items[l->len++] = v;
        else if (append_steal(ts, l, v) < 0)
            return -1;
    }
    if (gs_err_occurred(ts))
        return -1;
    if (l->len < l->cap && l->cap != SORTING_CAP)
        list_resize(ts, l, l->len);
    return 0;
}

int gs_list_extend(GsThread *ts, GsObject *list, GsObject *iterable)
{
    if (!GS_IS_LIST(list)) {
        bad_internal_call(ts);
        return -1;
    }
    if (GS_IS_LIST(iterable) || GS_IS_TUPLE(iterable))
        return extend_from_seq(ts, LIST(list), iterable);
    GsObject *it = gs_getiter(ts, iterable);
    if (!it)
        return -1;
    int rc = extend_from_iter(ts, LIST(list), iterable, it);
    gs_decref(ts, it);
    return rc;
}

GsObject *gs_sequence_to_list(GsThread *ts, GsObject *iterable)
{
    GsObject *list = gs_list_new(ts, 0);
    if (list && gs_list_extend(ts, list, iterable) < 0) {
        gs_decref(ts, list);
        return NULL;
    }
    return list;
}

/* ---- sorting ----------------------------------------------------------
 * A stable sort over (key, value) pairs that, like CPython's timsort, only
 * ever asks "is key b < key a?".  It finds runs the way timsort does (an
 * ascending or strictly descending stretch, extended to min_run items by
 * binary insertion) and merges them with a plain stable merge, in
 * timsort's order.  Below 64 items there is a single run, so a small list
 * is compared exactly as CPython compares it -- the same pairs in the same
 * order -- which guest __lt__ methods and TypeError messages ("'<' not
 * supported between instances of 'str' and 'int'") make visible.  Larger
 * lists end the same but by other comparisons: timsort's galloping is not
 * imitated.  After an error, a[] is always a permutation of what it held. */

typedef struct {
    GsObject *key;    /* the value itself when there is no key function */
    GsObject *value;
} SortItem;

typedef struct {
    size_t base, len;
} SortRun;

/* Enough pending runs for any list (CPython's MAX_MERGE_PENDING): run
 * lengths grow at least like the Fibonacci numbers down the stack. */
#define MAX_RUNS 85

/* Lists shorter than this are a single run and never merge. */
#define MIN_MERGE 64

static int sort_lt(GsThread *ts, const SortItem *x, const SortItem *y)
{
    return gs_compare_bool(ts, x->key, y->key, GS_CMP_LT);
}

static void reverse_pairs(SortItem *p, size_t n)
{
    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
        SortItem t = p[i];
        p[i] = p[j - 1];
        p[j - 1] = t;
    }
}

/* Timsort's minimum run: n itself below MIN_MERGE, else between 32 and 64
 * and such that n / min_run is a power of two or just below one. */
static size_t min_run(size_t n)
{
    size_t r = 0;
    while (n >= MIN_MERGE) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* The length of the run starting at a[0] (n >= 1): ascending, or strictly
 * descending -- strictly, so that reversing it in place keeps the sort
 * stable.  -1 on error. */
static int64_t count_run(GsThread *ts, SortItem *a, size_t n)
{
    if (n == 1)
        return 1;
    int k = sort_lt(ts, &a[1], &a[0]);
    if (k < 0)
        return -1;
    int descending = k;
    size_t i;
    for (i = 2; i < n; i++) {
        k = sort_lt(ts, &a[i], &a[i - 1]);
        if (k < 0)
            return -1;
        if (k != descending)
            break;
    }
    if (descending)
        reverse_pairs(a, i);
    return (int64_t)i;
}

/* Sort a[0..n) knowing a[0..sorted) is sorted: binary-search each item's
 * place, after any equal items (stability), and slide it in. */
static int binary_insertion(GsThread *ts, SortItem *a, size_t sorted, size_t n)
{
    for (size_t s = sorted ? sorted : 1; s < n; s++) {
        SortItem pivot = a[s];
        size_t l = 0, r = s;
        do {
            size_t p = l + (r - l) / 2;
            int k = sort_lt(ts, &pivot, &a[p]);
            if (k < 0)
                return -1;
            if (k)
                r = p;
            else
                l = p + 1;
        } while (l < r);
        memmove(a + l + 1, a + l, (s - l) * sizeof *a);
        a[l] = pivot;
    }
    return 0;
}

/* Merge the sorted runs a[0..mid) and a[mid..n), using tmp (mid slots).
 * The left run is moved to tmp and merged back; on a comparison error the
 * unmerged rest of tmp goes into the gap left in a[], which is exactly its
 * size. */
static int merge_two(GsThread *ts, SortItem *a, size_t mid, size_t n, SortItem *tmp)
{
    /* Already in order: one comparison. */
    int lt = sort_lt(ts, &a[mid], &a[mid - 1]);
    if (lt <= 0)
        return lt;
    size_t i = 0, j = mid, k = 0;
    memcpy(tmp, a, mid * sizeof *a);
    while (i < mid && j < n) {
        lt = sort_lt(ts, &a[j], &tmp[i]);
        if (lt < 0)
            break;
        /* Take from the right run only if strictly less: stability. */
        a[k++] = lt ? a[j++] : tmp[i++];
    }
    memcpy(a + k, tmp + i, (mid - i) * sizeof *a);
    return lt < 0 ? -1 : 0;
}

/* Merge pending runs i and i+1 into run i. */
static int merge_at(GsThread *ts, SortItem *a, SortRun *runs, int *nruns, int i, SortItem *tmp)
{
    SortRun *r = &runs[i];
    size_t len1 = r->len;
    r->len += runs[i + 1].len;
    if (i + 3 == *nruns)
        runs[i + 1] = runs[i + 2];
    --*nruns;
    return merge_two(ts, a + r->base, len1, r->len, tmp);
}

/* Timsort's merge_collapse: merge until the pending run lengths shrink
 * faster than the Fibonacci numbers up the stack, keeping merges balanced
 * and the stack short. */
static int merge_collapse(GsThread *ts, SortItem *a, SortRun *p, int *nruns, SortItem *tmp)
{
    while (*nruns > 1) {
        int n = *nruns - 2;
        if ((n > 0 && p[n - 1].len <= p[n].len + p[n + 1].len) ||
            (n > 1 && p[n - 2].len <= p[n - 1].len + p[n].len)) {
            if (p[n - 1].len < p[n + 1].len)
                --n;
        } else if (p[n].len > p[n + 1].len) {
            break;
        }
        if (merge_at(ts, a, p, nruns, n, tmp) < 0)
            return -1;
    }
    return 0;
}

static int merge_force_collapse(GsThread *ts, SortItem *a, SortRun *p, int *nruns,
                                SortItem *tmp)
{
    while (*nruns > 1) {
        int n = *nruns - 2;
        if (n > 0 && p[n - 1].len < p[n + 1].len)
            --n;
        if (merge_at(ts, a, p, nruns, n, tmp) < 0)
            return -1;
    }
    return 0;
}

/* Sort a[0..n); tmp has room for n items when n >= MIN_MERGE. */
static int sort_items(GsThread *ts, SortItem *a, size_t n, SortItem *tmp)
{
    SortRun runs[MAX_RUNS];
    int nruns = 0;
    size_t minrun = min_run(n);
    for (size_t lo = 0; lo < n;) {
        size_t left = n - lo;
        int64_t len = count_run(ts, a + lo, left);
        if (len < 0)
            return -1;
        if ((size_t)len < minrun) {
            size_t force = left < minrun ? left : minrun;
            if (binary_insertion(ts, a + lo, (size_t)len, force) < 0)
                return -1;
            len = (int64_t)force;
        }
        runs[nruns++] = (SortRun){lo, (size_t)len};
        if (merge_collapse(ts, a, runs, &nruns, tmp) < 0)
            return -1;
        lo += (size_t)len;
    }
    return merge_force_collapse(ts, a, runs, &nruns, tmp);
}

/* Pair each value with its key; on a key function error release the keys
 * computed so far, last to first as CPython does. */
static int sort_fill(GsThread *ts, SortItem *a, GsObject **items, size_t n, GsObject *keyfunc)
{
    for (size_t i = 0; i < n; i++) {
        a[i].value = items[i];
        a[i].key = keyfunc ? gs_call1(ts, keyfunc, items[i]) : items[i];
        if (!a[i].key) {
            while (i-- > 0)
                gs_decref(ts, a[i].key);
            return -1;
        }
    }
    return 0;
}

static void reverse_objects(GsObject **p, size_t n)
{
    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
        GsObject *t = p[i];
        p[i] = p[j - 1];
        p[j - 1] = t;
    }
}

/* Sort the n (key, value) pairs; keys are released here (in their sorted
 * order, as CPython does), values copied back to items[].  reverse is done
 * CPython's way -- reverse, stable sort, reverse back -- so that equal
 * items keep their original order in a descending sort too. */
static int sort_pairs(GsThread *ts, SortItem *a, GsObject **items, size_t n, bool has_keys,
                      bool reverse)
{
    if (reverse)
        reverse_pairs(a, n);
    int rc = -1;
    SortItem *tmp = n < MIN_MERGE ? NULL : gs_malloc(ts, n * sizeof *tmp);
    if (n < MIN_MERGE || tmp)
        rc = sort_items(ts, a, n, tmp);
    free(tmp);
    for (size_t i = 0; i < n; i++) {
        if (has_keys)
            gs_decref(ts, a[i].key);
        items[i] = a[i].value;
    }
    return rc;
}

int gs_list_sort(GsThread *ts, GsObject *list, GsObject *key, bool reverse)
{
    if (!GS_IS_LIST(list)) {
        bad_internal_call(ts);
        return -1;
    }
    GsList *l = LIST(list);
    if (key == GS_NONE)
        key = NULL;
    /* Take the items away while sorting: guest code run by comparisons or
     * the key function sees an empty list, and any change it makes is
     * detected (SORTING_CAP) and thrown away, as in CPython. */
    GsObject **saved = l->items;
    size_t n = l->len, saved_cap = l->cap;
    l->items = NULL;
    l->len = 0;
    l->cap = SORTING_CAP;

    int rc = -1;
    SortItem *pairs = n ? gs_malloc(ts, n * sizeof *pairs) : NULL;
    if ((pairs || n == 0) && sort_fill(ts, pairs, saved, n, key) == 0) {
        rc = sort_pairs(ts, pairs, saved, n, key != NULL, reverse);
        if (rc == 0 && l->cap != SORTING_CAP) {
            gs_err_set(ts, &gs_exc_ValueError, "list modified during sort");
            rc = -1;
        }
        if (reverse)
            reverse_objects(saved, n);
    }
    free(pairs);

    /* Whatever the list gained while sorting is thrown away. */
    GsObject **junk = l->items;
    size_t junk_len = l->len;
    l->items = saved;
    l->len = n;
    l->cap = saved_cap;
    release_array(ts, junk, junk_len);
    return rc;
}

/* ---- concatenation and repetition (list and tuple) ------------------- */

static GsObject *list_concat(GsThread *ts, GsList *a, GsObject *b)
{
    if (!GS_IS_LIST(b))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "can only concatenate list (not \"%s\") to list", gs_type_name(b));
    for (;;) {  /* the allocation may change a or b: see list_copy_range */
        size_t na = a->len, nb = LIST(b)->len;
        if (na > MAX_ITEMS - nb)
            return no_memory(ts);
        GsObject *res = gs_list_new(ts, na + nb);
        if (!res || (a->len == na && LIST(b)->len == nb)) {
            for (size_t i = 0; res && i < na; i++)
                LIST(res)->items[i] = gs_newref(ts, a->items[i]);
            for (size_t i = 0; res && i < nb; i++)
                LIST(res)->items[na + i] = gs_newref(ts, LIST(b)->items[i]);
            return res;
        }
        gs_decref(ts, res);
    }
}

static GsObject *tuple_concat(GsThread *ts, GsTuple *a, GsObject *b)
{
    /* Tuples are immutable, so an empty operand lets the other be shared. */
    if (a->len == 0 && GS_IS_TUPLE(b))
        return gs_newref(ts, b);
    if (!GS_IS_TUPLE(b))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "can only concatenate tuple (not \"%s\") to tuple", gs_type_name(b));
    size_t na = a->len, nb = TUPLE(b)->len;
    if (nb == 0)
        return gs_newref(ts, &a->ob);
    if (na > MAX_ITEMS - nb)
        return no_memory(ts);
    GsObject *res = gs_tuple_new(ts, na + nb);
    for (size_t i = 0; res && i < na; i++)
        TUPLE(res)->items[i] = gs_newref(ts, a->items[i]);
    for (size_t i = 0; res && i < nb; i++)
        TUPLE(res)->items[na + i] = gs_newref(ts, TUPLE(b)->items[i]);
    return res;
}

GsObject *gs_seq_concat(GsThread *ts, GsObject *a, GsObject *b)
{
    if (GS_IS_LIST(a))
        return list_concat(ts, LIST(a), b);
    if (GS_IS_TUPLE(a))
        return tuple_concat(ts, TUPLE(a), b);
    return gs_err_set(ts, &gs_exc_TypeError, "unsupported operand type(s) for +: '%s' and '%s'",
                      gs_type_name(a), gs_type_name(b));
}

/* Fill dst[0..len*n) with n copies of src[0..len). */
static void repeat_into(GsThread *ts, GsObject **dst, GsObject *const *src, size_t len,
                        size_t n)
{
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < len; i++)
            *dst++ = gs_newref(ts, src[i]);
}

static GsObject *list_repeat(GsThread *ts, GsList *a, size_t n)
{
    for (;;) {  /* the allocation may change a: see list_copy_range */
        size_t len = a->len;
        if (n > 0 && len > MAX_ITEMS / n)
            return no_memory(ts);
        GsObject *res = gs_list_new(ts, len * n);
        if (!res || a->len == len) {
            if (res)
                repeat_into(ts, LIST(res)->items, a->items, len, n);
            return res;
        }
        gs_decref(ts, res);
    }
}

static GsObject *tuple_repeat(GsThread *ts, GsTuple *a, size_t n)
{
    /* Immutable: t * 1 and () * n can be t itself, as in CPython. */
    if (a->len == 0 || n == 1)
        return gs_newref(ts, &a->ob);
    if (n > 0 && a->len > MAX_ITEMS / n)
        return no_memory(ts);
    GsObject *res = gs_tuple_new(ts, a->len * n);
    if (res)
        repeat_into(ts, TUPLE(res)->items, a->items, a->len, n);
    return res;
}

GsObject *gs_seq_repeat(GsThread *ts, GsObject *a, int64_t n)
{
    size_t count = n < 0 ? 0 : (size_t)n;
    if (GS_IS_LIST(a))
        return list_repeat(ts, LIST(a), count);
    if (GS_IS_TUPLE(a))
        return tuple_repeat(ts, TUPLE(a), count);
    return gs_err_set(ts, &gs_exc_TypeError, "unsupported operand type(s) for *: '%s' and 'int'",
                      gs_type_name(a));
}

/* ---- slots ------------------------------------------------------------ */

static void list_dealloc(GsThread *ts, GsObject *o)
{
    release_all(ts, LIST(o));
}

/* Last to first, the order CPython visits in. */
static int list_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsList *l = LIST(o);
    for (size_t i = l->len; i-- > 0;) {
        if (l->items[i]) {
            int r = visit(l->items[i], arg);
            if (r)
                return r;
        }
    }
    return 0;
}

static void list_clear_slot(GsThread *ts, GsObject *o)
{
    release_all(ts, LIST(o));
}

static GsObject *list_repr(GsThread *ts, GsObject *o)
{
    GsList *l = LIST(o);
    if (l->len == 0)
        return gs_str_from(ts, "[]");
    int r = gs_repr_enter(ts, o);
    if (r != 0)
        return r > 0 ? gs_str_from(ts, "[...]") : NULL;
    GsBuf b;
    gs_buf_init(&b);
    gs_buf_putc(&b, '[');
    for (size_t i = 0; i < l->len; i++) {
        if (i > 0)
            gs_buf_puts(&b, ", ");
        /* The item is lent, as in CPython 3.9 (so sys.getrefcount in a
         * guest __repr__ agrees): the call running __repr__ holds self. */
        if (gs_buf_repr(ts, &b, l->items[i]) < 0) {
            gs_buf_free(&b);
            gs_repr_leave(ts, o);
            return NULL;
        }
    }
    gs_buf_putc(&b, ']');
    gs_repr_leave(ts, o);
    return gs_buf_finish(ts, &b);
}

/* x == y, holding references across the call: a guest __eq__ may remove
 * the items from their lists (CPython 3.9 does the same). */
static int equal_held(GsThread *ts, GsObject *x, GsObject *y)
{
    gs_incref(ts, x);
    gs_incref(ts, y);
    int k = gs_equal(ts, x, y);
    gs_decref(ts, x);
    gs_decref(ts, y);
    return k;
}

static GsObject *list_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (!GS_IS_LIST(a) || !GS_IS_LIST(b))
        return gs_newref(ts, GS_NOTIMPL);
    GsList *v = LIST(a), *w = LIST(b);
    if (v->len != w->len && (op == GS_CMP_EQ || op == GS_CMP_NE))
        return gs_newref(ts, gs_bool(op == GS_CMP_NE));
    /* The first index where the items differ decides. */
    size_t i;
    for (i = 0; i < v->len && i < w->len; i++) {
        if (v->items[i] == w->items[i])
            continue;
        int k = equal_held(ts, v->items[i], w->items[i]);
        if (k < 0)
            return NULL;
        if (!k)
            break;
    }
    if (i >= v->len || i >= w->len)
        return gs_newref(ts, gs_bool(compare_sizes(v->len, w->len, op)));
    if (op == GS_CMP_EQ || op == GS_CMP_NE)
        return gs_newref(ts, gs_bool(op == GS_CMP_NE));
    /* Lent, as CPython 3.9 lends them for the final comparison. */
    return gs_richcompare(ts, v->items[i], w->items[i], op);
}

static int64_t list_len(GsThread *ts, GsObject *o)
{
    return (int64_t)LIST(o)->len;
}

static int list_truth(GsThread *ts, GsObject *o)
{
    return LIST(o)->len != 0;
}

static GsObject *list_get_slice(GsThread *ts, GsList *l, GsObject *slice)
{
    for (;;) {  /* the allocation may change l: see list_copy_range */
        int64_t start, stop, step, n;
        size_t len = l->len;
        if (gs_slice_indices(ts, slice, (int64_t)len, &start, &stop, &step, &n) < 0)
            return NULL;
        GsObject *res = gs_list_new(ts, (size_t)n);
        if (!res || l->len == len) {
            for (int64_t i = 0, cur = start; res && i < n; i++, cur += step)
                LIST(res)->items[i] = gs_newref(ts, l->items[cur]);
            return res;
        }
        gs_decref(ts, res);
    }
}

static GsObject *index_type_error(GsThread *ts, GsObject *key)
{
    return gs_err_set(ts, &gs_exc_TypeError, "list indices must be integers or slices, not %s",
                      gs_type_name(key));
}

static GsObject *list_getitem(GsThread *ts, GsObject *o, GsObject *key)
{
    GsList *l = LIST(o);
    if (GS_IS_INT(key)) {
        size_t i;
        if (gs_int_is_big(key))
            return gs_err_set(ts, &gs_exc_IndexError, "cannot fit 'int' into an index-sized integer");
        if (!seq_pos(gs_int_value(key), l->len, &i))
            return gs_err_set(ts, &gs_exc_IndexError, "list index out of range");
        return gs_newref(ts, l->items[i]);
    }
    if (gs_is(key, &gs_slice_type))
        return list_get_slice(ts, l, key);
    return index_type_error(ts, key);
}

/* CPython's PySequence_Fast: v itself (a new reference) when it is a
 * list or tuple, else list(v); a TypeError from iter(v) becomes msg.
 * l[...] = l works on a copy. */
static GsObject *seq_fast(GsThread *ts, GsList *self, GsObject *v, const char *msg)
{
    if (v == &self->ob)
        return list_copy_range(ts, self, 0, self->len);
    if (GS_IS_LIST(v) || GS_IS_TUPLE(v))
        return gs_newref(ts, v);
    GsObject *it = gs_getiter(ts, v);
    if (!it) {
        if (gs_err_matches(ts, &gs_exc_TypeError)) {
            gs_err_clear(ts);
            gs_err_set(ts, &gs_exc_TypeError, "%s", msg);
        }
        return NULL;
    }
    GsObject *list = gs_list_new(ts, 0);
    if (list && extend_from_iter(ts, LIST(list), v, it) < 0)
        gs_setref(ts, &list, NULL);
    gs_decref(ts, it);
    return list;
}

/* l[start::step] = src for an extended slice: sizes must agree.  The
 * replaced items are released in slice order, as CPython does. */
static int assign_extended(GsThread *ts, GsList *l, int64_t start, int64_t step,
                           int64_t slicelen, GsObject *const *src, size_t n)
{
    if ((uint64_t)slicelen != n) {
        gs_err_set(ts, &gs_exc_ValueError,
                   "attempt to assign sequence of size %zu to extended slice of size %lld", n,
                   (long long)slicelen);
        return -1;
    }
    GsObject *buf[SMALL_BUF];
    GsObject **garbage = temp_array(ts, buf, n);
    if (!garbage)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t cur = (size_t)(start + (int64_t)i * step);
        garbage[i] = l->items[cur];
        l->items[cur] = gs_newref(ts, src[i]);
    }
    for (size_t i = 0; i < n; i++)
        gs_decref(ts, garbage[i]);
    temp_free(garbage, buf);
    return 0;
}

static int list_assign_slice(GsThread *ts, GsList *l, GsObject *slice, GsObject *v)
{
    int64_t start, stop, step, slicelen;
    size_t len = l->len;
    if (gs_slice_indices(ts, slice, (int64_t)len, &start, &stop, &step, &slicelen) < 0)
        return -1;
    GsObject *seq = seq_fast(ts, l, v, step == 1 ? "can only assign an iterable"
                                                 : "must assign iterable to extended slice");
    if (!seq)
        return -1;
    /* Making the sequence may have run guest code that changed l. */
    int rc = 0;
    if (l->len != len)
        rc = gs_slice_indices(ts, slice, (int64_t)l->len, &start, &stop, &step, &slicelen);
    size_t n;
    GsObject **src = seq_items(seq, &n);
    if (rc == 0 && step == 1)
        rc = replace_range(ts, l, (size_t)start, (size_t)(start + slicelen), src, n);
    else if (rc == 0)
        rc = assign_extended(ts, l, start, step, slicelen, src, n);
    gs_decref(ts, seq);
    return rc;
}

/* del l[start::step] for step != 1: compact the survivors, then release
 * the removed items in ascending position order, as CPython does. */
static int delete_extended(GsThread *ts, GsList *l, int64_t start, int64_t step, int64_t n)
{
    if (n <= 0)
        return 0;
    if (step < 0 && n == 1) {
        step = 1;    /* one item: no walking (and -(-2**63) does not exist) */
    } else if (step < 0) {  /* walk the same positions upwards */
        start += step * (n - 1);
        step = -step;
    }
    GsObject *buf[SMALL_BUF];
    GsObject **garbage = temp_array(ts, buf, (size_t)n);
    if (!garbage)
        return -1;
    size_t len = l->len, dst = (size_t)start;
    for (int64_t i = 0; i < n; i++) {
        size_t cur = (size_t)(start + i * step);
        /* Keep what lies between this removed item and the next one. */
        size_t end = i + 1 < n ? cur + (size_t)step : len;
        garbage[i] = l->items[cur];
        memmove(l->items + dst, l->items + cur + 1, (end - cur - 1) * sizeof *garbage);
        dst += end - cur - 1;
    }
    list_resize(ts, l, len - (size_t)n);
    for (int64_t i = 0; i < n; i++)
        gs_decref(ts, garbage[i]);
    temp_free(garbage, buf);
    return 0;
}

static int list_delete_slice(GsThread *ts, GsList *l, GsObject *slice)
{
    int64_t start, stop, step, n;
    if (gs_slice_indices(ts, slice, (int64_t)l->len, &start, &stop, &step, &n) < 0)
        return -1;
    if (step == 1)
        return replace_range(ts, l, (size_t)start, (size_t)(start + n), NULL, 0);
    return delete_extended(ts, l, start, step, n);
}

static int list_set_index(GsThread *ts, GsList *l, int64_t index, GsObject *v)
{
    size_t i;
    if (!seq_pos(index, l->len, &i)) {
        gs_err_set(ts, &gs_exc_IndexError, "list assignment index out of range");
        return -1;
    }
    if (!v)
        return replace_range(ts, l, i, i + 1, NULL, 0);
    /* Store first, release after: the release may run guest code. */
    GsObject *old = l->items[i];
    l->items[i] = gs_newref(ts, v);
    gs_decref(ts, old);
    return 0;
}

static int list_setitem(GsThread *ts, GsObject *o, GsObject *key, GsObject *v)
{
    if (GS_IS_INT(key)) {
        if (gs_int_is_big(key)) {
            gs_err_set(ts, &gs_exc_IndexError, "cannot fit 'int' into an index-sized integer");
            return -1;
        }
        return list_set_index(ts, LIST(o), gs_int_value(key), v);
    }
    if (gs_is(key, &gs_slice_type))
        return v ? list_assign_slice(ts, LIST(o), key, v) : list_delete_slice(ts, LIST(o), key);
    index_type_error(ts, key);
    return -1;
}

static int list_contains(GsThread *ts, GsObject *o, GsObject *v)
{
    GsList *l = LIST(o);
    int k = 0;
    for (size_t i = 0; k == 0 && i < l->len; i++)
        k = equal_held(ts, l->items[i], v);
    return k;
}

static GsObject *list_iter(GsThread *ts, GsObject *o)
{
    return gs_iter_new(ts, o, GS_ITER_SEQ);
}

/* ---- argument checking --------------------------------------------------
 * The calling convention of C methods: args excludes self; keyword values
 * come after the positional ones in args and their names are in kwnames
 * (a tuple of str, NULL when there are none); nargs counts BOTH kinds.  So
 * the positional count is nargs - gs_kw_count(kwnames).
 *
 * Messages are CPython 3.9's: a method called as l.m(...) names itself
 * "list.m()" (descriptor checks), Argument Clinic says "m expected ...". */

static int no_keywords(GsThread *ts, const char *meth, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) == 0)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "list.%s() takes no keyword arguments", meth);
    return -1;
}

static int check_noargs(GsThread *ts, const char *meth, size_t nargs, GsObject *kwnames)
{
    if (no_keywords(ts, meth, kwnames) < 0)
        return -1;
    if (nargs == 0)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "list.%s() takes no arguments (%zu given)", meth, nargs);
    return -1;
}

static int check_onearg(GsThread *ts, const char *meth, size_t nargs, GsObject *kwnames)
{
    if (no_keywords(ts, meth, kwnames) < 0)
        return -1;
    if (nargs == 1)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "list.%s() takes exactly one argument (%zu given)", meth,
               nargs);
    return -1;
}

/* Positional-only, min..max arguments (Argument Clinic's wording). */
static int check_positional(GsThread *ts, const char *meth, size_t nargs, GsObject *kwnames,
                            size_t min, size_t max)
{
    if (no_keywords(ts, meth, kwnames) < 0)
        return -1;
    if (nargs >= min && nargs <= max)
        return 0;
    size_t bound = nargs < min ? min : max;
    const char *qual = min == max ? "" : nargs < min ? "at least " : "at most ";
    gs_err_set(ts, &gs_exc_TypeError, "%s expected %s%zu argument%s, got %zu", meth, qual, bound,
               bound == 1 ? "" : "s", nargs);
    return -1;
}

/* A Py_ssize_t argument as CPython 3.9's Argument Clinic converts it
 * (3.10 and later say "'float' object cannot be interpreted ..."). */
static int arg_ssize(GsThread *ts, GsObject *o, int64_t *out)
{
    if (GS_IS_FLOAT(o)) {
        gs_err_set(ts, &gs_exc_TypeError, "integer argument expected, got float");
        return -1;
    }
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                   gs_type_name(o));
        return -1;
    }
    return gs_int_to_int64(ts, o, out, "Python int too large to convert to C ssize_t");
}

/* A C int argument (sort's reverse=), CPython 3.9's _PyLong_AsInt. */
static int arg_cint(GsThread *ts, GsObject *o, int *out)
{
    if (GS_IS_FLOAT(o)) {
        gs_err_set(ts, &gs_exc_TypeError, "integer argument expected, got float");
        return -1;
    }
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError, "an integer is required (got type %s)",
                   gs_type_name(o));
        return -1;
    }
    int64_t v = gs_int_value(o);
    if (v > INT32_MAX || v < INT32_MIN) {
        gs_err_set(ts, &gs_exc_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* index()'s start and stop: CPython's _PyEval_SliceIndexNotNone. */
static int arg_slice_index(GsThread *ts, GsObject *o, int64_t *out)
{
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "slice indices must be integers or have an __index__ method");
        return -1;
    }
    *out = gs_int_value(o);
    return 0;
}

/* ---- methods ------------------------------------------------------------ */

static GsObject *none(GsThread *ts)
{
    return gs_newref(ts, GS_NONE);
}

static GsObject *list_append_m(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    if (check_onearg(ts, "append", nargs, kwnames) < 0)
        return NULL;
    return append_steal(ts, LIST(self), gs_newref(ts, args[0])) < 0 ? NULL : none(ts);
}

static GsObject *list_extend_m(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    if (check_onearg(ts, "extend", nargs, kwnames) < 0)
        return NULL;
    return gs_list_extend(ts, self, args[0]) < 0 ? NULL : none(ts);
}

static GsObject *list_pop_m(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    GsList *l = LIST(self);
    int64_t index = -1;
    if (check_positional(ts, "pop", nargs, kwnames, 0, 1) < 0)
        return NULL;
    if (nargs == 1 && arg_ssize(ts, args[0], &index) < 0)
        return NULL;
    if (l->len == 0)
        return gs_err_set(ts, &gs_exc_IndexError, "pop from empty list");
    size_t i;
    if (!seq_pos(index, l->len, &i))
        return gs_err_set(ts, &gs_exc_IndexError, "pop index out of range");
    GsObject *v = l->items[i];  /* the list's reference passes to the caller */
    memmove(l->items + i, l->items + i + 1, (l->len - i - 1) * sizeof v);
    list_resize(ts, l, l->len - 1);
    return v;
}

static GsObject *list_insert_m(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    GsList *l = LIST(self);
    int64_t where;
    if (check_positional(ts, "insert", nargs, kwnames, 2, 2) < 0 ||
        arg_ssize(ts, args[0], &where) < 0)
        return NULL;
    int64_t len = (int64_t)l->len;
    if (where < 0) {
        where += len;
        if (where < 0)
            where = 0;
    }
    if (where > len)
        where = len;
    if (replace_range(ts, l, (size_t)where, (size_t)where, &args[1], 1) < 0)
        return NULL;
    return none(ts);
}

/* The first i in [start, stop) (negative values count from the end) where
 * l[i] == v; -1 with no error if none, -2 on error. */
static int64_t list_find(GsThread *ts, GsList *l, GsObject *v, int64_t start, int64_t stop)
{
    int64_t len = (int64_t)l->len;
    if (start < 0 && (start += len) < 0)
        start = 0;
    if (stop < 0 && (stop += len) < 0)
        stop = 0;
    for (int64_t i = start; i < stop && i < (int64_t)l->len; i++) {
        int k = equal_held(ts, l->items[i], v);
        if (k != 0)
            return k > 0 ? i : -2;
    }
    return -1;
}

static GsObject *list_index_m(GsThread *ts, GsObject *self, GsObject *const *args,
                              size_t nargs, GsObject *kwnames)
{
    int64_t start = 0, stop = INT64_MAX;
    if (check_positional(ts, "index", nargs, kwnames, 1, 3) < 0 ||
        (nargs > 1 && arg_slice_index(ts, args[1], &start) < 0) ||
        (nargs > 2 && arg_slice_index(ts, args[2], &stop) < 0))
        return NULL;
    int64_t i = list_find(ts, LIST(self), args[0], start, stop);
    if (i >= 0)
        return gs_int_new(ts, i);
    if (i == -2)
        return NULL;
    GsObject *r = gs_repr(ts, args[0]);
    if (!r)
        return NULL;
    gs_err_set(ts, &gs_exc_ValueError, "%s is not in list", gs_str_cstr(r));
    gs_decref(ts, r);
    return NULL;
}

static GsObject *list_remove_m(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    if (check_onearg(ts, "remove", nargs, kwnames) < 0)
        return NULL;
    int64_t i = list_find(ts, LIST(self), args[0], 0, INT64_MAX);
    if (i == -1)
        return gs_err_set(ts, &gs_exc_ValueError, "list.remove(x): x not in list");
    if (i < 0 || replace_range(ts, LIST(self), (size_t)i, (size_t)i + 1, NULL, 0) < 0)
        return NULL;
    return none(ts);
}

static GsObject *list_count_m(GsThread *ts, GsObject *self, GsObject *const *args,
                              size_t nargs, GsObject *kwnames)
{
    if (check_onearg(ts, "count", nargs, kwnames) < 0)
        return NULL;
    GsList *l = LIST(self);
    int64_t count = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (l->items[i] == args[0]) {  /* CPython's shortcut: no reference taken */
            count++;
            continue;
        }
        int k = equal_held(ts, l->items[i], args[0]);
        if (k < 0)
            return NULL;
        count += k;
    }
    return gs_int_new(ts, count);
}

static GsObject *list_reverse_m(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    if (check_noargs(ts, "reverse", nargs, kwnames) < 0)
        return NULL;
    if (LIST(self)->len > 1)
        reverse_objects(LIST(self)->items, LIST(self)->len);
    return none(ts);
}

static GsObject *list_copy_m(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    if (check_noargs(ts, "copy", nargs, kwnames) < 0)
        return NULL;
    return list_copy_range(ts, LIST(self), 0, LIST(self)->len);
}

static GsObject *list_clear_m(GsThread *ts, GsObject *self, GsObject *const *args,
                              size_t nargs, GsObject *kwnames)
{
    if (check_noargs(ts, "clear", nargs, kwnames) < 0)
        return NULL;
    release_all(ts, LIST(self));
    return none(ts);
}

/* sort(*, key=None, reverse=False): keyword-only, so every value in args
 * is a keyword value when the call is valid (see gs_kw_count in object.h).  As in
 * CPython, names are all checked before reverse is converted. */
static GsObject *list_sort_m(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    size_t nkw = gs_kw_count(kwnames), npos = nargs - nkw;
    if (npos > 0)
        return gs_err_set(ts, &gs_exc_TypeError, "sort() takes no positional arguments");
    GsObject *key = GS_NONE, *reverse_obj = NULL;
    for (size_t i = 0; i < nkw; i++) {
        const char *name = gs_str_cstr(TUPLE(kwnames)->items[i]);
        if (strcmp(name, "key") == 0)
            key = args[i];
        else if (strcmp(name, "reverse") == 0)
            reverse_obj = args[i];
        else
            return gs_err_set(ts, &gs_exc_TypeError,
                              "'%s' is an invalid keyword argument for sort()", name);
    }
    int reverse = 0;
    if (reverse_obj && arg_cint(ts, reverse_obj, &reverse) < 0)
        return NULL;
    if (gs_list_sort(ts, self, key, reverse != 0) < 0)
        return NULL;
    return none(ts);
}

/* list() and list(iterable). */
static GsObject *list_new_slot(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    if (gs_kw_count(kwnames) > 0)
        return gs_err_set(ts, &gs_exc_TypeError, "list() takes no keyword arguments");
    if (nargs > 1)
        return gs_err_set(ts, &gs_exc_TypeError, "list expected at most 1 argument, got %zu",
                          nargs);
    if (nargs == 0)
        return gs_list_new(ts, 0);
    /* list(x) of a sized x starts with exactly len(x) slots (CPython 3.9's
     * list___init__), so list(range(10)) has no spare room. */
    GsObject *list = gs_list_new(ts, 0);
    if (list && has_len(ts, args[0])) {
        int64_t n = gs_len(ts, args[0]);
        if (n < 0 && gs_err_matches(ts, &gs_exc_TypeError))
            gs_err_clear(ts);   /* as CPython: then no exact size */
        else if (n < 0)
            gs_setref(ts, &list, NULL);
        else if (n > 0 && exact_reserve(ts, LIST(list), (size_t)n) < 0)
            gs_setref(ts, &list, NULL);
    }
    if (list && gs_list_extend(ts, list, args[0]) < 0)
        gs_setref(ts, &list, NULL);
    return list;
}

/* In CPython's order, which dir() shows. */
static const GsMethodDef list_methods[] = {
    {"clear", list_clear_m},
    {"copy", list_copy_m},
    {"append", list_append_m},
    {"insert", list_insert_m},
    {"extend", list_extend_m},
    {"pop", list_pop_m},
    {"remove", list_remove_m},
    {"index", list_index_m},
    {"count", list_count_m},
    {"reverse", list_reverse_m},
    {"sort", list_sort_m},
    {NULL, NULL},
};

GsType gs_list_type = {
    .ob = {.refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type},
    .name = "list",
    .base = &gs_object_type,
    .size = sizeof(GsList),
    .flags = GS_TPFLAG_GC,
    .methods = list_methods,
    .dealloc = list_dealloc,
    .traverse = list_traverse,
    .clear = list_clear_slot,
    .repr = list_repr,
    .richcompare = list_richcompare,
    .new_ = list_new_slot,
    .iter = list_iter,
    .len = list_len,
    .truth = list_truth,
    .getitem = list_getitem,
    .setitem = list_setitem,
    .contains = list_contains,
};
