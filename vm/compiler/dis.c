/*
 * dis.c -- the disassembler: CPython 3.9's `dis` listing, column for column.
 *
 *   line  >>  offset OPNAME               arg (argrepr)
 *     6           0 LOAD_GLOBAL              0 (range)
 *           >>    8 FOR_ITER                18 (to 28)
 *
 * Used by `gilscope dis FILE.py`, by `dis.dis(f)` in a script, and by the
 * tracer to name opcodes.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "runtime/interp.h"

/* The argument's explanation, CPython's argrepr. */
static int argrepr(GsThread *ts, GsBuf *out, GsCode *co, int op, int arg, int offset)
{
    GsTuple *t;
    switch (gs_opinfo[op].arg) {
    case GS_ARG_CONST:
        t = (GsTuple *)co->consts;
        return (size_t)arg < t->len ? gs_buf_repr(ts, out, t->items[arg]) : 0;
    case GS_ARG_NAME:
        t = (GsTuple *)co->names;
        if ((size_t)arg < t->len)
            gs_buf_puts(out, gs_str_cstr(t->items[arg]));
        return 0;
    case GS_ARG_LOCAL:
        t = (GsTuple *)co->varnames;
        if ((size_t)arg < t->len)
            gs_buf_puts(out, gs_str_cstr(t->items[arg]));
        return 0;
    case GS_ARG_FREE: {
        GsTuple *cells = (GsTuple *)co->cellvars, *frees = (GsTuple *)co->freevars;
        if ((size_t)arg < cells->len)
            gs_buf_puts(out, gs_str_cstr(cells->items[arg]));
        else if ((size_t)arg - cells->len < frees->len)
            gs_buf_puts(out, gs_str_cstr(frees->items[arg - cells->len]));
        return 0;
    }
    case GS_ARG_JREL:
        gs_buf_printf(out, "to %d", offset + 2 + arg);
        return 0;
    case GS_ARG_CMP:
        if (arg >= 0 && arg < 6)
            gs_buf_puts(out, gs_cmp_names[arg]);
        return 0;
    case GS_ARG_FORMAT: {
        static const char *const conv[] = { "", "str", "repr", "ascii" };
        gs_buf_puts(out, conv[arg & 3]);
        if (arg & 4)
            gs_buf_puts(out, (arg & 3) ? ", with format" : "with format");
        return 0;
    }
    case GS_ARG_MKFUNC: {
        static const char *const flags[] = { "defaults", "kwdefaults", "annotations", "closure" };
        bool first = true;
        for (int i = 0; i < 4; i++) {
            if (arg & (1 << i)) {
                gs_buf_puts(out, first ? "" : ", ");
                gs_buf_puts(out, flags[i]);
                first = false;
            }
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* Offsets that some jump lands on: marked ">>". */
static void find_labels(const unsigned char *code, size_t n, bool *label)
{
    int ext = 0;
    for (size_t off = 0; off + 1 < n; off += 2) {
        int op = code[off], arg = code[off + 1] | ext;
        ext = op == OP_EXTENDED_ARG ? arg << 8 : 0;
        int target = -1;
        if (gs_opinfo[op].arg == GS_ARG_JREL)
            target = (int)off + 2 + arg;
        else if (gs_opinfo[op].arg == GS_ARG_JABS)
            target = arg;
        if (target >= 0 && (size_t)target < n)
            label[target] = true;
    }
}

static int dis_one(GsThread *ts, GsBuf *out, GsCode *co)
{
    const unsigned char *code = ((GsBytes *)co->code)->data;
    size_t n = ((GsBytes *)co->code)->len;
    bool *label = calloc(n + 1, 1);
    if (!label) {
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
        return -1;
    }
    find_labels(code, n, label);
    int maxline = 0;
    for (int i = 0; i < co->ninstr; i++)
        if (co->lines[i] > maxline)
            maxline = co->lines[i];
    int linew = maxline >= 1000 ? snprintf(NULL, 0, "%d", maxline) : 3;
    int offw = n >= 10000 ? snprintf(NULL, 0, "%zu", n - 2) : 4;
    int ext = 0, lastline = -1, r = 0;
    for (size_t off = 0; off + 1 < n && r == 0; off += 2) {
        int op = code[off], arg = code[off + 1] | ext;
        ext = op == OP_EXTENDED_ARG ? arg << 8 : 0;
        int line = co->lines[off / 2];
        bool starts = line != lastline;
        lastline = line;
        if (starts && off > 0)
            gs_buf_putc(out, '\n');
        GsBuf row;
        gs_buf_init(&row);
        if (starts)
            gs_buf_printf(&row, "%*d", linew, line);
        else
            gs_buf_printf(&row, "%*s", linew, "");
        gs_buf_printf(&row, "     %s %*zu %-20s", label[off] ? ">>" : "  ", offw, off,
                      gs_opinfo[op].name ? gs_opinfo[op].name : "<unknown>");
        if (op >= GS_HAVE_ARGUMENT) {
            gs_buf_printf(&row, " %5d", arg);
            GsBuf rep;
            gs_buf_init(&rep);
            r = argrepr(ts, &rep, co, op, arg, (int)off);
            if (rep.len)
                gs_buf_printf(&row, " (%s)", rep.data);
            gs_buf_free(&rep);
        }
        while (row.len > 0 && row.data[row.len - 1] == ' ')
            row.data[--row.len] = 0;
        gs_buf_put(out, row.data ? row.data : "", row.len);
        gs_buf_putc(out, '\n');
        gs_buf_free(&row);
    }
    free(label);
    return r;
}

int gs_dis_code(GsThread *ts, GsBuf *out, GsCode *code, bool recursive)
{
    if (dis_one(ts, out, code) < 0)
        return -1;
    if (!recursive)
        return 0;
    GsTuple *consts = (GsTuple *)code->consts;
    for (size_t i = 0; i < consts->len; i++) {
        GsObject *c = consts->items[i];
        if (c->type != &gs_code_type)
            continue;
        gs_buf_puts(out, "\nDisassembly of ");
        if (gs_buf_repr(ts, out, c) < 0)
            return -1;
        gs_buf_puts(out, ":\n");
        if (gs_dis_code(ts, out, (GsCode *)c, true) < 0)
            return -1;
    }
    return 0;
}
