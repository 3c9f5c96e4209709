/*
 * test_parser.c -- the tokenizer and parser (vm/compiler/lexer.c, vm/compiler/parser.c).
 *
 * Every valid snippet is parsed and its tree printed in a compact form of
 * Python's ast.dump:
 *
 *     a = 1 + 2   ->   Module(Assign([Name(a, Store)], BinOp(Const(1), Add, Const(2))))
 *
 * The expected strings were made by running the same printer, written in
 * Python, over CPython 3.11's own `ast` for the same source: so they say
 * what CPython builds.  Likewise the syntax errors' messages, lines and
 * columns are what `python3 -c 'import ast; ast.parse(src)'` reports.
 * gilscope's own limits ("gilscope does not support bytes literals") come last.
 *
 * Then: programs from the seed notebooks, node positions, the token
 * stream, hostile nesting, and every prefix of a valid program (none may
 * crash the parser; errors are fine).
 *
 * Build alone:
 *   gcc -std=gnu11 -Ivm -Itests/unit tests/unit/test_parser.c vm/compiler/parser.c vm/compiler/lexer.c
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/ast.h"
#include "compiler/lexer.h"
#include "tap.h"

/* ------------------------------------------------------------------------
 * The printer
 * ------------------------------------------------------------------------ */

typedef struct {
    char *s;
    size_t len, cap;
    bool positions;              /* prefix nodes with {line,col,endline,endcol} */
} Dump;

static void put(Dump *d, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (d->len + (size_t)n + 1 > d->cap) {
        d->cap = (d->len + (size_t)n + 1) * 2;
        d->s = realloc(d->s, d->cap);
        if (!d->s)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(d->s + d->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    d->len += (size_t)n;
}

static const char *const binop_names[] = {"Add", "Sub", "Mult", "Div", "FloorDiv", "Mod",
    "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "MatMult"};
static const char *const unop_names[] = {"Not", "USub", "UAdd", "Invert"};
static const char *const cmp_names[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is",
    "IsNot", "In", "NotIn"};

static void dump_expr(Dump *d, const GsExpr *e, bool pos);
static void dump_stmts(Dump *d, const GsNodeList *l);

static void dump_exprs(Dump *d, const GsNodeList *l, bool pos)
{
    put(d, "[");
    for (int i = 0; i < l->len; i++) {
        put(d, i ? ", " : "");
        dump_expr(d, GS_NTH(*l, i, GsExpr), pos);
    }
    put(d, "]");
}

static void dump_opt(Dump *d, const GsExpr *e, bool pos)
{
    if (e)
        dump_expr(d, e, pos);
    else
        put(d, "None");
}

static void dump_ctx(Dump *d, GsCtx ctx)
{
    put(d, ctx == CTX_STORE ? ", Store" : ctx == CTX_DEL ? ", Del" : "");
}

/* Strings print printable ASCII as is and every other byte as \xNN. */
static void dump_str(Dump *d, const char *s, size_t n)
{
    put(d, "'");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            put(d, "%c", c);
        else
            put(d, "\\x%02x", c);
    }
    put(d, "'");
}

static void dump_const(Dump *d, const GsExpr *e)
{
    switch (e->v.constant.kind) {
    case C_NONE: put(d, "Const(None)"); break;
    case C_TRUE: put(d, "Const(True)"); break;
    case C_FALSE: put(d, "Const(False)"); break;
    case C_ELLIPSIS: put(d, "Const(...)"); break;
    case C_INT: put(d, "Const(%lld)", (long long)e->v.constant.i); break;
    case C_FLOAT: put(d, "Const(%.17g)", e->v.constant.f); break;
    case C_STR:
        put(d, "Const(");
        dump_str(d, e->v.constant.s, e->v.constant.n);
        put(d, ")");
        break;
    }
}

/* arguments([positional], [defaults], vararg, [kwonly], [kw_defaults], kwarg) */
static void dump_arguments(Dump *d, const GsArguments *a)
{
    put(d, "arguments([");
    for (int i = 0; i < a->args.len; i++) {
        GsArg *arg = GS_NTH(a->args, i, GsArg);
        put(d, "%s%s", i ? ", " : "", arg->name);
        if (d->positions)
            put(d, "{%d,%d}", arg->lineno, arg->col);
        if (i + 1 == a->posonlyargcount)
            put(d, ", /");
    }
    put(d, "], ");
    dump_exprs(d, &a->defaults, true);
    put(d, ", %s, [", a->vararg ? a->vararg->name : "None");
    for (int i = 0; i < a->kwonlyargs.len; i++)
        put(d, "%s%s", i ? ", " : "", GS_NTH(a->kwonlyargs, i, GsArg)->name);
    put(d, "], [");
    for (int i = 0; i < a->kw_defaults.len; i++) {
        put(d, i ? ", " : "");
        dump_opt(d, GS_NTH(a->kw_defaults, i, GsExpr), true);
    }
    put(d, "], %s)", a->kwarg ? a->kwarg->name : "None");
}

/* [name=value, **mapping] */
static void dump_keywords(Dump *d, const GsNodeList *l)
{
    put(d, "[");
    for (int i = 0; i < l->len; i++) {
        GsKeyword *k = GS_NTH(*l, i, GsKeyword);
        put(d, i ? ", " : "");
        if (d->positions)
            put(d, "{%d,%d}", k->lineno, k->col);
        if (k->name)
            put(d, "%s=", k->name);
        else
            put(d, "**");
        dump_expr(d, k->value, true);
    }
    put(d, "]");
}

static void dump_generators(Dump *d, const GsNodeList *l)
{
    put(d, "[");
    for (int i = 0; i < l->len; i++) {
        GsComprehension *c = GS_NTH(*l, i, GsComprehension);
        put(d, "%scomprehension(", i ? ", " : "");
        dump_expr(d, c->target, true);
        put(d, ", ");
        dump_expr(d, c->iter, true);
        put(d, ", ");
        dump_exprs(d, &c->ifs, true);
        put(d, c->is_async ? ", async)" : ")");
    }
    put(d, "]");
}

/* Print `e`; with pos false (the pieces of an f-string, whose positions
 * CPython 3.11 sets loosely) leave its position out even in positions mode. */
static void dump_expr(Dump *d, const GsExpr *e, bool pos)
{
    if (d->positions && pos)
        put(d, "{%d,%d,%d,%d}", e->lineno, e->col, e->end_lineno, e->end_col);
    switch (e->kind) {
    case E_CONST:
        dump_const(d, e);
        break;
    case E_NAME:
        put(d, "Name(%s", e->v.name.id);
        dump_ctx(d, e->v.name.ctx);
        put(d, ")");
        break;
    case E_ATTR:
        put(d, "Attribute(");
        dump_expr(d, e->v.attr.value, true);
        put(d, ", %s", e->v.attr.attr);
        dump_ctx(d, e->v.attr.ctx);
        put(d, ")");
        break;
    case E_SUBSCRIPT:
        put(d, "Subscript(");
        dump_expr(d, e->v.subscript.value, true);
        put(d, ", ");
        dump_expr(d, e->v.subscript.slice, true);
        dump_ctx(d, e->v.subscript.ctx);
        put(d, ")");
        break;
    case E_SLICE:
        put(d, "Slice(");
        dump_opt(d, e->v.slice.lower, true);
        put(d, ", ");
        dump_opt(d, e->v.slice.upper, true);
        put(d, ", ");
        dump_opt(d, e->v.slice.step, true);
        put(d, ")");
        break;
    case E_CALL:
        put(d, "Call(");
        dump_expr(d, e->v.call.func, true);
        put(d, ", ");
        dump_exprs(d, &e->v.call.args, true);
        put(d, ", ");
        dump_keywords(d, &e->v.call.keywords);
        put(d, ")");
        break;
    case E_BINOP:
        put(d, "BinOp(");
        dump_expr(d, e->v.binop.left, true);
        put(d, ", %s, ", binop_names[e->v.binop.op]);
        dump_expr(d, e->v.binop.right, true);
        put(d, ")");
        break;
    case E_UNARYOP:
        put(d, "UnaryOp(%s, ", unop_names[e->v.unaryop.op]);
        dump_expr(d, e->v.unaryop.operand, true);
        put(d, ")");
        break;
    case E_BOOLOP:
        put(d, "BoolOp(%s, ", e->v.boolop.is_and ? "And" : "Or");
        dump_exprs(d, &e->v.boolop.values, true);
        put(d, ")");
        break;
    case E_COMPARE:
        put(d, "Compare(");
        dump_expr(d, e->v.compare.left, true);
        put(d, ", [");
        for (int i = 0; i < e->v.compare.ops.len; i++)
            put(d, "%s%s", i ? ", " : "", cmp_names[(intptr_t)e->v.compare.ops.items[i]]);
        put(d, "], ");
        dump_exprs(d, &e->v.compare.comparators, true);
        put(d, ")");
        break;
    case E_IFEXP:
        put(d, "IfExp(");
        dump_expr(d, e->v.ifexp.test, true);
        put(d, ", ");
        dump_expr(d, e->v.ifexp.body, true);
        put(d, ", ");
        dump_expr(d, e->v.ifexp.orelse, true);
        put(d, ")");
        break;
    case E_LIST:
    case E_TUPLE:
        put(d, e->kind == E_LIST ? "List(" : "Tuple(");
        dump_exprs(d, &e->v.seq.elts, true);
        dump_ctx(d, e->v.seq.ctx);
        put(d, ")");
        break;
    case E_SET:
        put(d, "Set(");
        dump_exprs(d, &e->v.seq.elts, true);
        put(d, ")");
        break;
    case E_DICT:
        put(d, "Dict([");
        for (int i = 0; i < e->v.dict.keys.len; i++) {
            put(d, i ? ", " : "");
            dump_opt(d, GS_NTH(e->v.dict.keys, i, GsExpr), true);
        }
        put(d, "], ");
        dump_exprs(d, &e->v.dict.values, true);
        put(d, ")");
        break;
    case E_LISTCOMP:
    case E_SETCOMP:
    case E_DICTCOMP:
    case E_GENEXP:
        put(d, e->kind == E_LISTCOMP ? "ListComp(" : e->kind == E_GENEXP ? "GeneratorExp("
               : e->kind == E_SETCOMP ? "SetComp(" : "DictComp(");
        dump_expr(d, e->v.comp.elt, true);
        put(d, ", ");
        if (e->kind == E_DICTCOMP) {
            dump_expr(d, e->v.comp.value, true);
            put(d, ", ");
        }
        dump_generators(d, &e->v.comp.generators);
        put(d, ")");
        break;
    case E_JOINEDSTR:
        put(d, "JoinedStr(");
        dump_exprs(d, &e->v.joined.values, false);
        put(d, ")");
        break;
    case E_FORMATTED:
        put(d, "FormattedValue(");
        dump_expr(d, e->v.formatted.value, true);
        put(d, ", %d, ", e->v.formatted.conversion);
        dump_opt(d, e->v.formatted.format_spec, false);
        put(d, ")");
        break;
    case E_LAMBDA:
        put(d, "Lambda(");
        dump_arguments(d, e->v.lambda.args);
        put(d, ", ");
        dump_expr(d, e->v.lambda.body, true);
        put(d, ")");
        break;
    case E_YIELD:
        put(d, "Yield(");
        dump_opt(d, e->v.yield.value, true);
        put(d, ")");
        break;
    case E_YIELDFROM:
    case E_AWAIT:
        put(d, e->kind == E_AWAIT ? "Await(" : "YieldFrom(");
        dump_expr(d, e->v.yield.value, true);
        put(d, ")");
        break;
    case E_NAMEDEXPR:
        put(d, "NamedExpr(");
        dump_expr(d, e->v.namedexpr.target, true);
        put(d, ", ");
        dump_expr(d, e->v.namedexpr.value, true);
        put(d, ")");
        break;
    case E_STARRED:
        put(d, "Starred(");
        dump_expr(d, e->v.starred.value, true);
        dump_ctx(d, e->v.starred.ctx);
        put(d, ")");
        break;
    }
}

static void dump_aliases(Dump *d, const GsNodeList *l)
{
    for (int i = 0; i < l->len; i++) {
        GsAlias *a = GS_NTH(*l, i, GsAlias);
        put(d, "%s%s", i ? ", " : "", a->name);
        if (a->asname)
            put(d, " as %s", a->asname);
    }
}

static void dump_with(Dump *d, const GsStmt *s)
{
    put(d, s->v.with.is_async ? "AsyncWith([" : "With([");
    for (int i = 0; i < s->v.with.items.len; i++) {
        GsWithItem *w = GS_NTH(s->v.with.items, i, GsWithItem);
        put(d, "%swithitem(", i ? ", " : "");
        dump_expr(d, w->context_expr, true);
        if (w->optional_vars) {
            put(d, ", ");
            dump_expr(d, w->optional_vars, true);
        }
        put(d, ")");
    }
    put(d, "], ");
    dump_stmts(d, &s->v.with.body);
    put(d, ")");
}

static void dump_try(Dump *d, const GsStmt *s)
{
    put(d, "Try(");
    dump_stmts(d, &s->v.try_.body);
    put(d, ", [");
    for (int i = 0; i < s->v.try_.handlers.len; i++) {
        GsExceptHandler *h = GS_NTH(s->v.try_.handlers, i, GsExceptHandler);
        put(d, i ? ", " : "");
        if (d->positions)
            put(d, "{%d,%d}", h->lineno, h->col);
        put(d, "ExceptHandler(");
        dump_opt(d, h->type, true);
        put(d, ", %s, ", h->name ? h->name : "None");
        dump_stmts(d, &h->body);
        put(d, ")");
    }
    put(d, "], ");
    dump_stmts(d, &s->v.try_.orelse);
    put(d, ", ");
    dump_stmts(d, &s->v.try_.finalbody);
    put(d, ")");
}

static void dump_stmt(Dump *d, const GsStmt *s)
{
    if (d->positions)
        put(d, "{%d,%d,%d,%d}", s->lineno, s->col, s->end_lineno, s->end_col);
    switch (s->kind) {
    case S_EXPR:
        put(d, "Expr(");
        dump_expr(d, s->v.expr.value, true);
        put(d, ")");
        break;
    case S_ASSIGN:
        put(d, "Assign(");
        dump_exprs(d, &s->v.assign.targets, true);
        put(d, ", ");
        dump_expr(d, s->v.assign.value, true);
        put(d, ")");
        break;
    case S_AUGASSIGN:
        put(d, "AugAssign(");
        dump_expr(d, s->v.augassign.target, true);
        put(d, ", %s, ", binop_names[s->v.augassign.op]);
        dump_expr(d, s->v.augassign.value, true);
        put(d, ")");
        break;
    case S_DELETE:
        put(d, "Delete(");
        dump_exprs(d, &s->v.del.targets, true);
        put(d, ")");
        break;
    case S_PASS: put(d, "Pass"); break;
    case S_BREAK: put(d, "Break"); break;
    case S_CONTINUE: put(d, "Continue"); break;
    case S_IF:
    case S_WHILE:
        put(d, s->kind == S_IF ? "If(" : "While(");
        dump_expr(d, s->kind == S_IF ? s->v.if_.test : s->v.while_.test, true);
        put(d, ", ");
        dump_stmts(d, s->kind == S_IF ? &s->v.if_.body : &s->v.while_.body);
        put(d, ", ");
        dump_stmts(d, s->kind == S_IF ? &s->v.if_.orelse : &s->v.while_.orelse);
        put(d, ")");
        break;
    case S_FOR:
        put(d, s->v.for_.is_async ? "AsyncFor(" : "For(");
        dump_expr(d, s->v.for_.target, true);
        put(d, ", ");
        dump_expr(d, s->v.for_.iter, true);
        put(d, ", ");
        dump_stmts(d, &s->v.for_.body);
        put(d, ", ");
        dump_stmts(d, &s->v.for_.orelse);
        put(d, ")");
        break;
    case S_ANNASSIGN:
        put(d, "AnnAssign(");
        dump_expr(d, s->v.annassign.target, true);
        put(d, ", ");
        dump_expr(d, s->v.annassign.annotation, true);
        put(d, ", ");
        dump_opt(d, s->v.annassign.value, true);
        put(d, ", %d)", s->v.annassign.simple);
        break;
    case S_FUNCTIONDEF:
        put(d, "%sFunctionDef(%s, ", s->v.funcdef.is_async ? "Async" : "", s->v.funcdef.name);
        dump_arguments(d, s->v.funcdef.args);
        put(d, ", ");
        dump_stmts(d, &s->v.funcdef.body);
        put(d, ", ");
        dump_exprs(d, &s->v.funcdef.decorators, true);
        put(d, ")");
        break;
    case S_CLASSDEF:
        put(d, "ClassDef(%s, ", s->v.classdef.name);
        dump_exprs(d, &s->v.classdef.bases, true);
        put(d, ", ");
        dump_keywords(d, &s->v.classdef.keywords);
        put(d, ", ");
        dump_stmts(d, &s->v.classdef.body);
        put(d, ", ");
        dump_exprs(d, &s->v.classdef.decorators, true);
        put(d, ")");
        break;
    case S_RETURN:
        put(d, "Return(");
        if (s->v.return_.value)
            dump_expr(d, s->v.return_.value, true);
        put(d, ")");
        break;
    case S_GLOBAL:
    case S_NONLOCAL:
        put(d, s->kind == S_GLOBAL ? "Global(" : "Nonlocal(");
        for (int i = 0; i < s->v.global.names.len; i++)
            put(d, "%s%s", i ? ", " : "", (const char *)s->v.global.names.items[i]);
        put(d, ")");
        break;
    case S_IMPORT:
        put(d, "Import(");
        dump_aliases(d, &s->v.import.names);
        put(d, ")");
        break;
    case S_IMPORTFROM:
        put(d, "ImportFrom(%s, [", s->v.importfrom.module ? s->v.importfrom.module : "None");
        dump_aliases(d, &s->v.importfrom.names);
        put(d, "], %d)", s->v.importfrom.level);
        break;
    case S_WITH:
        dump_with(d, s);
        break;
    case S_TRY:
        dump_try(d, s);
        break;
    case S_RAISE:
        put(d, "Raise(");
        dump_opt(d, s->v.raise.exc, true);
        put(d, ", ");
        dump_opt(d, s->v.raise.cause, true);
        put(d, ")");
        break;
    case S_ASSERT:
        put(d, "Assert(");
        dump_expr(d, s->v.assert_.test, true);
        put(d, ", ");
        dump_opt(d, s->v.assert_.msg, true);
        put(d, ")");
        break;
    }
}

static void dump_stmts(Dump *d, const GsNodeList *l)
{
    put(d, "[");
    for (int i = 0; i < l->len; i++) {
        put(d, i ? ", " : "");
        dump_stmt(d, GS_NTH(*l, i, GsStmt));
    }
    put(d, "]");
}

/* Parse `src` and return its tree as a malloc'd string, or the error as
 * "error: msg (line:col)". */
static char *parse_and_dump(const char *src, size_t len, bool positions)
{
    GsArena *arena = gs_arena_new();
    GsSyntaxError err;
    GsModuleAst *m = gs_parse(arena, src, len, &err);
    Dump d = {.positions = positions};
    if (!m) {
        put(&d, "error: %s (%d:%d)", err.msg, err.lineno, err.col);
    } else {
        put(&d, "Module(");
        for (int i = 0; i < m->body.len; i++) {
            put(&d, i ? ", " : "");
            dump_stmt(&d, GS_NTH(m->body, i, GsStmt));
        }
        put(&d, ")");
    }
    gs_arena_free(arena);
    return d.s;
}

/* ------------------------------------------------------------------------
 * Expectations (generated from CPython 3.11, see the top of the file)
 * ------------------------------------------------------------------------ */

static const struct { const char *src, *tree; } valid_cases[] = {
    {"a = 1 + 2",
     "Module(Assign([Name(a, Store)], BinOp(Const(1), Add, Const(2))))"},
    {"a = b = 1",
     "Module(Assign([Name(a, Store), Name(b, Store)], Const(1)))"},
    {"a, b = b, a",
     "Module(Assign([Tuple([Name(a, Store), Name(b, Store)], Store)], Tuple([Name(b), Name(a)])))"},
    {"x = -2 ** 2",
     "Module(Assign([Name(x, Store)], UnaryOp(USub, BinOp(Const(2), Pow, Const(2)))))"},
    {"x = 2 ** -1",
     "Module(Assign([Name(x, Store)], BinOp(Const(2), Pow, UnaryOp(USub, Const(1)))))"},
    {"x = 2 ** 3 ** 2",
     "Module(Assign([Name(x, Store)], BinOp(Const(2), Pow, BinOp(Const(3), Pow, Const(2)))))"},
    {"x = a - b - c",
     "Module(Assign([Name(x, Store)], BinOp(BinOp(Name(a), Sub, Name(b)), Sub, Name(c))))"},
    {"x = a - b * c",
     "Module(Assign([Name(x, Store)], BinOp(Name(a), Sub, BinOp(Name(b), Mult, Name(c)))))"},
    {"x = (a - b) * c",
     "Module(Assign([Name(x, Store)], BinOp(BinOp(Name(a), Sub, Name(b)), Mult, Name(c))))"},
    {"x = a | b ^ c & d << e >> f",
     "Module(Assign([Name(x, Store)], BinOp(Name(a), BitOr, BinOp(Name(b), BitXor, BinOp(Name(c), BitAnd, BinOp(BinOp(Name(d), LShift, Name(e)), RShift, Name(f)))))))"},
    {"x = a // b % c @ d / e",
     "Module(Assign([Name(x, Store)], BinOp(BinOp(BinOp(BinOp(Name(a), FloorDiv, Name(b)), Mod, Name(c)), MatMult, Name(d)), Div, Name(e))))"},
    {"x = ~a + +b - -c",
     "Module(Assign([Name(x, Store)], BinOp(BinOp(UnaryOp(Invert, Name(a)), Add, UnaryOp(UAdd, Name(b))), Sub, UnaryOp(USub, Name(c)))))"},
    {"x = not a and b or c",
     "Module(Assign([Name(x, Store)], BoolOp(Or, [BoolOp(And, [UnaryOp(Not, Name(a)), Name(b)]), Name(c)])))"},
    {"x = a or b or c and d and e",
     "Module(Assign([Name(x, Store)], BoolOp(Or, [Name(a), Name(b), BoolOp(And, [Name(c), Name(d), Name(e)])])))"},
    {"x = a < b < c",
     "Module(Assign([Name(x, Store)], Compare(Name(a), [Lt, Lt], [Name(b), Name(c)])))"},
    {"x = a not in b is not c in d is e",
     "Module(Assign([Name(x, Store)], Compare(Name(a), [NotIn, IsNot, In, Is], [Name(b), Name(c), Name(d), Name(e)])))"},
    {"x = a == b != c >= d <= e > f",
     "Module(Assign([Name(x, Store)], Compare(Name(a), [Eq, NotEq, GtE, LtE, Gt], [Name(b), Name(c), Name(d), Name(e), Name(f)])))"},
    {"x = a if b else c if d else e",
     "Module(Assign([Name(x, Store)], IfExp(Name(b), Name(a), IfExp(Name(d), Name(c), Name(e)))))"},
    {"f = lambda: 0",
     "Module(Assign([Name(f, Store)], Lambda(arguments([], [], None, [], [], None), Const(0))))"},
    {"f = lambda a, b=1, *args, c, d=2, **kw: a",
     "Module(Assign([Name(f, Store)], Lambda(arguments([a, b], [Const(1)], args, [c, d], [None, Const(2)], kw), Name(a))))"},
    {"f = lambda *, k: k",
     "Module(Assign([Name(f, Store)], Lambda(arguments([], [], None, [k], [None], None), Name(k))))"},
    {"x = a.b.c(d)[e]",
     "Module(Assign([Name(x, Store)], Subscript(Call(Attribute(Attribute(Name(a), b), c), [Name(d)], []), Name(e))))"},
    {"x = f(1, *a, k=2, **kw)",
     "Module(Assign([Name(x, Store)], Call(Name(f), [Const(1), Starred(Name(a))], [k=Const(2), **Name(kw)])))"},
    {"x = f(a, b)(c)(d=1)",
     "Module(Assign([Name(x, Store)], Call(Call(Call(Name(f), [Name(a), Name(b)], []), [Name(c)], []), [], [d=Const(1)])))"},
    {"x = a[1:2]",
     "Module(Assign([Name(x, Store)], Subscript(Name(a), Slice(Const(1), Const(2), None))))"},
    {"x = a[::2]",
     "Module(Assign([Name(x, Store)], Subscript(Name(a), Slice(None, None, Const(2)))))"},
    {"x = a[1:2, 3]",
     "Module(Assign([Name(x, Store)], Subscript(Name(a), Tuple([Slice(Const(1), Const(2), None), Const(3)]))))"},
    {"x = a[:]",
     "Module(Assign([Name(x, Store)], Subscript(Name(a), Slice(None, None, None))))"},
    {"x = a[i,]",
     "Module(Assign([Name(x, Store)], Subscript(Name(a), Tuple([Name(i)]))))"},
    {"x = a[*b]",
     "Module(Assign([Name(x, Store)], Subscript(Name(a), Tuple([Starred(Name(b))]))))"},
    {"x = ()",
     "Module(Assign([Name(x, Store)], Tuple([])))"},
    {"x = (1,)",
     "Module(Assign([Name(x, Store)], Tuple([Const(1)])))"},
    {"x = (1)",
     "Module(Assign([Name(x, Store)], Const(1)))"},
    {"x = [1, 2, *rest]",
     "Module(Assign([Name(x, Store)], List([Const(1), Const(2), Starred(Name(rest))])))"},
    {"x = (*a, b)",
     "Module(Assign([Name(x, Store)], Tuple([Starred(Name(a)), Name(b)])))"},
    {"x = [i * 2 for i in range(10) if i % 2 if i > 3 for j in i]",
     "Module(Assign([Name(x, Store)], ListComp(BinOp(Name(i), Mult, Const(2)), [comprehension(Name(i, Store), Call(Name(range), [Const(10)], []), [BinOp(Name(i), Mod, Const(2)), Compare(Name(i), [Gt], [Const(3)])]), comprehension(Name(j, Store), Name(i), [])])))"},
    {"x = {}",
     "Module(Assign([Name(x, Store)], Dict([], [])))"},
    {"x = {'a': 1, **d, 'b': 2}",
     "Module(Assign([Name(x, Store)], Dict([Const('a'), None, Const('b')], [Const(1), Name(d), Const(2)])))"},
    {"x = {1, 2,}",
     "Module(Assign([Name(x, Store)], Set([Const(1), Const(2)])))"},
    {"x = {*a, b, *c}",
     "Module(Assign([Name(x, Store)], Set([Starred(Name(a)), Name(b), Starred(Name(c))])))"},
    {"x = {a for a in b if a}",
     "Module(Assign([Name(x, Store)], SetComp(Name(a), [comprehension(Name(a, Store), Name(b), [Name(a)])])))"},
    {"x = {k: v for k, v in d.items() if v}",
     "Module(Assign([Name(x, Store)], DictComp(Name(k), Name(v), [comprehension(Tuple([Name(k, Store), Name(v, Store)], Store), Call(Attribute(Name(d), items), [], []), [Name(v)])])))"},
    {"x = [[1, 2], [3]]",
     "Module(Assign([Name(x, Store)], List([List([Const(1), Const(2)]), List([Const(3)])])))"},
    {"x = ...",
     "Module(Assign([Name(x, Store)], Const(...)))"},
    {"x = True, False, None",
     "Module(Assign([Name(x, Store)], Tuple([Const(True), Const(False), Const(None)])))"},
    {"x = 10_000_000 + 0x_FF + 0o17 + 0b1010 + 0 + 00",
     "Module(Assign([Name(x, Store)], BinOp(BinOp(BinOp(BinOp(BinOp(Const(10000000), Add, Const(255)), Add, Const(15)), Add, Const(10)), Add, Const(0)), Add, Const(0))))"},
    {"x = 1.5 + .5 + 1e-3 + 1_000.5 + 1. + 2E+10",
     "Module(Assign([Name(x, Store)], BinOp(BinOp(BinOp(BinOp(BinOp(Const(1.5), Add, Const(0.5)), Add, Const(0.001)), Add, Const(1000.5)), Add, Const(1)), Add, Const(20000000000))))"},
    {"x = 9223372036854775807",
     "Module(Assign([Name(x, Store)], Const(9223372036854775807)))"},
    {"x = 1if y else 2",
     "Module(Assign([Name(x, Store)], IfExp(Name(y), Const(1), Const(2))))"},
    {"x = 1 .real + (1).imag",
     "Module(Assign([Name(x, Store)], BinOp(Attribute(Const(1), real), Add, Attribute(Const(1), imag))))"},
    {"s = 'a' \"b\" '''c''' \"\"\"d\"\"\"",
     "Module(Assign([Name(s, Store)], Const('abcd')))"},
    {"s = '\\n\\t\\\\\\'\\\"\\r\\0\\x41\\u00e9\\U0001F600\\101\\q'",
     "Module(Assign([Name(s, Store)], Const('\\x0a\\x09\\x5c\\x27\"\\x0d\\x00A\\xc3\\xa9\\xf0\\x9f\\x98\\x80A\\x5cq')))"},
    {"s = r'\\n\\d' 'x\\\ny'",
     "Module(Assign([Name(s, Store)], Const('\\x5cn\\x5cdxy')))"},
    {"s = 'h\xc3\xa9llo w\xc3\xb6rld \xe2\x98\x83'",
     "Module(Assign([Name(s, Store)], Const('h\\xc3\\xa9llo w\\xc3\\xb6rld \\xe2\\x98\\x83')))"},
    {"s = f\"{x}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(Name(x), -1, None)])))"},
    {"s = f\"a{x!r:>{w}}b{{c}}\" \"d\"",
     "Module(Assign([Name(s, Store)], JoinedStr([Const('a'), FormattedValue(Name(x), 114, JoinedStr([Const('>'), FormattedValue(Name(w), -1, None)])), Const('b{c}d')])))"},
    {"s = f\"{x=}\" f\"{y = !s}\" f\"{z=:>3}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([Const('x='), FormattedValue(Name(x), 114, None), Const('y = '), FormattedValue(Name(y), 115, None), Const('z='), FormattedValue(Name(z), -1, JoinedStr([Const('>3')]))])))"},
    {"s = \"a\" f\"b{x}c\" \"d\"",
     "Module(Assign([Name(s, Store)], JoinedStr([Const('ab'), FormattedValue(Name(x), -1, None), Const('cd')])))"},
    {"s = f\"\"",
     "Module(Assign([Name(s, Store)], JoinedStr([])))"},
    {"s = f\"{x:}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(Name(x), -1, JoinedStr([]))])))"},
    {"s = rf\"\\n{x}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([Const('\\x5cn'), FormattedValue(Name(x), -1, None)])))"},
    {"s = f\"{a, b}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(Tuple([Name(a), Name(b)]), -1, None)])))"},
    {"s = f\"{'nested'}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(Const('nested'), -1, None)])))"},
    {"s = f'{f\"{x!a}\"}'",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(JoinedStr([FormattedValue(Name(x), 97, None)]), -1, None)])))"},
    {"s = f\"{x:{w}.{p}f}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(Name(x), -1, JoinedStr([FormattedValue(Name(w), -1, None), Const('.'), FormattedValue(Name(p), -1, None), Const('f')]))])))"},
    {"s = f\"\"\"{\na +\nb}\"\"\"",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(BinOp(Name(a), Add, Name(b)), -1, None)])))"},
    {"s = f\"{a == b!s} {c != d}\"",
     "Module(Assign([Name(s, Store)], JoinedStr([FormattedValue(Compare(Name(a), [Eq], [Name(b)]), 115, None), Const(' '), FormattedValue(Compare(Name(c), [NotEq], [Name(d)]), -1, None)])))"},
    {"s = f\"\\t{x}\\u00e9\"",
     "Module(Assign([Name(s, Store)], JoinedStr([Const('\\x09'), FormattedValue(Name(x), -1, None), Const('\\xc3\\xa9')])))"},
    {"del a, b[0], c.d",
     "Module(Delete([Name(a, Del), Subscript(Name(b), Const(0), Del), Attribute(Name(c), d, Del)]))"},
    {"del (a, b), [c]",
     "Module(Delete([Tuple([Name(a, Del), Name(b, Del)], Del), List([Name(c, Del)], Del)]))"},
    {"pass; break; continue;",
     "Module(Pass, Break, Continue)"},
    {"if a: pass\nelif b: pass\nelif c: pass\nelse: pass",
     "Module(If(Name(a), [Pass], [If(Name(b), [Pass], [If(Name(c), [Pass], [Pass])])]))"},
    {"while x:\n    x -= 1\nelse:\n    y = 2",
     "Module(While(Name(x), [AugAssign(Name(x, Store), Sub, Const(1))], [Assign([Name(y, Store)], Const(2))]))"},
    {"for i, x in enumerate(xs):\n    print(i, x)\nelse:\n    pass",
     "Module(For(Tuple([Name(i, Store), Name(x, Store)], Store), Call(Name(enumerate), [Name(xs)], []), [Expr(Call(Name(print), [Name(i), Name(x)], []))], [Pass]))"},
    {"for (a, b), c in d: pass",
     "Module(For(Tuple([Tuple([Name(a, Store), Name(b, Store)], Store), Name(c, Store)], Store), Name(d), [Pass], []))"},
    {"for x, in y: pass",
     "Module(For(Tuple([Name(x, Store)], Store), Name(y), [Pass], []))"},
    {"for x in 1, 2: pass",
     "Module(For(Name(x, Store), Tuple([Const(1), Const(2)]), [Pass], []))"},
    {"@dec\n@dec2(1)\ndef f(a, b=1, *args, c, d=2, **kw):\n    return a",
     "Module(FunctionDef(f, arguments([a, b], [Const(1)], args, [c, d], [None, Const(2)], kw), [Return(Name(a))], [Name(dec), Call(Name(dec2), [Const(1)], [])]))"},
    {"def f(a: int, b: \"str\" = \"x\", *c: int, **d: dict) -> bool:\n    pass",
     "Module(FunctionDef(f, arguments([a, b], [Const('x')], c, [], [], d), [Pass], []))"},
    {"def f(*, a): pass",
     "Module(FunctionDef(f, arguments([], [], None, [a], [None], None), [Pass], []))"},
    {"def f(a,): return",
     "Module(FunctionDef(f, arguments([a], [], None, [], [], None), [Return()], []))"},
    {"class A(B, C, metaclass=M, **kw):\n    x = 1\n    def m(self): pass",
     "Module(ClassDef(A, [Name(B), Name(C)], [metaclass=Name(M), **Name(kw)], [Assign([Name(x, Store)], Const(1)), FunctionDef(m, arguments([self], [], None, [], [], None), [Pass], [])], []))"},
    {"class A: pass",
     "Module(ClassDef(A, [], [], [Pass], []))"},
    {"class A(): pass",
     "Module(ClassDef(A, [], [], [Pass], []))"},
    {"@decorator\nclass A(object): pass",
     "Module(ClassDef(A, [Name(object)], [], [Pass], [Name(decorator)]))"},
    {"global a, b\nnonlocal c",
     "Module(Global(a, b), Nonlocal(c))"},
    {"import a\nimport a.b.c as d, e",
     "Module(Import(a), Import(a.b.c as d, e))"},
    {"from m import a, b as c\nfrom m import (a,\n  b,)\nfrom . import x\nfrom ..pkg.mod import y\nfrom ... import z\nfrom .... import w\nfrom m import *",
     "Module(ImportFrom(m, [a, b as c], 0), ImportFrom(m, [a, b], 0), ImportFrom(None, [x], 1), ImportFrom(pkg.mod, [y], 2), ImportFrom(None, [z], 3), ImportFrom(None, [w], 4), ImportFrom(m, [*], 0))"},
    {"def g():\n    yield 1\n    yield\n    x = yield a, b\n    y = yield from z",
     "Module(FunctionDef(g, arguments([], [], None, [], [], None), [Expr(Yield(Const(1))), Expr(Yield(None)), Assign([Name(x, Store)], Yield(Tuple([Name(a), Name(b)]))), Assign([Name(y, Store)], YieldFrom(Name(z)))], []))"},
    {"async def f(a):\n    await a\n    x = await g(1) ** 2\n    async for i in a: pass\n    async with a as b, c: pass\n    return [i async for i in a if await i]",
     "Module(AsyncFunctionDef(f, arguments([a], [], None, [], [], None), [Expr(Await(Name(a))), Assign([Name(x, Store)], BinOp(Await(Call(Name(g), [Const(1)], [])), Pow, Const(2))), AsyncFor(Name(i, Store), Name(a), [Pass], []), AsyncWith([withitem(Name(a), Name(b, Store)), withitem(Name(c))], [Pass]), Return(ListComp(Name(i), [comprehension(Name(i, Store), Name(a), [Await(Name(i))], async)]))], []))"},
    {"@d\nasync def f(): pass",
     "Module(AsyncFunctionDef(f, arguments([], [], None, [], [], None), [Pass], [Name(d)]))"},
    {"x = (a for a in b)\nf(a for a in b if a)",
     "Module(Assign([Name(x, Store)], GeneratorExp(Name(a), [comprehension(Name(a, Store), Name(b), [])])), Expr(Call(Name(f), [GeneratorExp(Name(a), [comprehension(Name(a, Store), Name(b), [Name(a)])])], [])))"},
    {"with a as b, c as d: pass",
     "Module(With([withitem(Name(a), Name(b, Store)), withitem(Name(c), Name(d, Store))], [Pass]))"},
    {"with a: pass",
     "Module(With([withitem(Name(a))], [Pass]))"},
    {"with (a as b, c as d,): pass",
     "Module(With([withitem(Name(a), Name(b, Store)), withitem(Name(c), Name(d, Store))], [Pass]))"},
    {"with (a, b) as (c, d): pass",
     "Module(With([withitem(Tuple([Name(a), Name(b)]), Tuple([Name(c, Store), Name(d, Store)], Store))], [Pass]))"},
    {"with a as b.c, d as e[0]: pass",
     "Module(With([withitem(Name(a), Attribute(Name(b), c, Store)), withitem(Name(d), Subscript(Name(e), Const(0), Store))], [Pass]))"},
    {"try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass",
     "Module(Try([Pass], [ExceptHandler(Tuple([Name(A), Name(B)]), e, [Pass]), ExceptHandler(Name(C), None, [Pass]), ExceptHandler(None, None, [Pass])], [Pass], [Pass]))"},
    {"try:\n    pass\nfinally:\n    pass",
     "Module(Try([Pass], [], [], [Pass]))"},
    {"raise\nraise E\nraise E from C",
     "Module(Raise(None, None), Raise(Name(E), None), Raise(Name(E), Name(C)))"},
    {"assert x\nassert x, \"msg\"",
     "Module(Assert(Name(x), None), Assert(Name(x), Const('msg')))"},
    {"return\nreturn 1\nreturn 1, 2",
     "Module(Return(), Return(Const(1)), Return(Tuple([Const(1), Const(2)])))"},
    {"x += 1; x -= 1; x *= 1; x /= 1; x //= 1; x %= 1; x **= 1\nx >>= 1; x <<= 1; x &= 1; x ^= 1; x |= 1; x @= 1",
     "Module(AugAssign(Name(x, Store), Add, Const(1)), AugAssign(Name(x, Store), Sub, Const(1)), AugAssign(Name(x, Store), Mult, Const(1)), AugAssign(Name(x, Store), Div, Const(1)), AugAssign(Name(x, Store), FloorDiv, Const(1)), AugAssign(Name(x, Store), Mod, Const(1)), AugAssign(Name(x, Store), Pow, Const(1)), AugAssign(Name(x, Store), RShift, Const(1)), AugAssign(Name(x, Store), LShift, Const(1)), AugAssign(Name(x, Store), BitAnd, Const(1)), AugAssign(Name(x, Store), BitXor, Const(1)), AugAssign(Name(x, Store), BitOr, Const(1)), AugAssign(Name(x, Store), MatMult, Const(1)))"},
    {"a.b += 1\na[0] **= 2",
     "Module(AugAssign(Attribute(Name(a), b, Store), Add, Const(1)), AugAssign(Subscript(Name(a), Const(0), Store), Pow, Const(2)))"},
    {"def f(a, b=1, /, c=2, *, d): pass",
     "Module(FunctionDef(f, arguments([a, b, /, c], [Const(1), Const(2)], None, [d], [None], None), [Pass], []))"},
    {"lambda x, /: x",
     "Module(Expr(Lambda(arguments([x, /], [], None, [], [], None), Name(x))))"},
    {"x: int = 0",
     "Module(AnnAssign(Name(x, Store), Name(int), Const(0), 1))"},
    {"(x): 'y'\na.b: c[d]",
     "Module(AnnAssign(Name(x, Store), Const('y'), None, 0), AnnAssign(Attribute(Name(a), b, Store), Subscript(Name(c), Name(d)), None, 0))"},
    {"a, *b = c",
     "Module(Assign([Tuple([Name(a, Store), Starred(Name(b, Store), Store)], Store)], Name(c)))"},
    {"[a, b] = c",
     "Module(Assign([List([Name(a, Store), Name(b, Store)], Store)], Name(c)))"},
    {"a[1:2] = b = c.d = e",
     "Module(Assign([Subscript(Name(a), Slice(Const(1), Const(2), None), Store), Name(b, Store), Attribute(Name(c), d, Store)], Name(e)))"},
    {"print(*a, sep=\"\")",
     "Module(Expr(Call(Name(print), [Starred(Name(a))], [sep=Const('')])))"},
    {"\"\"\"docstring\"\"\"",
     "Module(Expr(Const('docstring')))"},
    {"x = (\n  1 +\n  2\n)",
     "Module(Assign([Name(x, Store)], BinOp(Const(1), Add, Const(2))))"},
    {"x = 1 + \\\n  2",
     "Module(Assign([Name(x, Store)], BinOp(Const(1), Add, Const(2))))"},
    {"if x:\n\n    # comment\n    y = 1\n\n  # odd comment\n    z = 2\n",
     "Module(If(Name(x), [Assign([Name(y, Store)], Const(1)), Assign([Name(z, Store)], Const(2))], []))"},
    {"if x:\n\ty = 1\n\tif y:\n\t\tz = 2\nw = 3",
     "Module(If(Name(x), [Assign([Name(y, Store)], Const(1)), If(Name(y), [Assign([Name(z, Store)], Const(2))], [])], []), Assign([Name(w, Store)], Const(3)))"},
    {"x = 1  # trailing comment",
     "Module(Assign([Name(x, Store)], Const(1)))"},
    {"\xc3\xa9 = 1\nna\xc3\xafve = \xc3\xa9",
     "Module(Assign([Name(\xc3\xa9, Store)], Const(1)), Assign([Name(na\xc3\xafve, Store)], Name(\xc3\xa9)))"},
    {"x = [1,\n     2,\n]",
     "Module(Assign([Name(x, Store)], List([Const(1), Const(2)])))"},
    {"x = a if b else lambda: c",
     "Module(Assign([Name(x, Store)], IfExp(Name(b), Name(a), Lambda(arguments([], [], None, [], [], None), Name(c)))))"},
    {"x = [lambda y: y for y in z]",
     "Module(Assign([Name(x, Store)], ListComp(Lambda(arguments([y], [], None, [], [], None), Name(y)), [comprehension(Name(y, Store), Name(z), [])])))"},
    {"x = {**a}",
     "Module(Assign([Name(x, Store)], Dict([None], [Name(a)])))"},
    {"x = not not a",
     "Module(Assign([Name(x, Store)], UnaryOp(Not, UnaryOp(Not, Name(a)))))"},
    {"x = -(-a)",
     "Module(Assign([Name(x, Store)], UnaryOp(USub, UnaryOp(USub, Name(a)))))"},
    {"x = \"abc\".upper()",
     "Module(Assign([Name(x, Store)], Call(Attribute(Const('abc'), upper), [], [])))"},
    {"while 1: break",
     "Module(While(Const(1), [Break], []))"},
    {"if (a): pass",
     "Module(If(Name(a), [Pass], []))"},
    {"x = a[b][c](d).e",
     "Module(Assign([Name(x, Store)], Attribute(Call(Subscript(Subscript(Name(a), Name(b)), Name(c)), [Name(d)], []), e)))"},
    {"def f():\n    def g():\n        nonlocal x\n        x = 1\n    return g",
     "Module(FunctionDef(f, arguments([], [], None, [], [], None), [FunctionDef(g, arguments([], [], None, [], [], None), [Nonlocal(x), Assign([Name(x, Store)], Const(1))], []), Return(Name(g))], []))"},
    {"if a:\n    if b:\n        pass\n    else:\n        pass\nelif c:\n    pass",
     "Module(If(Name(a), [If(Name(b), [Pass], [Pass])], [If(Name(c), [Pass], [])]))"},
    {"if (n := len(a)) > 5: pass",
     "Module(If(Compare(NamedExpr(Name(n, Store), Call(Name(len), [Name(a)], [])), [Gt], [Const(5)]), [Pass], []))"},
    {"f(x := 1, y)",
     "Module(Expr(Call(Name(f), [NamedExpr(Name(x, Store), Const(1)), Name(y)], [])))"},
    {"while chunk := read(): pass",
     "Module(While(NamedExpr(Name(chunk, Store), Call(Name(read), [], [])), [Pass], []))"},
    {"a, *b = c",
     "Module(Assign([Tuple([Name(a, Store), Starred(Name(b, Store), Store)], Store)], Name(c)))"},
};

static const struct { const char *name, *src, *tree; } seed_cases[] = {
    {"counter",
     "class Counter:\n    def __init__(self):\n        self.count = 0\n\n    def increase(self, n):\n        for _ in range(n):\n            self.count += 1\n\ncounter = Counter()\nn_increase = 100000\nn_threads = 5\nthreads = []\nfor i in range(n_threads):\n    t = threading.Thread(target=counter.increase, args=(n_increase, ))\n    threads.append(t)\n\nfor t in threads:\n    t.start()\n\nfor t in threads:\n    t.join()\n\nprint(counter.count)\n",
     "Module(ClassDef(Counter, [], [], [FunctionDef(__init__, arguments([self], [], None, [], [], None), [Assign([Attribute(Name(self), count, Store)], Const(0))], []), FunctionDef(increase, arguments([self, n], [], None, [], [], None), [For(Name(_, Store), Call(Name(range), [Name(n)], []), [AugAssign(Attribute(Name(self), count, Store), Add, Const(1))], [])], [])], []), Assign([Name(counter, Store)], Call(Name(Counter), [], [])), Assign([Name(n_increase, Store)], Const(100000)), Assign([Name(n_threads, Store)], Const(5)), Assign([Name(threads, Store)], List([])), For(Name(i, Store), Call(Name(range), [Name(n_threads)], []), [Assign([Name(t, Store)], Call(Attribute(Name(threading), Thread), [], [target=Attribute(Name(counter), increase), args=Tuple([Name(n_increase)])])), Expr(Call(Attribute(Name(threads), append), [Name(t)], []))], []), For(Name(t, Store), Name(threads), [Expr(Call(Attribute(Name(t), start), [], []))], []), For(Name(t, Store), Name(threads), [Expr(Call(Attribute(Name(t), join), [], []))], []), Expr(Call(Name(print), [Attribute(Name(counter), count)], [])))"},
    {"counter2",
     "class Counter2:\n    def __init__(self):\n        self.count = 0\n        self.lock = threading.Lock()\n\n    def increase(self, n):\n        for _ in range(n):\n            self.lock.acquire()\n            self.count += 1\n            self.lock.release()\n",
     "Module(ClassDef(Counter2, [], [], [FunctionDef(__init__, arguments([self], [], None, [], [], None), [Assign([Attribute(Name(self), count, Store)], Const(0)), Assign([Attribute(Name(self), lock, Store)], Call(Attribute(Name(threading), Lock), [], []))], []), FunctionDef(increase, arguments([self, n], [], None, [], [], None), [For(Name(_, Store), Call(Name(range), [Name(n)], []), [Expr(Call(Attribute(Attribute(Name(self), lock), acquire), [], [])), AugAssign(Attribute(Name(self), count, Store), Add, Const(1)), Expr(Call(Attribute(Attribute(Name(self), lock), release), [], []))], [])], [])], []))"},
    {"countdown",
     "def countdown(count):\n    while count > 0:\n        count -= 1\n        time.sleep(5)\n\nt1 = threading.Thread(target=countdown, args=(10,))\nt1.start()\n",
     "Module(FunctionDef(countdown, arguments([count], [], None, [], [], None), [While(Compare(Name(count), [Gt], [Const(0)]), [AugAssign(Name(count, Store), Sub, Const(1)), Expr(Call(Attribute(Name(time), sleep), [Const(5)], []))], [])], []), Assign([Name(t1, Store)], Call(Attribute(Name(threading), Thread), [], [target=Name(countdown), args=Tuple([Const(10)])])), Expr(Call(Attribute(Name(t1), start), [], [])))"},
    {"refcount",
     "import sys\n\ndef foo():\n    a = []\n    b = a\n    print(sys.getrefcount(a))\n\n    del b\n    print(sys.getrefcount(a))\n\nfoo()\n",
     "Module(Import(sys), FunctionDef(foo, arguments([], [], None, [], [], None), [Assign([Name(a, Store)], List([])), Assign([Name(b, Store)], Name(a)), Expr(Call(Name(print), [Call(Attribute(Name(sys), getrefcount), [Name(a)], [])], [])), Delete([Name(b, Del)]), Expr(Call(Name(print), [Call(Attribute(Name(sys), getrefcount), [Name(a)], [])], []))], []), Expr(Call(Name(foo), [], [])))"},
    {"cycle",
     "def foo():\n    x = []\n    x.append(x)\n    print(sys.getrefcount(x))\n    del x\n",
     "Module(FunctionDef(foo, arguments([], [], None, [], [], None), [Assign([Name(x, Store)], List([])), Expr(Call(Attribute(Name(x), append), [Name(x)], [])), Expr(Call(Name(print), [Call(Attribute(Name(sys), getrefcount), [Name(x)], [])], [])), Delete([Name(x, Del)])], []))"},
    {"multiply",
     "def foo(x, y):\n    return x * y + 17\n",
     "Module(FunctionDef(foo, arguments([x, y], [], None, [], [], None), [Return(BinOp(BinOp(Name(x), Mult, Name(y)), Add, Const(17)))], []))"},
};

static const struct { const char *src, *msg; int line, col; bool indentation; } error_cases[] = {
    {"if x\n    pass",
     "expected ':'", 1, 5, false},
    {"if x  # comment\n    pass",
     "expected ':'", 1, 7, false},
    {"while x\n    pass",
     "expected ':'", 1, 8, false},
    {"for x in y\n    pass",
     "expected ':'", 1, 11, false},
    {"def f() pass",
     "expected ':'", 1, 9, false},
    {"def f:\n    pass",
     "expected '('", 1, 6, false},
    {"class A\n    pass",
     "expected ':'", 1, 8, false},
    {"try\n    pass\nexcept:\n    pass",
     "expected ':'", 1, 4, false},
    {"if a:\n    b\nelse\n    c",
     "expected ':'", 3, 5, false},
    {"if x:\npass",
     "expected an indented block after 'if' statement on line 1", 2, 1, true},
    {"if x:",
     "expected an indented block after 'if' statement on line 1", 1, 6, true},
    {"def f():\n\n",
     "expected an indented block after function definition on line 1", 2, 1, true},
    {"class A:\n    def m(self):\n    pass",
     "expected an indented block after function definition on line 2", 3, 5, true},
    {"try:\n    pass\nexcept ValueError:",
     "expected an indented block after 'except' statement on line 3", 3, 19, true},
    {"try:\n    pass\nx = 1",
     "expected 'except' or 'finally' block", 3, 1, false},
    {"  x = 1",
     "unexpected indent", 1, 2, true},
    {"if x:\n        a\n    b",
     "unindent does not match any outer indentation level", 3, 6, true},
    {"if x:\n\tpass\n        pass\n",
     "inconsistent use of tabs and spaces in indentation", 3, 1, true},
    {"x = (1 +",
     "'(' was never closed", 1, 5, false},
    {"foo(1,\nx = 2",
     "'(' was never closed", 1, 4, false},
    {"print(1\nx = 2\n",
     "'(' was never closed", 1, 6, false},
    {"x = [1, 2",
     "'[' was never closed", 1, 5, false},
    {"x = 1)",
     "unmatched ')'", 1, 6, false},
    {"x = [1, 2)",
     "closing parenthesis ')' does not match opening parenthesis '['", 1, 10, false},
    {"x = (1,\n2]",
     "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 2, false},
    {"x = 1 + \\",
     "unexpected EOF while parsing", 1, 10, false},
    {"x = 1 \\ 2",
     "unexpected character after line continuation character", 1, 8, false},
    {"x = ",
     "invalid syntax", 1, 5, false},
    {"a b",
     "invalid syntax", 1, 3, false},
    {"f(a b)",
     "invalid syntax. Perhaps you forgot a comma?", 1, 3, false},
    {"x = [1, 2 3]",
     "invalid syntax. Perhaps you forgot a comma?", 1, 9, false},
    {"f() = 1",
     "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1, false},
    {"x = f() = 1",
     "cannot assign to function call", 1, 5, false},
    {"a, f() = 1",
     "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 4, false},
    {"(a, f()) = 1",
     "cannot assign to function call", 1, 5, false},
    {"1 = x",
     "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1, false},
    {"None = 1",
     "cannot assign to None", 1, 1, false},
    {"f() += 1",
     "'function call' is an illegal expression for augmented assignment", 1, 1, false},
    {"del f()",
     "cannot delete function call", 1, 5, false},
    {"del 1",
     "cannot delete literal", 1, 5, false},
    {"for f() in x: pass",
     "cannot assign to function call", 1, 5, false},
    {"with a as f(): pass",
     "cannot assign to function call", 1, 11, false},
    {"[x for f() in y]",
     "cannot assign to function call", 1, 8, false},
    {"if x = 1:\n    pass",
     "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4, false},
    {"if f() = 1:\n    pass",
     "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 4, false},
    {"\"abc",
     "unterminated string literal (detected at line 1)", 1, 1, false},
    {"x = 'abc\ny = 1",
     "unterminated string literal (detected at line 1)", 1, 5, false},
    {"x = \"\"\"abc\ndef",
     "unterminated triple-quoted string literal (detected at line 2)", 1, 5, false},
    {"x = \"\\x4\"",
     "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", 1, 10, false},
    {"x = \"\\U00110000\"",
     "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character", 1, 17, false},
    {"x = 1_",
     "invalid decimal literal", 1, 6, false},
    {"x = 0x",
     "invalid hexadecimal literal", 1, 6, false},
    {"x = 09",
     "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5, false},
    {"x = 0b102",
     "invalid digit '2' in binary literal", 1, 9, false},
    {"x = 1abc",
     "invalid decimal literal", 1, 5, false},
    {"x = 1e",
     "invalid decimal literal", 1, 5, false},
    {"x \xe2\x82\xac 1",
     "invalid character '\xe2\x82\xac' (U+20AC)", 1, 3, false},
    {"x\xc2\xa0= 1",
     "invalid non-printable character U+00A0", 1, 2, false},
    {"x = $",
     "invalid syntax", 1, 5, false},
    {"def f(a, b=1, c):\n    pass",
     "non-default argument follows default argument", 1, 15, false},
    {"def f(*):\n    pass",
     "named arguments must follow bare *", 1, 7, false},
    {"def f(**k, a):\n    pass",
     "arguments cannot follow var-keyword argument", 1, 12, false},
    {"def f(a=):\n    pass",
     "expected default value expression", 1, 8, false},
    {"f(a=1, 2)",
     "positional argument follows keyword argument", 1, 9, false},
    {"f(**a, *b)",
     "iterable argument unpacking follows keyword argument unpacking", 1, 8, false},
    {"f(1=2)",
     "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3, false},
    {"x = 1 if 2",
     "expected 'else' after 'if' expression", 1, 5, false},
    {"from a import b,",
     "trailing comma not allowed without surrounding parentheses", 1, 17, false},
    {"x = {1: 2, 3}",
     "':' expected after dictionary key", 1, 12, false},
    {"x = {1:}",
     "expression expected after dictionary key and ':'", 1, 7, false},
    {"print \"hello\"",
     "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1, false},
    {"f\"{x\"",
     "f-string: expecting '}'", 1, 6, false},
    {"f\"{}\"",
     "f-string: empty expression not allowed", 1, 6, false},
    {"f\"}\"",
     "f-string: single '}' is not allowed", 1, 5, false},
    {"f\"{x!z}\"",
     "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 9, false},
    {"f\"{a#}\"",
     "f-string expression part cannot include '#'", 1, 8, false},
    {"f\"{x:{y:{z}}}\"",
     "f-string: expressions nested too deeply", 1, 15, false},
    {"else:\n    pass",
     "invalid syntax", 1, 1, false},
    {"x = 1;; y = 2",
     "invalid syntax", 1, 7, false},
    {"@dec\nx = 1",
     "invalid syntax", 2, 1, false},
    {"lambda *: 1",
     "named arguments must follow bare *", 1, 9, false},
    {"x = a.1",
     "invalid syntax", 1, 6, false},
    {"s = \"h\xc3\xa9llo\" 1",
     "invalid syntax", 1, 13, false},
    {"x = '\xc3\xa9\xc3\xa9' + )",
     "unmatched ')'", 1, 12, false},
    {"return )",
     "unmatched ')'", 1, 8, false},
    {"import threading\n\nclass CustomThread(threading.Thread):\n    def __init__(self, **kwargs):\n        threading.Thread.__init__(self)\n        self.param = kwargs.get('foo')\n\n    def run(self):\n        # This code executes in the Thread\n",
     "expected an indented block after function definition on line 8", 9, 43, true},
    {"x = 1j",
     "gilscope does not support complex numbers", 1, 5, false},
    {"x = b\"abc\"",
     "gilscope does not support bytes literals", 1, 5, false},
    {"x = {*a for a in b}",
     "iterable unpacking cannot be used in comprehension", 1, 6, false},
    {"del {1}",
     "cannot delete set display", 1, 5, false},
    {"f(a for a in b, 1)",
     "Generator expression must be parenthesized", 1, 3, false},
    {"def g():\n    yield x = 1",
     "assignment to yield expression not possible", 2, 5, false},
    {"def g():\n    yield from",
     "invalid syntax", 2, 15, false},
    {"x := 1",
     "invalid syntax", 1, 3, false},
    {"(a.b := 1)",
     "cannot use assignment expressions with attribute", 1, 2, false},
    {"x = y := 1",
     "invalid syntax", 1, 7, false},
    {"a[b := 1]",
     "invalid syntax", 1, 5, false},
    {"{a := 1: 2}",
     "invalid syntax", 1, 8, false},
    {"(x := *y)",
     "invalid syntax", 1, 7, false},
    {"a, b: int",
     "only single target (not tuple) can be annotated", 1, 1, false},
    {"[a]: int",
     "only single target (not list) can be annotated", 1, 1, false},
    {"f(): int = 1",
     "illegal target for annotation", 1, 1, false},
    {"*a: int",
     "invalid syntax", 1, 3, false},
    {"x: int, = 1",
     "invalid syntax", 1, 7, false},
    {"def f(/, a): pass",
     "at least one argument must precede /", 1, 7, false},
    {"def f(a, /, b, /): pass",
     "/ may appear only once", 1, 16, false},
    {"def f(*, a, /): pass",
     "/ must be ahead of *", 1, 13, false},
    {"def f(*a, /): pass",
     "/ must be ahead of *", 1, 11, false},
    {"def f(a=1, /, b): pass",
     "non-default argument follows default argument", 1, 15, false},
    {"def f(a, /=1): pass",
     "invalid syntax", 1, 10, false},
    {"def f(a, / b): pass",
     "invalid syntax", 1, 12, false},
    {"lambda /: 1",
     "invalid syntax", 1, 8, false},
    {"async x = 1",
     "invalid syntax", 1, 7, false},
    {"async def f():\n    await",
     "invalid syntax", 2, 10, false},
    {"match x:\n    case 1: pass",
     "gilscope does not support match statements", 1, 1, false},
    {"x = \"\\N{DASH}\"",
     "gilscope does not support \\N{...} escapes", 1, 15, false},
    {"x = \"\\ud800\"",
     "gilscope does not support lone surrogates (\\uD800) in strings", 1, 13, false},
    {"try:\n    pass\nexcept* E:\n    pass",
     "gilscope does not support except* (exception groups)", 3, 7, false},
};

static const struct { const char *src, *tree; } position_cases[] = {
    {"x = (a + b) * c",
     "Module({1,0,1,15}Assign([{1,0,1,1}Name(x, Store)], {1,4,1,15}BinOp({1,5,1,10}BinOp({1,5,1,6}Name(a), Add, {1,9,1,10}Name(b)), Mult, {1,14,1,15}Name(c))))"},
    {"if a < b:\n    f(x, *y, k=1)\nelse:\n    pass",
     "Module({1,0,4,8}If({1,3,1,8}Compare({1,3,1,4}Name(a), [Lt], [{1,7,1,8}Name(b)]), [{2,4,2,17}Expr({2,4,2,17}Call({2,4,2,5}Name(f), [{2,6,2,7}Name(x), {2,9,2,11}Starred({2,10,2,11}Name(y))], [{2,13}k={2,15,2,16}Const(1)]))], [{4,4,4,8}Pass]))"},
    {"s = f\"{a + b!r:>{width}} and {c.d}\"",
     "Module({1,0,1,35}Assign([{1,0,1,1}Name(s, Store)], {1,4,1,35}JoinedStr([FormattedValue({1,7,1,12}BinOp({1,7,1,8}Name(a), Add, {1,11,1,12}Name(b)), 114, JoinedStr([Const('>'), FormattedValue({1,17,1,22}Name(width), -1, None)])), Const(' and '), FormattedValue({1,30,1,33}Attribute({1,30,1,31}Name(c), d), -1, None)])))"},
    {"x = [i\n     for i in y]  # comment",
     "Module({1,0,2,16}Assign([{1,0,1,1}Name(x, Store)], {1,4,2,16}ListComp({1,5,1,6}Name(i), [comprehension({2,9,2,10}Name(i, Store), {2,14,2,15}Name(y), [])])))"},
    {"caf\xc3\xa9 = \"\xc3\xa9\" + z",
     "Module({1,0,1,16}Assign([{1,0,1,5}Name(caf\xc3\xa9, Store)], {1,8,1,16}BinOp({1,8,1,12}Const('\\xc3\\xa9'), Add, {1,15,1,16}Name(z))))"},
    {"def f(a, b=1):\n    return a[1:2, ::3]",
     "Module({1,0,2,22}FunctionDef(f, arguments([a{1,6}, b{1,9}], [{1,11,1,12}Const(1)], None, [], [], None), [{2,4,2,22}Return({2,11,2,22}Subscript({2,11,2,12}Name(a), {2,13,2,21}Tuple([{2,13,2,16}Slice({2,13,2,14}Const(1), {2,15,2,16}Const(2), None), {2,18,2,21}Slice(None, None, {2,20,2,21}Const(3))])))], []))"},
    {"try:\n    pass\nexcept E as e:\n    raise X from e",
     "Module({1,0,4,18}Try([{2,4,2,8}Pass], [{3,0}ExceptHandler({3,7,3,8}Name(E), e, [{4,4,4,18}Raise({4,10,4,11}Name(X), {4,17,4,18}Name(e))])], [], []))"},
};

/* ------------------------------------------------------------------------
 * The tests
 * ------------------------------------------------------------------------ */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A test name: the source on one line, shortened, with TAP's '#' escaped. */
static const char *name_of(const char *src)
{
    static char buf[90];
    size_t n = 0;
    for (; *src && n < sizeof buf - 8; src++) {
        if (*src == '\n' || *src == '#' || *src == '\t') {
            buf[n++] = '\\';
            buf[n++] = *src == '\n' ? 'n' : *src == '\t' ? 't' : '#';
        } else {
            buf[n++] = *src;
        }
    }
    strcpy(buf + n, *src ? "..." : "");
    return buf;
}

static void test_valid(void)
{
    for (size_t i = 0; i < COUNT(valid_cases); i++) {
        char *got = parse_and_dump(valid_cases[i].src, strlen(valid_cases[i].src), false);
        TAP_STR_EQ(got, valid_cases[i].tree, "tree: %s", name_of(valid_cases[i].src));
        free(got);
    }
}

static void test_seeds(void)
{
    for (size_t i = 0; i < COUNT(seed_cases); i++) {
        char *got = parse_and_dump(seed_cases[i].src, strlen(seed_cases[i].src), false);
        TAP_STR_EQ(got, seed_cases[i].tree, "seed program: %s", seed_cases[i].name);
        free(got);
    }
}

static void test_positions(void)
{
    for (size_t i = 0; i < COUNT(position_cases); i++) {
        char *got = parse_and_dump(position_cases[i].src, strlen(position_cases[i].src), true);
        TAP_STR_EQ(got, position_cases[i].tree, "positions: %s", name_of(position_cases[i].src));
        free(got);
    }
}

static void test_errors(void)
{
    for (size_t i = 0; i < COUNT(error_cases); i++) {
        char got[400], want[400];
        GsArena *arena = gs_arena_new();
        GsSyntaxError err;
        GsModuleAst *m = gs_parse(arena, error_cases[i].src, strlen(error_cases[i].src), &err);
        snprintf(got, sizeof got, "%s%s (%d:%d)", m ? "no error " : "",
                 err.is_indentation ? "IndentationError: " : "", err.lineno, err.col);
        snprintf(got + strlen(got), sizeof got - strlen(got), " %s", m ? "" : err.msg);
        snprintf(want, sizeof want, "%s (%d:%d) %s",
                 error_cases[i].indentation ? "IndentationError: " : "",
                 error_cases[i].line, error_cases[i].col, error_cases[i].msg);
        TAP_STR_EQ(got, want, "error: %s", name_of(error_cases[i].src));
        gs_arena_free(arena);
    }
}

/* The lexer on its own: kinds of the tokens of `src`, space-separated. */
static char *token_kinds(const char *src)
{
    GsLexer lx;
    GsToken t;
    Dump d = {0};
    gs_lexer_init(&lx, src, strlen(src));
    do {
        gs_lexer_next(&lx, &t);
        put(&d, "%s%s", d.len ? " " : "", gs_token_text(t.kind));
    } while (t.kind != GS_TOK_ENDMARKER && t.kind != GS_TOK_ERROR);
    return d.s;
}

static void test_tokens(void)
{
    char *kinds = token_kinds("if x:\n    y = 1  # one\n\n        # blank lines do not count\nz\n");
    char out[64], msg[128];
    const char *escapes = "a\\x41\\n\\u00e9\\101\\q";
    GsLexer lx;
    GsToken t;
    long n;
    TAP_STR_EQ(kinds, "if name : newline indent name = number newline unindent name newline "
                      "end of file", "INDENT/DEDENT around a block; comments and blank lines skipped");
    free(kinds);
    kinds = token_kinds("f(a,\n  b) \\\n + c ** -d // e");
    TAP_STR_EQ(kinds, "name ( name , name ) + name ** - name // name newline end of file",
               "no NEWLINE inside brackets or after a backslash");
    free(kinds);
    kinds = token_kinds("a **= b >>= c := d -> e ... f != g");
    TAP_STR_EQ(kinds, "name **= name >>= name := name -> name ... name != name newline end of file",
               "longest operator first");
    free(kinds);

    gs_lexer_init(&lx, "0x_FF 10_000 1_0.5e-1", 21);
    gs_lexer_next(&lx, &t);
    TAP_INT_EQ(t.ival, 255, "0x_FF is 255");
    gs_lexer_next(&lx, &t);
    TAP_INT_EQ(t.ival, 10000, "10_000 is 10000");
    gs_lexer_next(&lx, &t);
    TAP_OK(t.is_float && t.fval == 1.05, "1_0.5e-1 is 1.05");

    n = gs_lex_decode(escapes, strlen(escapes), false, out, msg, sizeof msg);
    TAP_OK(n == 8 && memcmp(out, "aA\n\xc3\xa9" "A\\q", 8) == 0, "escapes decode to UTF-8");
    n = gs_lex_decode("a\\x41", 5, true, out, msg, sizeof msg);
    TAP_OK(n == 5 && memcmp(out, "a\\x41", 5) == 0, "raw strings keep backslashes");
}

/* Parse `src`; the tree or the error, as parse_and_dump prints them. */
static char *outcome(const char *src)
{
    return parse_and_dump(src, strlen(src), false);
}

/* n copies of `piece` between `before` and `after`. */
static char *repeat(const char *before, const char *piece, int n, const char *after)
{
    size_t lb = strlen(before), lp = strlen(piece), la = strlen(after);
    char *s = malloc(lb + lp * (size_t)n + la + 1), *q = s;
    memcpy(q, before, lb);
    q += lb;
    for (int i = 0; i < n; i++, q += lp)
        memcpy(q, piece, lp);
    memcpy(q, after, la + 1);
    return s;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Hostile nesting must end in an error, never in a stack overflow. */
static void test_limits(void)
{
    static const struct { const char *before, *piece; int n; const char *after, *want; } cases[] = {
        {"", "(", 10000, "", "error: too many nested parentheses (1:201)"},
        {"x = ", "[", 199, "", "error: '[' was never closed (1:203)"},
        {"x = ", "-", 100000, "1", "error: code nested too deeply"},
        {"x = ", "not ", 100000, "1", "error: code nested too deeply"},
        {"x = ", "lambda: ", 100000, "1", "error: code nested too deeply"},
        {"x = ", "1 if 2 else ", 100000, "1", "error: code nested too deeply"},
        {"x = y", ".y", 100000, "", "error: code nested too deeply"},
        {"x = y", "(y)", 100000, "", "error: code nested too deeply"},
        {"x = y", "[0]", 100000, "", "error: code nested too deeply"},
        {"x = y", " + y", 100000, "", "error: code nested too deeply"},
        {"x = y", " ** y", 100000, "", "error: code nested too deeply"},
        {"if x:\n pass\n", "elif x:\n pass\n", 100000, "", "error: code nested too deeply"},
        {"x = ", "-", 900, "1", "Module("},
        {"x = y", " + y", 900, "", "Module("},
        {"x = y", " and y", 100000, "", "Module("},    /* one flat BoolOp */
        {"x = y", " < y", 100000, "", "Module("},      /* one flat Compare */
        {"x = ", "'a' ", 100000, "", "Module("},       /* one long string */
        {"", "x = 1\n", 100000, "", "Module("},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *src = repeat(cases[i].before, cases[i].piece, cases[i].n, cases[i].after);
        char *got = outcome(src);
        TAP_OK(starts(got, cases[i].want), "%d x \"%s\" -> %s", cases[i].n,
               name_of(cases[i].piece), cases[i].want);
        if (!starts(got, cases[i].want))
            printf("#   got: %.200s\n", got);
        free(got);
        free(src);
    }
}

static void test_deep_but_legal(void)
{
    char *open = repeat("x = ", "[", 199, ""), *src = repeat(open, "]", 199, "");
    char *got = outcome(src), *block;
    TAP_OK(starts(got, "Module(Assign([Name(x, Store)], List([List(["), "199 nested lists parse");
    free(open);
    free(src);
    free(got);

    /* 99 nested blocks are allowed, 100 are not: CPython's limit. */
    for (int depth = 99; depth <= 100; depth++) {
        Dump d = {0};
        for (int i = 0; i < depth; i++)
            put(&d, "%*sif x:\n", i, "");
        put(&d, "%*spass\n", depth, "");
        block = d.s;
        got = outcome(block);
        TAP_OK(starts(got, depth == 99 ? "Module(If(" : "error: too many levels of indentation"),
               "%d nested blocks", depth);
        free(got);
        free(block);
    }

    /* An f-string field counts as one bracket towards the limit of 200. */
    open = repeat("", "(", 190, "f\"{((((((((((x))))))))))}\"");
    src = repeat(open, ")", 190, "");
    got = outcome(src);
    TAP_OK(starts(got, "error: f-string: too many nested parentheses"),
           "brackets inside f-strings count towards the limit");
    free(open);
    free(src);
    free(got);
}

/* Lex all of [src, src+len) from an exact-size copy: a sanitizer build
 * then catches any read past the end. */
static void lex_all(const char *src, size_t len)
{
    char *copy = malloc(len ? len : 1);
    GsLexer lx;
    GsToken t;
    memcpy(copy, src, len);
    gs_lexer_init(&lx, copy, len);
    do
        gs_lexer_next(&lx, &t);
    while (t.kind != GS_TOK_ENDMARKER && t.kind != GS_TOK_ERROR);
    free(copy);
}

/* Parse [src, src+len): it must give a tree or a well-formed error. */
static bool parses_cleanly(const char *src, size_t len, int *trees)
{
    char *copy = malloc(len ? len : 1);
    GsArena *arena = gs_arena_new();
    GsSyntaxError err;
    GsModuleAst *m;
    bool ok;
    memcpy(copy, src, len);
    m = gs_parse(arena, copy, len, &err);
    ok = m != NULL || (err.msg[0] != '\0' && err.lineno >= 1 && err.col >= 0);
    *trees += m != NULL;
    gs_arena_free(arena);
    free(copy);
    lex_all(src, len);
    return ok;
}

/* A fuzz-ish loop: every prefix of a valid program, and the program with
 * each single byte deleted.  Errors are expected; crashes are not. */
static void test_prefixes(void)
{
    Dump prog = {0};
    int trees = 0, bad = 0, bad_deletions = 0;
    char *got, *cut;
    for (size_t i = 0; i < COUNT(seed_cases); i++)
        put(&prog, "%s\n", seed_cases[i].src);
    for (size_t i = 0; i < COUNT(valid_cases); i++)
        put(&prog, "%s\n", valid_cases[i].src);
    got = outcome(prog.s);
    TAP_OK(starts(got, "Module("), "the %zu-byte test program parses", prog.len);
    free(got);
    for (size_t n = 0; n <= prog.len; n++)
        bad += !parses_cleanly(prog.s, n, &trees);
    TAP_OK(bad == 0, "all %zu prefixes give a tree (%d) or a clean error", prog.len + 1, trees);
    cut = malloc(prog.len);
    for (size_t i = 0; i < prog.len; i++) {
        memcpy(cut, prog.s, i);
        memcpy(cut + i, prog.s + i + 1, prog.len - i - 1);
        bad_deletions += !parses_cleanly(cut, prog.len - 1, &trees);
    }
    TAP_OK(bad_deletions == 0, "deleting any one byte gives a tree or a clean error");
    free(cut);
    free(prog.s);
}

int main(void)
{
    test_valid();
    test_seeds();
    test_positions();
    test_errors();
    test_tokens();
    test_limits();
    test_deep_but_legal();
    test_prefixes();
    return tap_done();
}
