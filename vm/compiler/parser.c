/*
 * parser.c -- Python source to the syntax tree of ast.h.
 *
 * A recursive-descent parser: each grammar rule of Python 3.9 (the subset
 * gilscope runs) is one function named after the rule in CPython's
 * Grammar/python.gram.  Expressions are parsed loosest operator first:
 *
 *   expression    lambda, and  a if b else c
 *   disjunction   or
 *   conjunction   and
 *   inversion     not
 *   comparison    == != < <= > >= in, not in, is, is not (a chain is ONE node)
 *   binary        | ^ & << >> + - * / // % @   (one table: binary_ops)
 *   factor        unary - + ~
 *   power         **   right-associative, and tighter than a unary operator
 *                      on its left: -2**2 is -(2**2)
 *   primary       a.b  a(...)  a[...]
 *   atom          names, numbers, strings, (...) [...] {...}
 *
 * Assignment targets are parsed as ordinary expressions and checked after
 * the '=' shows up, because nothing before it tells the expression `a, b`
 * from the target `a, b`.  The check sets ctx to CTX_STORE or CTX_DEL and
 * rejects what cannot be assigned to ("cannot assign to function call").
 *
 * The parser looks at most three tokens ahead, so tokens live in a small
 * ring buffer, not in an array of the whole file.  It does not backtrack,
 * except in two places that say why: parse_grouped_with_items (Python
 * 3.10's `with (a as b, c as d):`) and probe_missing_comma (an error
 * message).
 *
 * Errors.  Python reports one syntax error and stops, so this parser does
 * too: the fail_* functions record the error and longjmp straight back to
 * parse_module.  Nothing leaks, because every node lives in the caller's
 * arena.  Messages and caret columns follow CPython 3.11 (checked against
 * `python3 -c 'import ast; ast.parse(...)'`), quirks included, because a
 * student will compare them with what python3 says.  A feature gilscope
 * leaves out says so: "gilscope does not support 'import *'".
 *
 * Depth.  A guest program must not be able to overflow the host's C
 * stack.  The lexer refuses more than 200 nested brackets, as CPython does;
 * `Parser.depth` counts every other kind of nesting (unary operators,
 * lambdas, conditional expressions, elif chains, long chains like
 * a+b+c+... or a.b.c..., f-string fields) and fails past MAX_DEPTH.  So the
 * parser needs at most about half a megabyte of C stack (2 MB under
 * AddressSanitizer), and the tree it hands to the compiler is never much
 * deeper than MAX_DEPTH levels.
 */
#include "ast.h"
#include "lexer.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The arena
 *
 * Nodes are bump-allocated from big zeroed chunks and all freed together:
 * the compiler drops the whole tree at once, so there is no reason to pay
 * for a malloc/free per node.
 * ------------------------------------------------------------------------ */

#define ARENA_CHUNK_BYTES (32 * 1024)

typedef struct GsArenaChunk {
    struct GsArenaChunk *next;
    size_t used, size;
    max_align_t data[];          /* max_align_t: every node type is aligned */
} GsArenaChunk;

struct GsArena {
    GsArenaChunk *chunks;        /* the one being filled comes first */
};

static _Noreturn void out_of_memory(void)
{
    fputs("gilscope: out of memory while parsing\n", stderr);
    abort();
}

static GsArenaChunk *chunk_new(size_t size)
{
    GsArenaChunk *c = calloc(1, sizeof *c + size);
    if (!c)
        out_of_memory();
    c->size = size;
    return c;
}

GsArena *gs_arena_new(void)
{
    GsArena *a = calloc(1, sizeof *a);
    if (!a)
        out_of_memory();
    return a;
}

void *gs_arena_alloc(GsArena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    GsArenaChunk *c = a->chunks;
    size_t need;
    void *ptr;
    if (n > SIZE_MAX / 2)
        out_of_memory();
    need = n == 0 ? align : (n + align - 1) / align * align;
    if (need > ARENA_CHUNK_BYTES / 4) {
        /* A big block gets a chunk of its own, linked behind the current
         * one so that the current chunk's free space is not lost. */
        GsArenaChunk *big = chunk_new(need);
        big->used = need;
        big->next = c ? c->next : NULL;
        if (c)
            c->next = big;
        else
            a->chunks = big;
        return big->data;
    }
    if (!c || c->size - c->used < need) {
        c = chunk_new(ARENA_CHUNK_BYTES);
        c->next = a->chunks;
        a->chunks = c;
    }
    ptr = (unsigned char *)c->data + c->used;
    c->used += need;
    return ptr;
}

char *gs_arena_strndup(GsArena *a, const char *s, size_t n)
{
    char *copy = gs_arena_alloc(a, n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

void gs_ast_set_int(GsArena *a, GsExpr *e, mpz_srcptr z)
{
    e->kind = E_CONST;
    e->v.constant.kind = C_INT;
    e->v.constant.s = NULL;
    if (mpz_fits_slong_p(z)) {
        e->v.constant.i = mpz_get_si(z);
        return;
    }
    size_t n = mpz_sizeinbase(z, 16) + 2;   /* sign and NUL */
    char *text = gs_arena_alloc(a, n);
    mpz_get_str(text, 16, z);
    e->v.constant.s = text;
    e->v.constant.n = strlen(text);
    e->v.constant.i = mpz_sgn(z) < 0 ? INT64_MIN : INT64_MAX;
}

void gs_arena_free(GsArena *a)
{
    GsArenaChunk *c, *next;
    if (!a)
        return;
    for (c = a->chunks; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void gs_list_push(GsArena *a, GsNodeList *l, void *node)
{
    if (l->len == l->cap) {
        int cap;
        void **items;
        if (l->cap > INT_MAX / 2)
            out_of_memory();
        cap = l->cap ? l->cap * 2 : 4;
        items = gs_arena_alloc(a, (size_t)cap * sizeof *items);
        if (l->len)
            memcpy(items, l->items, (size_t)l->len * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = node;
}

/* ------------------------------------------------------------------------
 * Parser state and token access
 * ------------------------------------------------------------------------ */

#define LOOKAHEAD 4              /* ring size; the parser peeks <= 3 ahead */
#define MAX_DEPTH 1000

/* A source of tokens: the file, or one f-string replacement field. */
typedef struct {
    GsLexer lx;
    GsToken ring[LOOKAHEAD];     /* fetched but not yet consumed */
    int head, count;
    GsToken last;                /* last consumed token other than
                                    NEWLINE/INDENT/DEDENT: nodes end there */
    int far_line;                /* line of the furthest token fetched */
} TokenStream;

typedef struct {
    GsArena *arena;
    TokenStream *ts;             /* where tokens come from right now */
    TokenStream file;            /* the file's own tokens */
    jmp_buf *bail;               /* errors longjmp there (parse_module) */
    GsSyntaxError *err;
    bool err_from_lexer;         /* the file's lexer found the error */
    bool no_rescan;              /* see rescan_for_lexer_errors */
    bool with_as_seen;           /* see parse_grouped_with_items */
    int depth;                   /* see "Depth" at the top */
    int fstring_depth;           /* > 0 inside an f-string field */
    /* The disjunction (an expression without lambda and if-else) parsed
     * last, and its first byte: probe_missing_comma needs them. */
    const GsExpr *last_disj;
    const char *last_disj_text;
    const TokenStream *last_disj_ts;
} Parser;

typedef struct { int lineno, col; } Pos;

/* The grammar is recursive, so some functions are used before they are
 * defined. */
static bool starts_expression(GsTokKind k);
static GsExpr *parse_expression(Parser *p);
static GsExpr *parse_named_expression(Parser *p);
static GsExpr *parse_star_expressions(Parser *p, bool *bare_tuple);
static GsExpr *parse_disjunction(Parser *p);
static GsExpr *parse_bitwise_or(Parser *p);
static GsExpr *parse_factor(Parser *p);
static GsExpr *parse_strings(Parser *p);
static GsExpr *parse_walrus(Parser *p, GsExpr *e);
static GsArguments *parse_parameters(Parser *p, GsTokKind closer, bool annotations);
static void parse_statement(Parser *p, GsNodeList *body);

/* Record the error and jump back to parse_module: nothing after an error
 * is worth parsing.  `col1` is the 1-based byte column of the caret. */
static _Noreturn void fail_msg(Parser *p, int lineno, int col1, bool indentation,
                               const char *msg)
{
    memset(p->err, 0, sizeof *p->err);
    /* CPython parses an f-string's fields separately and prefixes what goes
     * wrong there, so that "invalid syntax" points at the f-string. */
    if (p->fstring_depth > 0 && strncmp(msg, "f-string", 8) != 0)
        snprintf(p->err->msg, sizeof p->err->msg, "f-string: %.245s", msg);
    else
        snprintf(p->err->msg, sizeof p->err->msg, "%s", msg);
    p->err->lineno = lineno;
    p->err->col = col1;
    p->err->is_indentation = indentation;
    p->err_from_lexer = false;
    longjmp(*p->bail, 1);
}

/* Format a printf-style message into `buf` (an array). */
#define FORMAT_MESSAGE(buf, fmt)                \
    do {                                        \
        va_list ap;                             \
        va_start(ap, fmt);                      \
        vsnprintf(buf, sizeof buf, fmt, ap);    \
        va_end(ap);                             \
    } while (0)

static _Noreturn void fail_pos(Parser *p, Pos at, const char *fmt, ...)
{
    char msg[sizeof p->err->msg];
    FORMAT_MESSAGE(msg, fmt);
    fail_msg(p, at.lineno, at.col + 1, false, msg);
}

/*
 * CPython puts the caret at the start of a token, except for INDENT,
 * DEDENT and ENDMARKER, which it places one column to the left (they have
 * no text of their own; the lexer already stored that column).
 */
static int caret_col(const GsToken *t)
{
    bool textless = t->kind == GS_TOK_INDENT || t->kind == GS_TOK_DEDENT ||
                    t->kind == GS_TOK_ENDMARKER;
    return textless ? t->col : t->col + 1;
}

static _Noreturn void fail_at(Parser *p, const GsToken *t, const char *fmt, ...)
{
    char msg[sizeof p->err->msg];
    FORMAT_MESSAGE(msg, fmt);
    fail_msg(p, t->lineno, caret_col(t), false, msg);
}

static _Noreturn void fail_indentation(Parser *p, const GsToken *t, const char *fmt, ...)
{
    char msg[sizeof p->err->msg];
    FORMAT_MESSAGE(msg, fmt);
    fail_msg(p, t->lineno, caret_col(t), true, msg);
}

static _Noreturn void fail_at_expr(Parser *p, const GsExpr *e, const char *fmt, ...)
{
    char msg[sizeof p->err->msg];
    FORMAT_MESSAGE(msg, fmt);
    fail_msg(p, e->lineno, e->col + 1, false, msg);
}

static _Noreturn void lexer_failed(Parser *p)
{
    char msg[sizeof p->err->msg];
    *p->err = p->ts->lx.err;
    if (p->fstring_depth > 0) {
        memcpy(msg, p->err->msg, sizeof msg);
        snprintf(p->err->msg, sizeof p->err->msg, "f-string: %.245s", msg);
    }
    p->err_from_lexer = p->ts == &p->file;
    longjmp(*p->bail, 1);
}

/* The token n places ahead (0: the current one), fetched on demand. */
static const GsToken *peek_at(Parser *p, int n)
{
    TokenStream *ts = p->ts;
    while (ts->count <= n) {
        GsToken *t = &ts->ring[(ts->head + ts->count) % LOOKAHEAD];
        if (gs_lexer_next(&ts->lx, t) == GS_TOK_ERROR)
            lexer_failed(p);
        ts->count++;
        if (t->lineno > ts->far_line)
            ts->far_line = t->lineno;
    }
    return &ts->ring[(ts->head + n) % LOOKAHEAD];
}

static const GsToken *peek(Parser *p) { return peek_at(p, 0); }
static GsTokKind kind(Parser *p) { return peek(p)->kind; }
static bool at(Parser *p, GsTokKind k) { return kind(p) == k; }
static Pos pos_of(const GsToken *t) { return (Pos){t->lineno, t->col}; }
static Pos here(Parser *p) { return pos_of(peek(p)); }

/* Consume the current token.  Returned by value: its ring slot is reused. */
static GsToken advance(Parser *p)
{
    TokenStream *ts = p->ts;
    GsToken t = *peek(p);
    ts->head = (ts->head + 1) % LOOKAHEAD;
    ts->count--;
    if (t.kind != GS_TOK_NEWLINE && t.kind != GS_TOK_INDENT && t.kind != GS_TOK_DEDENT)
        ts->last = t;
    return t;
}

static bool accept(Parser *p, GsTokKind k)
{
    if (!at(p, k))
        return false;
    advance(p);
    return true;
}

/*
 * Does the name at s count as one of the soft keywords match, case and _?
 * CPython 3.11 compares only as many characters as the name has, so "c"
 * and "ma" count too; we copy that, since it decides which message the
 * student sees.
 */
static bool soft_keyword_prefix(const char *s)
{
    static const char *const soft[] = {"match", "case", "_"};
    size_t n = 0;
    while (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
           (s[n] >= '0' && s[n] <= '9') || (unsigned char)s[n] >= 0x80)
        n++;
    for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++)
        if (n > 0 && strncmp(soft[i], s, n) == 0)
            return true;
    return false;
}

/*
 * Two expressions in a row inside brackets, as in `f(a b)`: CPython then
 * parses the second one and says "invalid syntax. Perhaps you forgot a
 * comma?".  If that parse runs into the end of the file with the bracket
 * still open, the lexer's "'(' was never closed" wins instead.  Returns
 * only if neither applies.
 */
static void probe_missing_comma(Parser *p)
{
    const GsExpr *a = p->last_disj;
    const GsToken *t = peek(p);
    jmp_buf probe, *outer = p->bail;
    volatile bool parsed = false;    /* set between setjmp and longjmp */
    if (!a || p->last_disj_ts != p->ts || a->end_lineno != p->ts->last.end_lineno ||
        a->end_col != p->ts->last.end_col || t->kind == GS_TOK_STAR ||
        !starts_expression(t->kind))
        return;                  /* the error does not follow an expression */
    if ((a->kind == E_NAME && t->kind == GS_TOK_STRING) ||   /* kf"..": a bad prefix */
        soft_keyword_prefix(p->last_disj_text) ||
        (a->kind == E_NAME && (strcmp(a->v.name.id, "print") == 0 ||
                               strcmp(a->v.name.id, "exec") == 0)))
        return;
    /* A failure deep inside the probe (in an f-string's field, which reads
     * from a token stream on the C stack) jumps straight back here: put
     * back where tokens come from and how deep the parser was. */
    TokenStream *ts = p->ts;
    int depth = p->depth, fstring_depth = p->fstring_depth;
    p->bail = &probe;
    if (setjmp(probe) == 0) {
        parse_expression(p);
        peek(p);
        parsed = true;
    }
    p->bail = outer;
    p->ts = ts;
    p->depth = depth;
    p->fstring_depth = fstring_depth;
    if (!parsed && p->err_from_lexer)
        longjmp(*p->bail, 1);
    if (parsed && p->ts->last.level > 0)
        fail_msg(p, a->lineno, a->col + 1, false, "invalid syntax. Perhaps you forgot a comma?");
}

/*
 * "invalid syntax" -- the message CPython gives when no rule explains
 * better what is wrong.  The caret goes under the furthest token read so
 * far, as CPython's does (it may have peeked past the current one).
 */
static _Noreturn void syntax_error(Parser *p)
{
    TokenStream *ts = p->ts;
    GsToken t = *peek(p);
    GsToken furthest = ts->ring[(ts->head + ts->count - 1) % LOOKAHEAD];
    if (t.kind == GS_TOK_INDENT || t.kind == GS_TOK_DEDENT) {
        p->no_rescan = true;
        fail_indentation(p, &t, t.kind == GS_TOK_INDENT ? "unexpected indent"
                                                         : "unexpected unindent");
    }
    probe_missing_comma(p);
    fail_at(p, &furthest, "invalid syntax");
}

static GsToken expect(Parser *p, GsTokKind k)
{
    if (!at(p, k))
        syntax_error(p);
    return advance(p);
}

static _Noreturn void unsupported(Parser *p, Pos at, const char *what)
{
    fail_pos(p, at, "gilscope does not support %s", what);
}

static void enter(Parser *p)
{
    if (++p->depth > MAX_DEPTH)
        fail_at(p, peek(p), "code nested too deeply for gilscope (limit: %d levels)", MAX_DEPTH);
}

static void leave(Parser *p) { p->depth--; }

/* ------------------------------------------------------------------------
 * Building nodes
 * ------------------------------------------------------------------------ */

/* A node from `start` to the end of the last token consumed: create nodes
 * right after consuming their last token. */
static GsExpr *new_expr(Parser *p, GsExprKind k, Pos start)
{
    GsExpr *e = gs_arena_alloc(p->arena, sizeof *e);
    e->kind = k;
    e->lineno = start.lineno;
    e->col = start.col;
    e->end_lineno = p->ts->last.end_lineno;
    e->end_col = p->ts->last.end_col;
    return e;
}

static GsStmt *new_stmt(Parser *p, GsStmtKind k, Pos start)
{
    GsStmt *s = gs_arena_alloc(p->arena, sizeof *s);
    s->kind = k;
    s->lineno = start.lineno;
    s->col = start.col;
    s->end_lineno = p->ts->last.end_lineno;
    s->end_col = p->ts->last.end_col;
    return s;
}

static void push(Parser *p, GsNodeList *l, void *node) { gs_list_push(p->arena, l, node); }

static const char *token_string(Parser *p, const GsToken *t)
{
    return gs_arena_strndup(p->arena, t->start, (size_t)(t->end - t->start));
}

static const char *expect_name(Parser *p)
{
    GsToken t = expect(p, GS_TOK_NAME);
    return token_string(p, &t);
}

static GsExpr *make_const(Parser *p, Pos start, GsConstKind k)
{
    GsExpr *e = new_expr(p, E_CONST, start);
    e->v.constant.kind = k;
    return e;
}

static GsExpr *make_binop(Parser *p, Pos start, GsExpr *left, GsBinOp op, GsExpr *right)
{
    GsExpr *e = new_expr(p, E_BINOP, start);
    e->v.binop.left = left;
    e->v.binop.op = op;
    e->v.binop.right = right;
    return e;
}

static GsExpr *make_unary(Parser *p, Pos start, GsUnaryOp op, GsExpr *operand)
{
    GsExpr *e = new_expr(p, E_UNARYOP, start);
    e->v.unaryop.op = op;
    e->v.unaryop.operand = operand;
    return e;
}

static GsExpr *make_seq(Parser *p, GsExprKind k, Pos start, GsNodeList elts)
{
    GsExpr *e = new_expr(p, k, start);
    e->v.seq.elts = elts;
    e->v.seq.ctx = CTX_LOAD;
    return e;
}

static GsExpr *make_starred(Parser *p, Pos start, GsExpr *value)
{
    GsExpr *e = new_expr(p, E_STARRED, start);
    e->v.starred.value = value;
    e->v.starred.ctx = CTX_LOAD;
    return e;
}

/* ------------------------------------------------------------------------
 * Assignment and del targets
 * ------------------------------------------------------------------------ */

/* What CPython calls an expression in "cannot assign to ...". */
static const char *expr_name(const GsExpr *e)
{
    switch (e->kind) {
    case E_ATTR: return "attribute";
    case E_SUBSCRIPT: return "subscript";
    case E_STARRED: return "starred";
    case E_NAME: return "name";
    case E_LIST: return "list";
    case E_TUPLE: return "tuple";
    case E_LAMBDA: return "lambda";
    case E_CALL: return "function call";
    case E_BOOLOP: case E_BINOP: case E_UNARYOP: return "expression";
    case E_LISTCOMP: return "list comprehension";
    case E_GENEXP: return "generator expression";
    case E_YIELD: case E_YIELDFROM: return "yield expression";
    case E_NAMEDEXPR: return "named expression";
    case E_AWAIT: return "await expression";
    case E_DICTCOMP: return "dict comprehension";
    case E_DICT: return "dict literal";
    case E_SET: return "set display";
    case E_SETCOMP: return "set comprehension";
    case E_JOINEDSTR: case E_FORMATTED: return "f-string expression";
    case E_COMPARE: return "comparison";
    case E_IFEXP: return "conditional expression";
    case E_SLICE: return "slice";
    case E_CONST:
        switch (e->v.constant.kind) {
        case C_TRUE: return "True";
        case C_FALSE: return "False";
        case C_NONE: return "None";
        case C_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    }
    return "expression";
}

/* The first part of `e` that cannot be assigned to (or deleted), or NULL. */
static const GsExpr *bad_target(const GsExpr *e, GsCtx ctx)
{
    switch (e->kind) {
    case E_NAME: case E_ATTR: case E_SUBSCRIPT:
        return NULL;
    case E_STARRED:
        return ctx == CTX_DEL ? e : bad_target(e->v.starred.value, ctx);
    case E_TUPLE: case E_LIST:
        for (int i = 0; i < e->v.seq.elts.len; i++) {
            const GsExpr *bad = bad_target(GS_NTH(e->v.seq.elts, i, GsExpr), ctx);
            if (bad)
                return bad;
        }
        return NULL;
    default:
        return e;
    }
}

static void set_ctx(GsExpr *e, GsCtx ctx)
{
    switch (e->kind) {
    case E_NAME: e->v.name.ctx = ctx; break;
    case E_ATTR: e->v.attr.ctx = ctx; break;
    case E_SUBSCRIPT: e->v.subscript.ctx = ctx; break;
    case E_STARRED:
        e->v.starred.ctx = ctx;
        set_ctx(e->v.starred.value, ctx);
        break;
    case E_TUPLE: case E_LIST:
        e->v.seq.ctx = ctx;
        for (int i = 0; i < e->v.seq.elts.len; i++)
            set_ctx(GS_NTH(e->v.seq.elts, i, GsExpr), ctx);
        break;
    default:
        break;
    }
}

/* Turn `e` into a target of `=`/for/with/as (CTX_STORE) or del (CTX_DEL). */
static void make_target(Parser *p, GsExpr *e, GsCtx ctx)
{
    const GsExpr *bad = bad_target(e, ctx);
    if (bad && ctx == CTX_STORE && (bad->kind == E_YIELD || bad->kind == E_YIELDFROM))
        fail_at_expr(p, bad, "assignment to yield expression not possible");
    if (bad)
        fail_at_expr(p, bad, ctx == CTX_DEL ? "cannot delete %s" : "cannot assign to %s",
                     expr_name(bad));
    set_ctx(e, ctx);
}

/* The atom an operand starts with: `[a]` for `[a][0] + 1`. */
static const GsExpr *leftmost_atom(const GsExpr *e)
{
    for (;;) {
        switch (e->kind) {
        case E_BINOP: e = e->v.binop.left; break;
        case E_ATTR: e = e->v.attr.value; break;
        case E_SUBSCRIPT: e = e->v.subscript.value; break;
        case E_CALL: e = e->v.call.func; break;
        default: return e;
        }
    }
}

/*
 * Is `e` an operand of `==` (CPython's `bitwise_or` rule) that does not
 * start with a list, a tuple, True, False or None?  Only then does CPython
 * suggest that `e = x` meant `e == x`.
 */
static bool is_operand_kind(const GsExpr *e)
{
    const GsExpr *atom = leftmost_atom(e);
    switch (e->kind) {
    case E_BOOLOP: case E_COMPARE: case E_IFEXP: case E_LAMBDA: case E_STARRED:
        return false;
    case E_UNARYOP:
        return e->v.unaryop.op != UOP_NOT;
    default:
        break;
    }
    if (atom->kind == E_LIST || atom->kind == E_TUPLE)
        return false;
    return atom->kind != E_CONST || (atom->v.constant.kind != C_TRUE &&
                                     atom->v.constant.kind != C_FALSE &&
                                     atom->v.constant.kind != C_NONE);
}

/*
 * `x() = 1` is more likely a typo for `x() == 1` than an attempt to assign,
 * so for a single `target = value` CPython 3.10+ words the error as a
 * question -- when both sides could be operands of `==`.  For a bare tuple
 * `a, x() = 1` it looks at the last element, which is the one next to '='.
 */
static void check_single_assignment(Parser *p, GsExpr *target, bool bare_tuple,
                                    GsTokKind value_start)
{
    const GsExpr *e = target;
    if (!bad_target(target, CTX_STORE) || value_start == GS_TOK_LAMBDA ||
        value_start == GS_TOK_NOT || value_start == GS_TOK_STAR)
        return;
    if (bare_tuple) {
        e = GS_NTH(target->v.seq.elts, target->v.seq.elts.len - 1, GsExpr);
        if (e->kind == E_NAME)
            fail_at_expr(p, e, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    }
    if (is_operand_kind(e))
        fail_at_expr(p, e, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                     expr_name(e));
}

/* ------------------------------------------------------------------------
 * Expressions
 * ------------------------------------------------------------------------ */

/* Can a token of this kind begin an expression?  (Used where an
 * expression is optional: after `return`, after a trailing comma.) */
static bool starts_expression(GsTokKind k)
{
    switch (k) {
    case GS_TOK_NAME: case GS_TOK_NUMBER: case GS_TOK_STRING: case GS_TOK_LPAR:
    case GS_TOK_LSQB: case GS_TOK_LBRACE: case GS_TOK_MINUS: case GS_TOK_PLUS:
    case GS_TOK_TILDE: case GS_TOK_NOT: case GS_TOK_LAMBDA: case GS_TOK_TRUE:
    case GS_TOK_FALSE: case GS_TOK_NONE: case GS_TOK_ELLIPSIS: case GS_TOK_STAR:
    case GS_TOK_AWAIT:
        return true;
    default:
        return false;
    }
}

/* Each link of a chain like a+b+c or a.b.c nests the tree one level
 * deeper, so it counts against MAX_DEPTH like a recursive call.  The
 * caller undoes its `links` when the chain ends. */
static void add_link(Parser *p, int *links)
{
    enter(p);
    (*links)++;
}

/* `*value`, the iterable unpacking of [*a, b], f(*args) and a, *b = c. */
static GsExpr *parse_starred(Parser *p)
{
    Pos start = here(p);
    GsExpr *value;
    advance(p);
    value = parse_bitwise_or(p);
    return make_starred(p, start, value);
}

/* ---- comprehensions ---------------------------------------------------- */

/* A target of `for` (statement or comprehension): `x`, `i, x`, `(a, b), c`.
 * Parsed at the `|` level so that the `in` that follows is left alone. */
static GsExpr *parse_star_target(Parser *p)
{
    const char *text = peek(p)->start;
    GsExpr *e;
    if (at(p, GS_TOK_STAR))
        return parse_starred(p);
    e = parse_bitwise_or(p);
    p->last_disj = e;            /* CPython retries targets as expressions */
    p->last_disj_text = text;
    p->last_disj_ts = p->ts;
    return e;
}

static GsExpr *parse_target_list(Parser *p)
{
    Pos start = here(p);
    GsExpr *first = parse_star_target(p), *target = first;
    if (at(p, GS_TOK_COMMA)) {
        GsNodeList elts = {0};
        push(p, &elts, first);
        while (accept(p, GS_TOK_COMMA) && !at(p, GS_TOK_IN))
            push(p, &elts, parse_star_target(p));
        target = make_seq(p, E_TUPLE, start, elts);
    }
    make_target(p, target, CTX_STORE);
    return target;
}

/* for_if_clauses: one or more `[async] for target in iter [if cond]...` */
static void parse_comprehensions(Parser *p, GsNodeList *generators)
{
    for (;;) {
        bool is_async = accept(p, GS_TOK_ASYNC);
        if (is_async)
            expect(p, GS_TOK_FOR);
        else if (!accept(p, GS_TOK_FOR))
            break;
        GsComprehension *c = gs_arena_alloc(p->arena, sizeof *c);
        c->is_async = is_async;
        c->target = parse_target_list(p);
        expect(p, GS_TOK_IN);
        c->iter = parse_disjunction(p);
        while (accept(p, GS_TOK_IF))
            push(p, &c->ifs, parse_disjunction(p));
        push(p, generators, c);
    }
}

/* ---- atoms ------------------------------------------------------------- */

static GsExpr *parse_star_named_expression(Parser *p)
{
    return at(p, GS_TOK_STAR) ? parse_starred(p) : parse_named_expression(p);
}

/* The elements of a tuple or list display after the first, up to `closer`. */
static void parse_elements(Parser *p, GsNodeList *elts, GsTokKind closer)
{
    while (accept(p, GS_TOK_COMMA) && !at(p, closer))
        push(p, elts, parse_star_named_expression(p));
    expect(p, closer);
}

/* The comprehension clauses of a generator expression whose element has
 * been read; the parentheses are the caller's. */
static GsExpr *parse_genexp(Parser *p, Pos start, GsExpr *elt)
{
    GsNodeList generators = {0};
    parse_comprehensions(p, &generators);
    GsExpr *e = new_expr(p, E_GENEXP, start);
    e->v.comp.elt = elt;
    e->v.comp.generators = generators;
    return e;
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
static GsExpr *parse_yield_expr(Parser *p)
{
    Pos start = here(p);
    advance(p);
    if (accept(p, GS_TOK_FROM)) {
        GsExpr *e = new_expr(p, E_YIELDFROM, start);
        e->v.yield.value = parse_expression(p);
        return e;
    }
    GsExpr *e = new_expr(p, E_YIELD, start);
    e->v.yield.value = starts_expression(kind(p)) ? parse_star_expressions(p, NULL) : NULL;
    return e;
}

/* ( ... ): the empty tuple, a parenthesised expression, or a tuple. */
static GsExpr *parse_paren(Parser *p)
{
    Pos start = pos_of(peek(p));
    GsNodeList elts = {0};
    GsExpr *first;
    advance(p);
    if (accept(p, GS_TOK_RPAR))
        return make_seq(p, E_TUPLE, start, elts);
    if (at(p, GS_TOK_YIELD)) {
        first = parse_yield_expr(p);
        expect(p, GS_TOK_RPAR);
        return first;
    }
    first = parse_star_named_expression(p);
    if (at(p, GS_TOK_FOR) || at(p, GS_TOK_ASYNC)) {
        if (first->kind == E_STARRED)
            fail_at_expr(p, first, "iterable unpacking cannot be used in comprehension");
        first = parse_genexp(p, start, first);
        expect(p, GS_TOK_RPAR);
        return first;
    }
    if (accept(p, GS_TOK_RPAR)) {
        if (first->kind == E_STARRED)
            fail_at_expr(p, first, "cannot use starred expression here");
        return first;            /* parentheses only group: no node */
    }
    if (!at(p, GS_TOK_COMMA))
        syntax_error(p);
    push(p, &elts, first);
    parse_elements(p, &elts, GS_TOK_RPAR);
    return make_seq(p, E_TUPLE, start, elts);
}

/* [ ... ]: a list display or a list comprehension. */
static GsExpr *parse_list(Parser *p)
{
    Pos start = here(p);
    GsNodeList elts = {0}, generators = {0};
    GsExpr *first, *e;
    advance(p);
    if (accept(p, GS_TOK_RSQB))
        return make_seq(p, E_LIST, start, elts);
    first = parse_star_named_expression(p);
    if (!at(p, GS_TOK_FOR) && !at(p, GS_TOK_ASYNC)) {
        push(p, &elts, first);
        parse_elements(p, &elts, GS_TOK_RSQB);
        return make_seq(p, E_LIST, start, elts);
    }
    if (first->kind == E_STARRED)
        fail_at_expr(p, first, "iterable unpacking cannot be used in comprehension");
    parse_comprehensions(p, &generators);
    expect(p, GS_TOK_RSQB);
    e = new_expr(p, E_LISTCOMP, start);
    e->v.comp.elt = first;
    e->v.comp.generators = generators;
    return e;
}

/* The value after `key:` in a dict display. */
static GsExpr *parse_dict_value(Parser *p)
{
    GsToken colon = advance(p);
    if (at(p, GS_TOK_RBRACE) || at(p, GS_TOK_COMMA))
        fail_at(p, &colon, "expression expected after dictionary key and ':'");
    if (at(p, GS_TOK_STAR))
        fail_at(p, peek(p), "cannot use a starred expression in a dictionary value");
    return parse_expression(p);
}

/* One `key: value` or `**mapping` of a dict display, after a comma. */
static void parse_dict_entry(Parser *p, GsNodeList *keys, GsNodeList *values)
{
    GsExpr *key;
    if (accept(p, GS_TOK_DOUBLESTAR)) {
        push(p, keys, NULL);     /* a NULL key means **mapping */
        push(p, values, parse_bitwise_or(p));
        return;
    }
    key = parse_expression(p);
    if (!at(p, GS_TOK_COLON))    /* caret: the key's last character */
        fail_msg(p, key->end_lineno, key->end_col, false, "':' expected after dictionary key");
    push(p, keys, key);
    push(p, values, parse_dict_value(p));
}

static GsExpr *parse_dictcomp(Parser *p, Pos start, GsExpr *key, GsExpr *value)
{
    GsNodeList generators = {0};
    GsExpr *e;
    parse_comprehensions(p, &generators);
    expect(p, GS_TOK_RBRACE);
    e = new_expr(p, E_DICTCOMP, start);
    e->v.comp.elt = key;
    e->v.comp.value = value;
    e->v.comp.generators = generators;
    return e;
}

/* {a, *b, c} or {x for x in y}: the first element has been read. */
static GsExpr *parse_set(Parser *p, Pos start, GsExpr *first)
{
    GsNodeList elts = {0}, generators = {0};
    if (!at(p, GS_TOK_FOR) && !at(p, GS_TOK_ASYNC)) {
        push(p, &elts, first);
        parse_elements(p, &elts, GS_TOK_RBRACE);
        return make_seq(p, E_SET, start, elts);
    }
    if (first->kind == E_STARRED)
        fail_at_expr(p, first, "iterable unpacking cannot be used in comprehension");
    parse_comprehensions(p, &generators);
    expect(p, GS_TOK_RBRACE);
    GsExpr *e = new_expr(p, E_SETCOMP, start);
    e->v.comp.elt = first;
    e->v.comp.generators = generators;
    return e;
}

/* { ... }: a dict or set display or comprehension; the first element
 * tells which (`{}` is a dict). */
static GsExpr *parse_brace(Parser *p)
{
    Pos start = here(p);
    GsNodeList keys = {0}, values = {0};
    bool more = true;
    GsExpr *e;
    advance(p);
    if (!at(p, GS_TOK_RBRACE) && !at(p, GS_TOK_DOUBLESTAR)) {
        GsExpr *key = parse_star_named_expression(p), *value;
        if (at(p, GS_TOK_COMMA) || at(p, GS_TOK_RBRACE) || at(p, GS_TOK_FOR) ||
            at(p, GS_TOK_ASYNC))
            return parse_set(p, start, key);
        if (!at(p, GS_TOK_COLON) || key->kind == E_NAMEDEXPR)   /* {a := 1: 2} */
            syntax_error(p);
        value = parse_dict_value(p);
        if (at(p, GS_TOK_FOR) || at(p, GS_TOK_ASYNC))
            return parse_dictcomp(p, start, key, value);
        push(p, &keys, key);
        push(p, &values, value);
        more = accept(p, GS_TOK_COMMA);
    }
    while (more && !at(p, GS_TOK_RBRACE)) {
        parse_dict_entry(p, &keys, &values);
        more = accept(p, GS_TOK_COMMA);
    }
    expect(p, GS_TOK_RBRACE);
    e = new_expr(p, E_DICT, start);
    e->v.dict.keys = keys;
    e->v.dict.values = values;
    return e;
}

static GsExpr *make_number(Parser *p)
{
    GsToken t = advance(p);
    GsExpr *e = make_const(p, pos_of(&t), t.is_float ? C_FLOAT : C_INT);
    e->v.constant.i = t.ival;
    e->v.constant.f = t.fval;
    if (t.big_base) {   /* beyond int64: GMP reads the digits (without '_') */
        size_t n = (size_t)(t.end - t.big_digits), k = 0;
        char *digits = gs_arena_alloc(p->arena, n + 1);
        for (size_t i = 0; i < n; i++)
            if (t.big_digits[i] != '_')
                digits[k++] = t.big_digits[i];
        mpz_t z;
        mpz_init_set_str(z, digits, t.big_base);
        gs_ast_set_int(p->arena, e, z);
        mpz_clear(z);
    }
    return e;
}

static GsExpr *make_name(Parser *p)
{
    const char *id = token_string(p, peek(p));
    Pos start = here(p);
    GsExpr *e;
    advance(p);
    e = new_expr(p, E_NAME, start);
    e->v.name.id = id;
    e->v.name.ctx = CTX_LOAD;
    return e;
}

static GsExpr *parse_atom(Parser *p)
{
    Pos start = here(p);
    switch (kind(p)) {
    case GS_TOK_NAME: return make_name(p);
    case GS_TOK_NUMBER: return make_number(p);
    case GS_TOK_STRING: return parse_strings(p);
    case GS_TOK_TRUE: advance(p); return make_const(p, start, C_TRUE);
    case GS_TOK_FALSE: advance(p); return make_const(p, start, C_FALSE);
    case GS_TOK_NONE: advance(p); return make_const(p, start, C_NONE);
    case GS_TOK_ELLIPSIS: advance(p); return make_const(p, start, C_ELLIPSIS);
    case GS_TOK_LPAR: return parse_paren(p);
    case GS_TOK_LSQB: return parse_list(p);
    case GS_TOK_LBRACE: return parse_brace(p);
    default: syntax_error(p);
    }
}

/* ---- strings and f-strings --------------------------------------------- */

/*
 * Adjacent string literals are one expression: "a" "b" is the constant
 * "ab".  If any of them is an f-string, the result is a JoinedStr whose
 * `values` are the literal text (E_CONST) and the replacement fields
 * (E_FORMATTED) in order; neighbouring literal text -- even from different
 * literals -- is merged into one constant, as CPython does:
 *     "a" f"b{x!r:>{w}}c" "d"
 *       -> JoinedStr([Const('ab'), Formatted(x, 'r', JoinedStr([Const('>'),
 *                     Formatted(w)])), Const('cd')])
 */
typedef struct {
    GsNodeList values;           /* pieces made so far */
    char *text;                  /* decoded literal text not yet a piece */
    size_t len, cap;
} Pieces;

typedef struct {
    const GsToken *tok;          /* the f-string being parsed */
    GsToken after;               /* the token after all the literals: CPython
                                    reports errors inside strings there */
    Pos start;                   /* the span of all the literals, which every */
    int end_lineno, end_col;     /* piece gets (as in CPython 3.11) */
    const char *scan;            /* for locate(): a point of the f-string and */
    int scan_line;               /* the line it is on and where that line */
    const char *scan_line_start; /* starts */
} FString;

static _Noreturn void fail_in_string(Parser *p, const FString *fs, const char *fmt, ...)
{
    char msg[sizeof p->err->msg];
    FORMAT_MESSAGE(msg, fmt);
    fail_msg(p, fs->after.lineno, caret_col(&fs->after), false, msg);
}

static GsExpr *span_expr(Parser *p, GsExprKind k, const FString *fs)
{
    GsExpr *e = gs_arena_alloc(p->arena, sizeof *e);
    e->kind = k;
    e->lineno = fs->start.lineno;
    e->col = fs->start.col;
    e->end_lineno = fs->end_lineno;
    e->end_col = fs->end_col;
    return e;
}

/* Make room for n more bytes of pending text (and a NUL). */
static void reserve_text(Parser *p, Pieces *pc, size_t n)
{
    char *bigger;
    if (pc->len + n + 1 <= pc->cap)
        return;
    pc->cap = pc->cap * 2 > pc->len + n + 1 ? pc->cap * 2 : pc->len + n + 1;
    bigger = gs_arena_alloc(p->arena, pc->cap);
    if (pc->len)
        memcpy(bigger, pc->text, pc->len);
    pc->text = bigger;
}

/* Decode [s, s+n) and append it to the pending literal text. */
static void add_text(Parser *p, const FString *fs, Pieces *pc, const char *s, size_t n, bool raw)
{
    char msg[sizeof p->err->msg];
    long len;
    reserve_text(p, pc, n);      /* decoding never makes text longer */
    len = gs_lex_decode(s, n, raw, pc->text + pc->len, msg, sizeof msg);
    if (len < 0)
        fail_in_string(p, fs, "%s", msg);
    pc->len += (size_t)len;
}

/* Turn the pending literal text into a constant piece. */
static void flush_text(Parser *p, const FString *fs, Pieces *pc)
{
    GsExpr *c;
    if (pc->len == 0)
        return;
    c = span_expr(p, E_CONST, fs);
    c->v.constant.kind = C_STR;
    c->v.constant.s = gs_arena_strndup(p->arena, pc->text, pc->len);
    c->v.constant.n = pc->len;
    push(p, &pc->values, c);
    pc->len = 0;
}

static const char *fstring_text(Parser *p, FString *fs, const char *s, const char *end,
                                int level, Pieces *pc);

/* The line of `target` and the start of that line.  Fields come in order,
 * so the scan resumes where the previous question left it. */
static void locate(FString *fs, const char *target, int *lineno, const char **line_start)
{
    for (; fs->scan < target; fs->scan++) {
        if (*fs->scan == '\n') {
            fs->scan_line++;
            fs->scan_line_start = fs->scan + 1;
        }
    }
    *lineno = fs->scan_line;
    *line_start = fs->scan_line_start;
}

/*
 * Where the expression of a replacement field ends: at a '!', ':', '=' or
 * '}' outside brackets and quotes -- but "!=", "==", "<=" and ">=" are
 * operators, not ends.  Like CPython 3.11 this refuses backslashes and
 * comments anywhere in the expression.
 */
static const char *fstring_expr_end(Parser *p, const FString *fs, const char *s, const char *end)
{
    char open[GS_LEX_MAX_PARENS], quote = 0;
    int depth = 0;
    bool triple = false;
    for (; s < end; s++) {
        char c = *s;
        if (c == '\\')
            fail_in_string(p, fs, "f-string expression part cannot include a backslash");
        if (quote) {             /* inside a string literal of the expression */
            if (c == quote && (!triple || (s + 2 < end && s[1] == c && s[2] == c))) {
                s += triple ? 2 : 0;
                quote = 0;
            }
            continue;
        }
        switch (c) {
        case '\'': case '"':
            quote = c;
            triple = s + 2 < end && s[1] == c && s[2] == c;
            s += triple ? 2 : 0;
            break;
        case '(': case '[': case '{':
            if (depth >= GS_LEX_MAX_PARENS)
                fail_in_string(p, fs, "f-string: too many nested parenthesis");
            open[depth++] = c;
            break;
        case ')': case ']': case '}':
            if (depth == 0 && c == '}')
                return s;
            if (depth == 0)
                fail_in_string(p, fs, "f-string: unmatched '%c'", c);
            depth--;
            if (c != (open[depth] == '(' ? ')' : open[depth] == '[' ? ']' : '}'))
                fail_in_string(p, fs, "f-string: closing parenthesis '%c' does not match "
                                      "opening parenthesis '%c'", c, open[depth]);
            break;
        case '#':
            fail_in_string(p, fs, "f-string expression part cannot include '#'");
        case '!': case '=': case '<': case '>':
            if (s + 1 < end && s[1] == '=')
                s++;
            else if (depth == 0 && (c == '!' || c == '='))
                return s;
            break;
        case ':':
            if (depth == 0)
                return s;
            break;
        default:
            break;
        }
    }
    if (quote)
        fail_in_string(p, fs, "f-string: unterminated string");
    if (depth)
        fail_in_string(p, fs, "f-string: unmatched '%c'", open[depth - 1]);
    fail_in_string(p, fs, "f-string: expecting '}'");
}

/*
 * Parse the expression of a field, [begin, end), with a lexer of its own
 * that reads the very bytes of the file, so positions inside f-strings are
 * real positions.  CPython parses the text as if in parentheses: newlines
 * are allowed, and `a, b` is a tuple.
 */
static GsExpr *parse_fstring_expr(Parser *p, FString *fs, const char *begin, const char *end)
{
    TokenStream sub, *saved = p->ts;
    const char *line_start;
    int lineno;
    GsExpr *e;
    locate(fs, begin, &lineno, &line_start);
    memset(&sub, 0, sizeof sub);
    gs_lexer_init_fstring(&sub.lx, p->file.lx.src, begin, end, lineno, line_start,
                          fs->tok->level + 1);
    p->ts = &sub;
    p->fstring_depth++;
    enter(p);
    e = at(p, GS_TOK_YIELD) ? parse_yield_expr(p) : parse_star_expressions(p, NULL);
    if (!at(p, GS_TOK_ENDMARKER))
        syntax_error(p);
    leave(p);
    p->fstring_depth--;
    p->ts = saved;
    return e;
}

static bool only_spaces(const char *s, const char *end)
{
    for (; s < end; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\f')
            return false;
    return true;
}

/* After the expression: the `=` of f"{x=}", which also prints "x=". */
static const char *fstring_debug_text(Parser *p, const FString *fs, const char *expr,
                                      const char *q, const char *end, Pieces *pc)
{
    q++;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\f' ||
                       *q == '\r' || *q == '\v'))
        q++;
    if (q >= end)
        fail_in_string(p, fs, "f-string: expecting '}'");
    reserve_text(p, pc, (size_t)(q - expr));
    memcpy(pc->text + pc->len, expr, (size_t)(q - expr));   /* source text, verbatim */
    pc->len += (size_t)(q - expr);
    return q;
}

/* A format spec after ':', itself f-string text: f"{x:>{width}}". */
static GsExpr *fstring_spec(Parser *p, FString *fs, const char **q, const char *end, int level)
{
    Pieces spec = {0};
    GsExpr *e;
    *q = fstring_text(p, fs, *q, end, level + 1, &spec);
    flush_text(p, fs, &spec);
    e = span_expr(p, E_JOINEDSTR, fs);
    e->v.joined.values = spec.values;
    return e;
}

/* One replacement field {expr[=][!conv][:spec]}; s is at its '{'. */
static const char *fstring_field(Parser *p, FString *fs, const char *s, const char *end,
                                 int level, Pieces *pc)
{
    const char *expr = s + 1, *q;
    GsExpr *value, *spec = NULL, *fv;
    int conversion = -1;
    bool debug = false;
    if (level >= 2)
        fail_in_string(p, fs, "f-string: expressions nested too deeply");
    q = fstring_expr_end(p, fs, expr, end);
    if (only_spaces(expr, q)) {
        if (*q != '}')
            fail_in_string(p, fs, "f-string: expression required before '%c'", *q);
        fail_in_string(p, fs, "f-string: empty expression not allowed");
    }
    value = parse_fstring_expr(p, fs, expr, q);
    if (*q == '=') {
        q = fstring_debug_text(p, fs, expr, q, end, pc);
        debug = true;
    }
    if (*q == '!') {
        if (++q >= end)
            fail_in_string(p, fs, "f-string: expecting '}'");
        conversion = (unsigned char)*q++;
        if (conversion != 's' && conversion != 'r' && conversion != 'a')
            fail_in_string(p, fs, "f-string: invalid conversion character: "
                                  "expected 's', 'r', or 'a'");
    }
    if (q < end && *q == ':') {
        if (++q >= end)
            fail_in_string(p, fs, "f-string: expecting '}'");
        spec = fstring_spec(p, fs, &q, end, level);
    }
    if (q >= end || *q != '}')
        fail_in_string(p, fs, "f-string: expecting '}'");
    if (debug && !spec && conversion == -1)
        conversion = 'r';        /* f"{x=}" shows repr(x) unless told otherwise */
    flush_text(p, fs, pc);
    fv = span_expr(p, E_FORMATTED, fs);
    fv->v.formatted.value = value;
    fv->v.formatted.conversion = conversion;
    fv->v.formatted.format_spec = spec;
    push(p, &pc->values, fv);
    return q + 1;
}

/* Skip an escape sequence at s (a backslash) while looking for braces.
 * "\{" leaves the brace to start a field, as in CPython 3.11; "\N{...}"
 * is skipped whole so that its braces are not taken for a field. */
static const char *skip_escape(const char *s, const char *end)
{
    if (s[1] == '{' || s[1] == '}')
        return s + 1;
    if (s[1] == 'N' && s + 2 < end && s[2] == '{') {
        for (s += 3; s < end && *s != '}'; s++)
            continue;
        return s < end ? s + 1 : s;
    }
    return s + 2;
}

/*
 * The text of an f-string from s: literal text and {fields}.  At level 0
 * (the string itself) it runs to `end` and "{{" / "}}" stand for braces;
 * at level 1 or 2 (a format spec) it stops at the '}' closing the spec.
 */
static const char *fstring_text(Parser *p, FString *fs, const char *s, const char *end,
                                int level, Pieces *pc)
{
    bool raw = fs->tok->str_flags & GS_STR_RAW;
    const char *chunk = s;
    while (s < end) {
        if (*s == '\\' && !raw && s + 1 < end) {
            s = skip_escape(s, end);
            continue;
        }
        if (*s != '{' && *s != '}') {
            s++;
            continue;
        }
        if (level == 0 && s + 1 < end && s[1] == *s) {   /* {{ or }} */
            add_text(p, fs, pc, chunk, (size_t)(s + 1 - chunk), raw);
            chunk = s += 2;
            continue;
        }
        if (*s == '}') {
            if (level == 0)
                fail_in_string(p, fs, "f-string: single '}' is not allowed");
            break;
        }
        add_text(p, fs, pc, chunk, (size_t)(s - chunk), raw);
        chunk = s = fstring_field(p, fs, s, end, level, pc);
    }
    add_text(p, fs, pc, chunk, (size_t)(s - chunk), raw);
    return s;
}

static void parse_fstring(Parser *p, FString *fs, const GsToken *t, Pieces *pc)
{
    fs->tok = t;
    fs->scan = t->start;
    fs->scan_line = t->lineno;
    fs->scan_line_start = t->start - t->col;
    fstring_text(p, fs, t->body, t->body + t->body_len, 0, pc);
}

/* One or more adjacent string literals. */
static GsExpr *parse_strings(Parser *p)
{
    FString fs = {.start = here(p)};
    GsNodeList toks = {0};
    Pieces pc = {0};
    size_t total = 0;
    bool joined = false;
    GsExpr *e;
    while (at(p, GS_TOK_STRING)) {
        GsToken *t = gs_arena_alloc(p->arena, sizeof *t);
        *t = advance(p);
        if (t->str_flags & GS_STR_BYTES)
            unsupported(p, pos_of(t), "bytes literals");
        joined |= (t->str_flags & GS_STR_FSTRING) != 0;
        total += t->body_len;
        push(p, &toks, t);
    }
    fs.after = *peek(p);
    fs.end_lineno = p->ts->last.end_lineno;
    fs.end_col = p->ts->last.end_col;
    reserve_text(p, &pc, total);
    for (int i = 0; i < toks.len; i++) {
        const GsToken *t = GS_NTH(toks, i, GsToken);
        if (t->str_flags & GS_STR_FSTRING)
            parse_fstring(p, &fs, t, &pc);
        else
            add_text(p, &fs, &pc, t->body, t->body_len, t->str_flags & GS_STR_RAW);
    }
    if (joined) {
        flush_text(p, &fs, &pc);
        e = span_expr(p, E_JOINEDSTR, &fs);
        e->v.joined.values = pc.values;
        return e;
    }
    e = span_expr(p, E_CONST, &fs);
    e->v.constant.kind = C_STR;
    e->v.constant.s = pc.text;   /* gs_lex_decode NUL-terminated it */
    e->v.constant.n = pc.len;
    return e;
}

/* ---- primaries: calls, subscripts, attributes --------------------------- */

/* The arguments of a call (or a class's bases), in the order Python
 * allows: positional and *iterable, then name=value and **mapping. */
static void parse_arguments(Parser *p, GsNodeList *args, GsNodeList *keywords)
{
    bool seen_keyword = false, seen_unpack = false;
    const char *misplaced = NULL;   /* a positional argument came too late */
    while (!at(p, GS_TOK_RPAR)) {
        GsTokKind first = kind(p);
        Pos start = here(p);
        GsKeyword *kw;
        GsExpr *e;
        if (first == GS_TOK_STAR) {
            if (seen_unpack)
                fail_at(p, peek(p), "iterable argument unpacking follows keyword argument unpacking");
            advance(p);
            e = parse_expression(p);
            push(p, args, make_starred(p, start, e));
        } else if (first == GS_TOK_DOUBLESTAR) {
            advance(p);
            kw = gs_arena_alloc(p->arena, sizeof *kw);
            kw->value = parse_expression(p);
            kw->lineno = start.lineno;
            kw->col = start.col;
            push(p, keywords, kw);
            seen_unpack = true;
        } else {
            e = parse_walrus(p, parse_expression(p));
            if (at(p, GS_TOK_FOR) || at(p, GS_TOK_ASYNC)) {
                /* f(x for x in xs): a generator expression needs no
                 * parentheses of its own only as the call's sole argument. */
                e = parse_genexp(p, start, e);
                if (args->len || keywords->len || !at(p, GS_TOK_RPAR))
                    fail_at_expr(p, e, "Generator expression must be parenthesized");
                push(p, args, e);
                break;
            }
            if (at(p, GS_TOK_EQUAL)) {
                if (e->kind == E_CONST && (e->v.constant.kind == C_TRUE ||
                                           e->v.constant.kind == C_FALSE ||
                                           e->v.constant.kind == C_NONE))
                    fail_at_expr(p, e, "cannot assign to %s", expr_name(e));
                if (e->kind != E_NAME || first != GS_TOK_NAME)
                    fail_at_expr(p, e, "expression cannot contain assignment, "
                                       "perhaps you meant \"==\"?");
                advance(p);
                kw = gs_arena_alloc(p->arena, sizeof *kw);
                kw->name = e->v.name.id;
                kw->value = parse_expression(p);
                kw->lineno = start.lineno;
                kw->col = start.col;
                push(p, keywords, kw);
                seen_keyword = true;
            } else {
                if (!at(p, GS_TOK_COMMA) && !at(p, GS_TOK_RPAR) && !at(p, GS_TOK_STAR) &&
                    starts_expression(kind(p)))
                    syntax_error(p);     /* maybe a missing comma */
                if ((seen_keyword || seen_unpack) && !misplaced)
                    misplaced = seen_unpack
                                ? "positional argument follows keyword argument unpacking"
                                : "positional argument follows keyword argument";
                push(p, args, e);
            }
        }
        if (!accept(p, GS_TOK_COMMA))
            break;
    }
    /* CPython checks the order once all the arguments are read, and puts
     * the caret after them. */
    if (misplaced)
        fail_at(p, peek(p), "%s", misplaced);
}

static GsExpr *parse_call(Parser *p, Pos start, GsExpr *func)
{
    GsNodeList args = {0}, keywords = {0};
    GsExpr *e;
    advance(p);
    parse_arguments(p, &args, &keywords);
    expect(p, GS_TOK_RPAR);
    e = new_expr(p, E_CALL, start);
    e->v.call.func = func;
    e->v.call.args = args;
    e->v.call.keywords = keywords;
    return e;
}

/* One index: an expression, or a slice lower:upper:step (each optional). */
static GsExpr *parse_slice(Parser *p)
{
    Pos start = here(p);
    GsExpr *lower = NULL, *upper = NULL, *step = NULL, *e;
    if (!at(p, GS_TOK_COLON)) {
        /* Not a named expression: `a[x := 1]` is Python 3.10's. */
        lower = parse_expression(p);
        if (!at(p, GS_TOK_COLON))
            return lower;
    }
    advance(p);
    if (!at(p, GS_TOK_COLON) && !at(p, GS_TOK_COMMA) && !at(p, GS_TOK_RSQB))
        upper = parse_expression(p);
    if (accept(p, GS_TOK_COLON) && !at(p, GS_TOK_COMMA) && !at(p, GS_TOK_RSQB))
        step = parse_expression(p);
    e = new_expr(p, E_SLICE, start);
    e->v.slice.lower = lower;
    e->v.slice.upper = upper;
    e->v.slice.step = step;
    return e;
}

/* One index, or `*iterable` (Python 3.11) which makes the index a tuple. */
static GsExpr *parse_index(Parser *p)
{
    return at(p, GS_TOK_STAR) ? parse_starred(p) : parse_slice(p);
}

/* a[i], a[i:j], a[i:j, k] (the last indexes with a tuple). */
static GsExpr *parse_subscript(Parser *p, Pos start, GsExpr *value)
{
    Pos index_start;
    GsExpr *index, *e;
    advance(p);
    index_start = here(p);
    index = parse_index(p);
    if (at(p, GS_TOK_COMMA) || index->kind == E_STARRED) {
        GsNodeList elts = {0};
        push(p, &elts, index);
        while (accept(p, GS_TOK_COMMA) && !at(p, GS_TOK_RSQB))
            push(p, &elts, parse_index(p));
        index = make_seq(p, E_TUPLE, index_start, elts);
    }
    expect(p, GS_TOK_RSQB);
    e = new_expr(p, E_SUBSCRIPT, start);
    e->v.subscript.value = value;
    e->v.subscript.slice = index;
    e->v.subscript.ctx = CTX_LOAD;
    return e;
}

static GsExpr *parse_attribute(Parser *p, Pos start, GsExpr *value)
{
    GsExpr *e;
    const char *attr;
    advance(p);
    attr = expect_name(p);
    e = new_expr(p, E_ATTR, start);
    e->v.attr.value = value;
    e->v.attr.attr = attr;
    e->v.attr.ctx = CTX_LOAD;
    return e;
}

static GsExpr *parse_primary(Parser *p)
{
    Pos start = here(p);
    GsExpr *e = parse_atom(p);
    int links = 0;
    for (;;) {
        if (at(p, GS_TOK_DOT))
            e = parse_attribute(p, start, e);
        else if (at(p, GS_TOK_LPAR))
            e = parse_call(p, start, e);
        else if (at(p, GS_TOK_LSQB))
            e = parse_subscript(p, start, e);
        else
            break;
        add_link(p, &links);
    }
    p->depth -= links;
    return e;
}

/* ---- operators ---------------------------------------------------------- */

/* await_primary: ['await'] primary.  `await` binds tighter than any
 * operator but looser than a call: `await f() ** 2` is (await f())**2. */
static GsExpr *parse_await_primary(Parser *p)
{
    Pos start = here(p);
    if (!accept(p, GS_TOK_AWAIT))
        return parse_primary(p);
    GsExpr *value = parse_primary(p);
    GsExpr *e = new_expr(p, E_AWAIT, start);
    e->v.yield.value = value;
    return e;
}

/* power: await_primary ['**' factor].  The exponent is a factor, so 2**-1
 * works and 2**3**2 is 2**(3**2). */
static GsExpr *parse_power(Parser *p)
{
    Pos start = here(p);
    GsExpr *base = parse_await_primary(p), *exponent;
    if (!accept(p, GS_TOK_DOUBLESTAR))
        return base;
    enter(p);
    exponent = parse_factor(p);
    leave(p);
    return make_binop(p, start, base, OP_POW, exponent);
}

static GsExpr *parse_factor(Parser *p)
{
    Pos start = here(p);
    GsUnaryOp op;
    GsExpr *operand;
    switch (kind(p)) {
    case GS_TOK_MINUS: op = UOP_NEG; break;
    case GS_TOK_PLUS: op = UOP_POS; break;
    case GS_TOK_TILDE: op = UOP_INVERT; break;
    default: return parse_power(p);
    }
    advance(p);
    enter(p);
    operand = parse_factor(p);
    leave(p);
    return make_unary(p, start, op, operand);
}

/* The left-associative binary operators; a higher level binds tighter. */
static const struct {
    GsTokKind tok;
    GsBinOp op;
    int level;
} binary_ops[] = {
    {GS_TOK_VBAR, OP_BITOR, 0},
    {GS_TOK_CIRCUMFLEX, OP_BITXOR, 1},
    {GS_TOK_AMPER, OP_BITAND, 2},
    {GS_TOK_LEFTSHIFT, OP_LSHIFT, 3}, {GS_TOK_RIGHTSHIFT, OP_RSHIFT, 3},
    {GS_TOK_PLUS, OP_ADD, 4}, {GS_TOK_MINUS, OP_SUB, 4},
    {GS_TOK_STAR, OP_MULT, 5}, {GS_TOK_SLASH, OP_DIV, 5},
    {GS_TOK_DOUBLESLASH, OP_FLOORDIV, 5}, {GS_TOK_PERCENT, OP_MOD, 5},
    {GS_TOK_AT, OP_MATMULT, 5},
};

/* The level of the binary operator at the current token, or -1. */
static int binary_op_at(Parser *p, GsBinOp *op)
{
    GsTokKind k = kind(p);
    for (size_t i = 0; i < sizeof binary_ops / sizeof binary_ops[0]; i++) {
        if (binary_ops[i].tok == k) {
            *op = binary_ops[i].op;
            return binary_ops[i].level;
        }
    }
    return -1;
}

/*
 * Operands joined by binary operators of level `min_level` or tighter,
 * by "precedence climbing": after an operator of level L, the right
 * operand takes only operators tighter than L, so a - b * c groups as
 * a - (b * c), while a - b - c loops here and groups as (a - b) - c.
 * A lone operand costs one call, not one per precedence level.
 */
static GsExpr *parse_binary(Parser *p, int min_level)
{
    Pos start = here(p);
    GsExpr *left = parse_factor(p);
    GsBinOp op = OP_ADD;
    int level, links = 0;
    while ((level = binary_op_at(p, &op)) >= min_level) {
        advance(p);
        add_link(p, &links);
        GsExpr *right = parse_binary(p, level + 1);
        left = make_binop(p, start, left, op, right);
    }
    p->depth -= links;
    return left;
}

static GsExpr *parse_bitwise_or(Parser *p) { return parse_binary(p, 0); }

/* If a comparison operator is next, consume it ("not in" and "is not" are
 * two tokens) and say which. */
static bool comparison_op(Parser *p, GsCmpOp *op)
{
    switch (kind(p)) {
    case GS_TOK_EQEQUAL: *op = CMP_EQ; break;
    case GS_TOK_NOTEQUAL: *op = CMP_NOTEQ; break;
    case GS_TOK_LESS: *op = CMP_LT; break;
    case GS_TOK_LESSEQUAL: *op = CMP_LTE; break;
    case GS_TOK_GREATER: *op = CMP_GT; break;
    case GS_TOK_GREATEREQUAL: *op = CMP_GTE; break;
    case GS_TOK_IN: *op = CMP_IN; break;
    case GS_TOK_IS:
        advance(p);
        *op = accept(p, GS_TOK_NOT) ? CMP_ISNOT : CMP_IS;
        return true;
    case GS_TOK_NOT:
        if (peek_at(p, 1)->kind != GS_TOK_IN)
            return false;
        advance(p);
        *op = CMP_NOTIN;
        break;
    default:
        return false;
    }
    advance(p);
    return true;
}

/* a < b <= c is one Compare node with two operators, not two nodes: it
 * means (a < b) and (b <= c) with b evaluated once. */
static GsExpr *parse_comparison(Parser *p)
{
    Pos start = here(p);
    GsExpr *left = parse_bitwise_or(p), *e;
    GsNodeList ops = {0}, comparators = {0};
    GsCmpOp op;
    while (comparison_op(p, &op)) {
        push(p, &ops, (void *)(intptr_t)op);
        push(p, &comparators, parse_bitwise_or(p));
    }
    if (ops.len == 0)
        return left;
    e = new_expr(p, E_COMPARE, start);
    e->v.compare.left = left;
    e->v.compare.ops = ops;
    e->v.compare.comparators = comparators;
    return e;
}

static GsExpr *parse_inversion(Parser *p)
{
    Pos start = here(p);
    GsExpr *operand;
    if (!at(p, GS_TOK_NOT))
        return parse_comparison(p);
    advance(p);
    enter(p);
    operand = parse_inversion(p);
    leave(p);
    return make_unary(p, start, UOP_NOT, operand);
}

/* a and b and c / a or b or c: one BoolOp node with all the operands. */
static GsExpr *parse_boolop(Parser *p, bool is_and)
{
    GsTokKind op = is_and ? GS_TOK_AND : GS_TOK_OR;
    Pos start = here(p);
    GsExpr *first = is_and ? parse_inversion(p) : parse_boolop(p, true), *e;
    GsNodeList values = {0};
    if (!at(p, op))
        return first;
    push(p, &values, first);
    while (accept(p, op))
        push(p, &values, is_and ? parse_inversion(p) : parse_boolop(p, true));
    e = new_expr(p, E_BOOLOP, start);
    e->v.boolop.is_and = is_and;
    e->v.boolop.values = values;
    return e;
}

static GsExpr *parse_disjunction(Parser *p)
{
    const char *text = peek(p)->start;
    GsExpr *e = parse_boolop(p, false);
    p->last_disj = e;
    p->last_disj_text = text;
    p->last_disj_ts = p->ts;
    return e;
}

static GsExpr *parse_lambda(Parser *p)
{
    GsToken kw = advance(p);
    GsArguments *args = parse_parameters(p, GS_TOK_COLON, false);
    GsExpr *body, *e;
    expect(p, GS_TOK_COLON);
    body = parse_expression(p);
    e = new_expr(p, E_LAMBDA, pos_of(&kw));
    e->v.lambda.args = args;
    e->v.lambda.body = body;
    return e;
}

/* body if test else orelse */
static GsExpr *parse_ifexp(Parser *p, Pos start, GsExpr *body)
{
    GsExpr *test, *orelse, *e;
    advance(p);
    test = parse_disjunction(p);
    if (!at(p, GS_TOK_ELSE)) {
        if (at(p, GS_TOK_COLON))
            syntax_error(p);
        fail_pos(p, start, "expected 'else' after 'if' expression");
    }
    advance(p);
    orelse = parse_expression(p);
    e = new_expr(p, E_IFEXP, start);
    e->v.ifexp.test = test;
    e->v.ifexp.body = body;
    e->v.ifexp.orelse = orelse;
    return e;
}

static GsExpr *parse_expression(Parser *p)
{
    Pos start = here(p);
    GsExpr *e;
    enter(p);
    if (at(p, GS_TOK_LAMBDA)) {
        e = parse_lambda(p);
    } else {
        e = parse_disjunction(p);
        if (at(p, GS_TOK_IF))
            e = parse_ifexp(p, start, e);
    }
    leave(p);
    return e;
}

/* `name := value`, Python 3.8's assignment expression (PEP 572), when a
 * `:=` follows the expression e just parsed: the NamedExpr node, or e
 * itself.  Only a plain name can be the target. */
static GsExpr *parse_walrus(Parser *p, GsExpr *e)
{
    GsExpr *n;
    if (!at(p, GS_TOK_COLONEQUAL))
        return e;
    if (!starts_expression(peek_at(p, 1)->kind) || peek_at(p, 1)->kind == GS_TOK_STAR) {
        advance(p);
        syntax_error(p);
    }
    if (e->kind != E_NAME)
        fail_at_expr(p, e, "cannot use assignment expressions with %s", expr_name(e));
    advance(p);
    set_ctx(e, CTX_STORE);
    GsExpr *value = parse_expression(p);
    n = new_expr(p, E_NAMEDEXPR, (Pos){e->lineno, e->col});
    n->v.namedexpr.target = e;
    n->v.namedexpr.value = value;
    return n;
}

/* Can a token of this kind begin an operand of `==`? */
static bool starts_operand(GsTokKind k)
{
    return starts_expression(k) && k != GS_TOK_LAMBDA && k != GS_TOK_NOT && k != GS_TOK_STAR;
}

/*
 * `if x = 1:` -- an '=' where an expression (not a statement) is expected.
 * CPython guesses that `==` or `:=` was meant if both sides could be
 * operands of `==`.  Never returns.
 */
static _Noreturn void misplaced_assignment(Parser *p, const GsExpr *e, Pos start)
{
    GsToken eq = *peek(p);
    bool bare_name = e->kind == E_NAME && e->col == start.col && e->lineno == start.lineno;
    if ((bare_name || is_operand_kind(e)) && starts_operand(peek_at(p, 1)->kind)) {
        advance(p);
        parse_bitwise_or(p);
        if (!at(p, GS_TOK_EQUAL) && !at(p, GS_TOK_COLONEQUAL)) {
            if (bare_name)
                fail_at_expr(p, e, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
            fail_at_expr(p, e, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                         expr_name(e));
        }
    }
    fail_at(p, &eq, "invalid syntax");
}

/* An expression where Python would also accept `name := value`. */
static GsExpr *parse_named_expression(Parser *p)
{
    Pos start = here(p);
    GsExpr *e = parse_walrus(p, parse_expression(p));
    if (at(p, GS_TOK_EQUAL))
        misplaced_assignment(p, e, start);
    return e;
}

static GsExpr *parse_star_expression(Parser *p)
{
    return at(p, GS_TOK_STAR) ? parse_starred(p) : parse_expression(p);
}

/* `a` or `a, b, *c`: a comma makes a tuple even without parentheses.
 * *bare_tuple (if asked) tells whether that happened. */
static GsExpr *parse_star_expressions(Parser *p, bool *bare_tuple)
{
    Pos start = here(p);
    GsExpr *first = parse_star_expression(p);
    GsNodeList elts = {0};
    if (bare_tuple)
        *bare_tuple = false;
    if (!at(p, GS_TOK_COMMA))
        return first;
    push(p, &elts, first);
    while (accept(p, GS_TOK_COMMA) && starts_expression(kind(p)))
        push(p, &elts, parse_star_expression(p));
    if (bare_tuple)
        *bare_tuple = true;
    return make_seq(p, E_TUPLE, start, elts);
}

/* ---- parameters of def and lambda --------------------------------------- */

static GsArg *parse_param(Parser *p, bool annotations)
{
    GsToken t = expect(p, GS_TOK_NAME);
    GsArg *arg = gs_arena_alloc(p->arena, sizeof *arg);
    arg->name = token_string(p, &t);
    arg->lineno = t.lineno;
    arg->col = t.col;
    if (annotations && accept(p, GS_TOK_COLON))    /* `x: int` in a def */
        arg->annotation = parse_expression(p);
    return arg;
}

/* `*args`, or a bare `*` after which parameters are keyword-only. */
static void parse_star_param(Parser *p, GsArguments *a, bool *star, GsTokKind closer,
                             bool annotations)
{
    GsToken t = advance(p);
    if (*star)
        fail_at(p, &t, "* argument may appear only once");
    *star = true;
    if (at(p, GS_TOK_NAME)) {
        a->vararg = parse_param(p, annotations);
        if (at(p, GS_TOK_EQUAL))
            fail_at(p, peek(p), "var-positional argument cannot have default value");
        return;
    }
    if (at(p, closer) || (at(p, GS_TOK_COMMA) && (peek_at(p, 1)->kind == closer ||
                                                  peek_at(p, 1)->kind == GS_TOK_DOUBLESTAR))) {
        /* CPython's caret: under the '*' in a def, after it in a lambda */
        const GsToken *where = closer == GS_TOK_COLON ? peek_at(p, at(p, closer) ? 0 : 1) : &t;
        fail_at(p, where, "named arguments must follow bare *");
    }
}

static void parse_plain_param(Parser *p, GsArguments *a, bool star, GsTokKind closer,
                              bool annotations)
{
    GsArg *arg = parse_param(p, annotations);
    GsExpr *value = NULL;
    if (at(p, GS_TOK_EQUAL)) {
        GsToken eq = advance(p);
        if (at(p, GS_TOK_COMMA) || at(p, closer))
            fail_at(p, &eq, "expected default value expression");
        value = parse_expression(p);
    }
    if (!at(p, GS_TOK_COMMA) && !at(p, closer))
        syntax_error(p);
    if (star) {
        push(p, &a->kwonlyargs, arg);
        push(p, &a->kw_defaults, value);     /* NULL: no default */
    } else if (value) {
        push(p, &a->args, arg);
        push(p, &a->defaults, value);
    } else {
        if (a->defaults.len > 0)
            fail_pos(p, (Pos){arg->lineno, arg->col},
                     "non-default argument follows default argument");
        push(p, &a->args, arg);
    }
}

/* The `/` that ends the positional-only parameters (PEP 570): those parsed
 * so far.  Messages as CPython 3.11's. */
static void parse_slash(Parser *p, GsArguments *a, bool star, GsTokKind closer)
{
    GsToken slash = *peek(p);
    if (star)
        fail_at(p, &slash, "/ must be ahead of *");
    if (a->posonlyargcount > 0)
        fail_at(p, &slash, "/ may appear only once");
    if (a->args.len == 0) {
        fail_at(p, &slash, closer == GS_TOK_RPAR ? "at least one argument must precede /"
                                                 : "invalid syntax");
    }
    advance(p);
    a->posonlyargcount = a->args.len;
    if (!at(p, GS_TOK_COMMA) && !at(p, closer))
        syntax_error(p);
}

/* Parameters up to `closer` (')' for def, ':' for lambda). */
static GsArguments *parse_parameters(Parser *p, GsTokKind closer, bool annotations)
{
    GsArguments *a = gs_arena_alloc(p->arena, sizeof *a);
    bool star = false;
    while (!at(p, closer)) {
        GsToken t = *peek(p);
        if (a->kwarg)
            fail_at(p, &t, "arguments cannot follow var-keyword argument");
        if (t.kind == GS_TOK_SLASH) {
            parse_slash(p, a, star, closer);
            if (!accept(p, GS_TOK_COMMA))
                break;
            continue;
        }
        if (t.kind == GS_TOK_LPAR) {    /* Python 2 allowed def f((a, b)): */
            if (peek_at(p, 1)->kind == GS_TOK_NAME && (peek_at(p, 2)->kind == GS_TOK_COMMA ||
                                                     peek_at(p, 2)->kind == GS_TOK_RPAR))
                fail_at(p, &t, closer == GS_TOK_RPAR
                        ? "Function parameters cannot be parenthesized"
                        : "Lambda expression parameters cannot be parenthesized");
            fail_at(p, &t, "invalid syntax");
        }
        if (t.kind == GS_TOK_STAR) {
            parse_star_param(p, a, &star, closer, annotations);
        } else if (t.kind == GS_TOK_DOUBLESTAR) {
            advance(p);
            a->kwarg = parse_param(p, annotations);
            if (at(p, GS_TOK_EQUAL))
                fail_at(p, peek(p), "var-keyword argument cannot have default value");
        } else {
            parse_plain_param(p, a, star, closer, annotations);
        }
        if (!accept(p, GS_TOK_COMMA))
            break;
    }
    return a;
}

/* ------------------------------------------------------------------------
 * Simple statements
 * ------------------------------------------------------------------------ */

static bool augassign_op(GsTokKind k, GsBinOp *op)
{
    static const struct { GsTokKind tok; GsBinOp op; } ops[] = {
        {GS_TOK_PLUSEQUAL, OP_ADD}, {GS_TOK_MINEQUAL, OP_SUB}, {GS_TOK_STAREQUAL, OP_MULT},
        {GS_TOK_SLASHEQUAL, OP_DIV}, {GS_TOK_DOUBLESLASHEQUAL, OP_FLOORDIV},
        {GS_TOK_PERCENTEQUAL, OP_MOD}, {GS_TOK_DOUBLESTAREQUAL, OP_POW},
        {GS_TOK_LEFTSHIFTEQUAL, OP_LSHIFT}, {GS_TOK_RIGHTSHIFTEQUAL, OP_RSHIFT},
        {GS_TOK_VBAREQUAL, OP_BITOR}, {GS_TOK_CIRCUMFLEXEQUAL, OP_BITXOR},
        {GS_TOK_AMPEREQUAL, OP_BITAND}, {GS_TOK_ATEQUAL, OP_MATMULT},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (ops[i].tok == k) {
            *op = ops[i].op;
            return true;
        }
    }
    return false;
}

/* The right-hand side of `=` or an augmented assignment. */
static GsExpr *parse_assigned_value(Parser *p)
{
    if (at(p, GS_TOK_YIELD))
        return parse_yield_expr(p);
    return parse_star_expressions(p, NULL);
}

/* a = b = value: every expression but the last is a target. */
static GsStmt *parse_assign(Parser *p, Pos start, GsExpr *first, bool bare_tuple)
{
    GsNodeList targets = {0};
    GsExpr *value = first;
    GsTokKind value_start = GS_TOK_ERROR;
    GsStmt *s;
    while (accept(p, GS_TOK_EQUAL)) {
        push(p, &targets, value);
        value_start = kind(p);
        if (!starts_expression(value_start) && value_start != GS_TOK_YIELD) {
            /* `x() =` and nothing: CPython blames the target first */
            for (int i = 0; i < targets.len; i++)
                make_target(p, GS_NTH(targets, i, GsExpr), CTX_STORE);
            syntax_error(p);
        }
        value = parse_assigned_value(p);
    }
    if (targets.len == 1)
        check_single_assignment(p, first, bare_tuple, value_start);
    for (int i = 0; i < targets.len; i++)
        make_target(p, GS_NTH(targets, i, GsExpr), CTX_STORE);
    s = new_stmt(p, S_ASSIGN, start);
    s->v.assign.targets = targets;
    s->v.assign.value = value;
    return s;
}

static GsStmt *parse_augassign(Parser *p, Pos start, GsExpr *target, GsBinOp op)
{
    bool valid = target->kind == E_NAME || target->kind == E_ATTR ||
                 target->kind == E_SUBSCRIPT;
    GsExpr *value;
    GsStmt *s;
    if (!valid && !starts_expression(peek_at(p, 1)->kind))
        syntax_error(p);
    advance(p);
    value = parse_assigned_value(p);
    if (!valid)
        fail_at_expr(p, target, "'%s' is an illegal expression for augmented assignment",
                     expr_name(target));
    set_ctx(target, CTX_STORE);
    s = new_stmt(p, S_AUGASSIGN, start);
    s->v.augassign.target = target;
    s->v.augassign.op = op;
    s->v.augassign.value = value;
    return s;
}

/* `target: annotation [= value]` (PEP 526), e being the target just
 * parsed.  Only a name, an attribute or a subscript can be annotated; a
 * name in parentheses is not "simple" (its annotation is not stored). */
static GsStmt *parse_annassign(Parser *p, Pos start, GsExpr *e, bool bare_tuple)
{
    GsStmt *s;
    if (e->kind == E_STARRED)    /* `*a: int` */
        syntax_error(p);
    if (e->kind == E_TUPLE || bare_tuple)
        fail_at_expr(p, e, "only single target (not tuple) can be annotated");
    if (e->kind == E_LIST)
        fail_at_expr(p, e, "only single target (not list) can be annotated");
    if (e->kind != E_NAME && e->kind != E_ATTR && e->kind != E_SUBSCRIPT)
        fail_at_expr(p, e, "illegal target for annotation");
    advance(p);
    s = new_stmt(p, S_ANNASSIGN, start);
    s->v.annassign.target = e;
    s->v.annassign.simple = e->kind == E_NAME && e->col == start.col &&
                            e->lineno == start.lineno;
    s->v.annassign.annotation = parse_expression(p);
    if (accept(p, GS_TOK_EQUAL))
        s->v.annassign.value = parse_assigned_value(p);
    set_ctx(e, CTX_STORE);
    s->end_lineno = p->ts->last.end_lineno;
    s->end_col = p->ts->last.end_col;
    return s;
}

/* Expression statement, assignment or augmented assignment: all three
 * start with an expression, and only what follows it tells them apart. */
static GsStmt *parse_expr_statement(Parser *p)
{
    Pos start = here(p);
    bool bare_tuple;
    GsExpr *e = parse_star_expressions(p, &bare_tuple);
    GsBinOp op;
    GsStmt *s;
    if (at(p, GS_TOK_EQUAL))
        return parse_assign(p, start, e, bare_tuple);
    if (augassign_op(kind(p), &op))
        return parse_augassign(p, start, e, op);
    if (e->kind != E_NAME)       /* a bare `x := 1` statement is just invalid */
        parse_walrus(p, e);
    if (at(p, GS_TOK_COLON))
        return parse_annassign(p, start, e, bare_tuple);
    if (e->kind == E_NAME && starts_expression(kind(p)) &&
        (strcmp(e->v.name.id, "print") == 0 || strcmp(e->v.name.id, "exec") == 0))
        fail_at_expr(p, e, "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                     e->v.name.id, e->v.name.id);
    if (e->kind == E_NAME && strcmp(e->v.name.id, "match") == 0 && starts_expression(kind(p)))
        unsupported(p, start, "match statements");
    s = new_stmt(p, S_EXPR, start);
    s->v.expr.value = e;
    return s;
}

/* A statement that starts with `yield`: an expression statement, or the
 * right-hand side of nothing (`yield x = 1` is an error). */
static GsStmt *parse_yield_statement(Parser *p)
{
    Pos start = here(p);
    GsExpr *e = parse_yield_expr(p);
    if (at(p, GS_TOK_EQUAL) || augassign_op(kind(p), &(GsBinOp){0}))
        fail_at_expr(p, e, "assignment to yield expression not possible");
    GsStmt *s = new_stmt(p, S_EXPR, start);
    s->v.expr.value = e;
    return s;
}

static GsStmt *parse_return(Parser *p)
{
    GsToken kw = advance(p);
    GsExpr *value = starts_expression(kind(p)) ? parse_star_expressions(p, NULL) : NULL;
    GsStmt *s = new_stmt(p, S_RETURN, pos_of(&kw));
    s->v.return_.value = value;
    return s;
}

static GsStmt *parse_raise(Parser *p)
{
    GsToken kw = advance(p);
    GsExpr *exc = NULL, *cause = NULL;
    GsStmt *s;
    if (starts_expression(kind(p))) {
        exc = parse_expression(p);
        if (accept(p, GS_TOK_FROM))
            cause = parse_expression(p);
    }
    s = new_stmt(p, S_RAISE, pos_of(&kw));
    s->v.raise.exc = exc;
    s->v.raise.cause = cause;
    return s;
}

static GsStmt *parse_global(Parser *p)
{
    GsToken kw = advance(p);
    GsNodeList names = {0};
    GsStmt *s;
    do
        push(p, &names, (void *)expect_name(p));
    while (accept(p, GS_TOK_COMMA));
    s = new_stmt(p, kw.kind == GS_TOK_GLOBAL ? S_GLOBAL : S_NONLOCAL, pos_of(&kw));
    s->v.global.names = names;
    return s;
}

/* del a, b[0], c.d: each one becomes a target with CTX_DEL. */
static GsStmt *parse_del(Parser *p)
{
    GsToken kw = advance(p);
    GsNodeList targets = {0};
    GsStmt *s;
    do {
        GsExpr *t = parse_star_expression(p);
        make_target(p, t, CTX_DEL);
        push(p, &targets, t);
    } while (accept(p, GS_TOK_COMMA) && starts_expression(kind(p)));
    s = new_stmt(p, S_DELETE, pos_of(&kw));
    s->v.del.targets = targets;
    return s;
}

static GsStmt *parse_assert(Parser *p)
{
    GsToken kw = advance(p);
    GsExpr *test = parse_expression(p), *msg = NULL;
    GsStmt *s;
    if (accept(p, GS_TOK_COMMA))
        msg = parse_expression(p);
    s = new_stmt(p, S_ASSERT, pos_of(&kw));
    s->v.assert_.test = test;
    s->v.assert_.msg = msg;
    return s;
}

/* a.b.c, returned as the single string "a.b.c" like ast.alias.name.  (The
 * parts are joined at the end: the source may have spaces between them.) */
static const char *parse_dotted_name(Parser *p)
{
    GsNodeList parts = {0};
    size_t total = 0;
    char *name, *q;
    do {
        const char *part = expect_name(p);
        push(p, &parts, (void *)part);
        total += strlen(part) + 1;
    } while (accept(p, GS_TOK_DOT));
    name = q = gs_arena_alloc(p->arena, total);
    for (int i = 0; i < parts.len; i++) {
        size_t n = strlen(parts.items[i]);
        memcpy(q, parts.items[i], n);
        q += n;
        *q++ = i + 1 < parts.len ? '.' : '\0';
    }
    return name;
}

static GsAlias *parse_alias(Parser *p, bool dotted)
{
    GsAlias *a = gs_arena_alloc(p->arena, sizeof *a);
    a->name = dotted ? parse_dotted_name(p) : expect_name(p);
    if (accept(p, GS_TOK_AS))
        a->asname = expect_name(p);
    return a;
}

static GsStmt *parse_import(Parser *p)
{
    GsToken kw = advance(p);
    GsNodeList names = {0};
    GsStmt *s;
    do
        push(p, &names, parse_alias(p, true));
    while (accept(p, GS_TOK_COMMA));
    s = new_stmt(p, S_IMPORT, pos_of(&kw));
    s->v.import.names = names;
    return s;
}

/* The names after `from m import`: *, (a, b as c,) or a, b as c. */
static void parse_import_names(Parser *p, GsNodeList *names)
{
    if (at(p, GS_TOK_STAR)) {
        GsAlias *all = gs_arena_alloc(p->arena, sizeof *all);
        advance(p);
        all->name = "*";
        push(p, names, all);
    } else if (accept(p, GS_TOK_LPAR)) {
        do
            push(p, names, parse_alias(p, false));
        while (accept(p, GS_TOK_COMMA) && !at(p, GS_TOK_RPAR));
        expect(p, GS_TOK_RPAR);
    } else {
        for (;;) {
            push(p, names, parse_alias(p, false));
            if (!accept(p, GS_TOK_COMMA))
                break;
            if (at(p, GS_TOK_NEWLINE))
                fail_at(p, peek(p), "trailing comma not allowed without surrounding parentheses");
        }
    }
}

/* from [dots]module import names -- `level` counts the dots, and "..."
 * arrives as one token worth three. */
static GsStmt *parse_from_import(Parser *p)
{
    GsToken kw = advance(p);
    GsNodeList names = {0};
    const char *module = NULL;
    int level = 0;
    GsStmt *s;
    for (;; advance(p)) {
        if (at(p, GS_TOK_DOT))
            level += 1;
        else if (at(p, GS_TOK_ELLIPSIS))
            level += 3;
        else
            break;
    }
    if (level == 0 || at(p, GS_TOK_NAME))
        module = parse_dotted_name(p);
    expect(p, GS_TOK_IMPORT);
    parse_import_names(p, &names);
    s = new_stmt(p, S_IMPORTFROM, pos_of(&kw));
    s->v.importfrom.module = module;
    s->v.importfrom.names = names;
    s->v.importfrom.level = level;
    return s;
}

static GsStmt *parse_simple_statement(Parser *p)
{
    GsToken t = *peek(p);
    switch (t.kind) {
    case GS_TOK_PASS: advance(p); return new_stmt(p, S_PASS, pos_of(&t));
    case GS_TOK_BREAK: advance(p); return new_stmt(p, S_BREAK, pos_of(&t));
    case GS_TOK_CONTINUE: advance(p); return new_stmt(p, S_CONTINUE, pos_of(&t));
    case GS_TOK_RETURN: return parse_return(p);
    case GS_TOK_RAISE: return parse_raise(p);
    case GS_TOK_GLOBAL: case GS_TOK_NONLOCAL: return parse_global(p);
    case GS_TOK_DEL: return parse_del(p);
    case GS_TOK_ASSERT: return parse_assert(p);
    case GS_TOK_IMPORT: return parse_import(p);
    case GS_TOK_FROM: return parse_from_import(p);
    case GS_TOK_YIELD: return parse_yield_statement(p);
    default: return parse_expr_statement(p);
    }
}

/* simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static void parse_simple_statements(Parser *p, GsNodeList *body)
{
    do
        push(p, body, parse_simple_statement(p));
    while (accept(p, GS_TOK_SEMI) && !at(p, GS_TOK_NEWLINE));
    expect(p, GS_TOK_NEWLINE);
}

/* ------------------------------------------------------------------------
 * Compound statements
 * ------------------------------------------------------------------------ */

/*
 * The ':' ending a header.  For most statements CPython 3.10+ says
 * "expected ':'" only when the line ends there; for those whose grammar
 * rule "forces" the colon (def, try, else, finally) it says so whatever
 * token came instead.
 */
static void expect_colon(Parser *p, bool forced)
{
    if (accept(p, GS_TOK_COLON))
        return;
    if (forced || at(p, GS_TOK_NEWLINE))
        fail_at(p, peek(p), "expected ':'");
    syntax_error(p);
}

/* The body after a header's ':': an indented block, or simple statements
 * on the same line (`if x: pass`).  `what` and `line` name the header for
 * "expected an indented block after 'if' statement on line 3". */
static void parse_block(Parser *p, GsNodeList *body, const char *what, int line)
{
    if (!accept(p, GS_TOK_NEWLINE)) {
        parse_simple_statements(p, body);
        return;
    }
    if (!at(p, GS_TOK_INDENT))
        fail_indentation(p, peek(p), "expected an indented block after %s on line %d",
                         what, line);
    advance(p);
    while (!accept(p, GS_TOK_DEDENT))
        parse_statement(p, body);
}

static void parse_else(Parser *p, GsNodeList *orelse)
{
    GsToken kw = advance(p);
    expect_colon(p, true);
    parse_block(p, orelse, "'else' statement", kw.lineno);
}

/* if / elif: an elif is an If inside the orelse of the one before. */
static GsStmt *parse_if(Parser *p)
{
    GsToken kw = advance(p);
    GsNodeList body = {0}, orelse = {0};
    GsExpr *test = parse_named_expression(p);
    GsStmt *s;
    expect_colon(p, false);
    parse_block(p, &body, kw.kind == GS_TOK_IF ? "'if' statement" : "'elif' statement",
                kw.lineno);
    if (at(p, GS_TOK_ELIF)) {
        enter(p);
        push(p, &orelse, parse_if(p));
        leave(p);
    } else if (at(p, GS_TOK_ELSE)) {
        parse_else(p, &orelse);
    }
    s = new_stmt(p, S_IF, pos_of(&kw));
    s->v.if_.test = test;
    s->v.if_.body = body;
    s->v.if_.orelse = orelse;
    return s;
}

static GsStmt *parse_while(Parser *p)
{
    GsToken kw = advance(p);
    GsNodeList body = {0}, orelse = {0};
    GsExpr *test = parse_named_expression(p);
    GsStmt *s;
    expect_colon(p, false);
    parse_block(p, &body, "'while' statement", kw.lineno);
    if (at(p, GS_TOK_ELSE))
        parse_else(p, &orelse);
    s = new_stmt(p, S_WHILE, pos_of(&kw));
    s->v.while_.test = test;
    s->v.while_.body = body;
    s->v.while_.orelse = orelse;
    return s;
}

/* `async_pos`: where the `async` before it was (the statement starts
 * there, as in CPython's AsyncFor), or NULL for a plain `for`. */
static GsStmt *parse_for(Parser *p, const Pos *async_pos)
{
    GsToken kw = advance(p);
    GsNodeList body = {0}, orelse = {0};
    GsExpr *target = parse_target_list(p), *iter;
    GsStmt *s;
    expect(p, GS_TOK_IN);
    iter = parse_star_expressions(p, NULL);
    expect_colon(p, false);
    parse_block(p, &body, "'for' statement", kw.lineno);
    if (at(p, GS_TOK_ELSE))
        parse_else(p, &orelse);
    s = new_stmt(p, S_FOR, async_pos ? *async_pos : pos_of(&kw));
    s->v.for_.is_async = async_pos != NULL;
    s->v.for_.target = target;
    s->v.for_.iter = iter;
    s->v.for_.body = body;
    s->v.for_.orelse = orelse;
    return s;
}

static GsWithItem *parse_with_item(Parser *p)
{
    GsWithItem *item = gs_arena_alloc(p->arena, sizeof *item);
    item->context_expr = parse_expression(p);
    if (accept(p, GS_TOK_AS)) {
        p->with_as_seen = true;
        item->optional_vars = parse_star_expression(p);
        make_target(p, item->optional_vars, CTX_STORE);
    }
    return item;
}

/*
 * Python 3.10's `with (open(a) as f, open(b) as g):`.  Whether the
 * parentheses group the items or belong to an expression, as in
 * `with (a, b) as c:`, shows only after the ')'.  So this is the one place
 * where the parser backtracks: it saves the token stream, tries the
 * grouped form, and if that fails rewinds for the caller to parse the
 * items plainly -- unless an `as` was seen in the parentheses, which no
 * expression can contain: then the grouped form's error stands.
 */
static bool parse_grouped_with_items(Parser *p, GsNodeList *items)
{
    TokenStream *ts = p->ts, saved = *p->ts;
    GsSyntaxError saved_err = *p->err;
    int saved_depth = p->depth, saved_fstring_depth = p->fstring_depth;
    jmp_buf attempt, *outer = p->bail;
    GsNodeList grouped = {0};
    p->with_as_seen = false;
    p->bail = &attempt;
    if (setjmp(attempt) == 0) {
        advance(p);
        do
            push(p, &grouped, parse_with_item(p));
        while (accept(p, GS_TOK_COMMA) && !at(p, GS_TOK_RPAR));
        expect(p, GS_TOK_RPAR);
        p->bail = outer;
        if (at(p, GS_TOK_COLON) || p->with_as_seen) {
            expect_colon(p, false);
            *items = grouped;
            return true;
        }
    }
    /* A failure inside an f-string's field left p->ts on that field's
     * token stream, which lived on the C stack: rewind the file's. */
    p->bail = outer;
    p->ts = ts;
    p->fstring_depth = saved_fstring_depth;
    if (p->with_as_seen)
        longjmp(*p->bail, 1);
    *p->ts = saved;
    *p->err = saved_err;
    p->depth = saved_depth;
    p->no_rescan = false;
    return false;
}

static GsStmt *parse_with(Parser *p, const Pos *async_pos)
{
    GsToken kw = advance(p);
    GsNodeList items = {0}, body = {0};
    GsStmt *s;
    if (!at(p, GS_TOK_LPAR) || !parse_grouped_with_items(p, &items)) {
        do
            push(p, &items, parse_with_item(p));
        while (accept(p, GS_TOK_COMMA));
        expect_colon(p, false);
    }
    parse_block(p, &body, "'with' statement", kw.lineno);
    s = new_stmt(p, S_WITH, async_pos ? *async_pos : pos_of(&kw));
    s->v.with.is_async = async_pos != NULL;
    s->v.with.items = items;
    s->v.with.body = body;
    return s;
}

/* except [type [as name]]: body */
static GsExceptHandler *parse_except(Parser *p)
{
    GsToken kw = advance(p);
    GsExceptHandler *h = gs_arena_alloc(p->arena, sizeof *h);
    h->lineno = kw.lineno;
    h->col = kw.col;
    if (at(p, GS_TOK_STAR))
        unsupported(p, here(p), "except* (exception groups)");
    if (!at(p, GS_TOK_COLON) && !at(p, GS_TOK_NEWLINE)) {
        h->type = parse_expression(p);
        if (at(p, GS_TOK_COMMA))     /* Python 2's "except E, e:" */
            fail_at_expr(p, h->type, "multiple exception types must be parenthesized");
        if (accept(p, GS_TOK_AS))
            h->name = expect_name(p);
    }
    expect_colon(p, false);
    parse_block(p, &h->body, "'except' statement", kw.lineno);
    return h;
}

static GsStmt *parse_try(Parser *p)
{
    GsToken kw = advance(p);
    GsNodeList body = {0}, handlers = {0}, orelse = {0}, finalbody = {0};
    GsStmt *s;
    expect_colon(p, true);
    parse_block(p, &body, "'try' statement", kw.lineno);
    if (!at(p, GS_TOK_EXCEPT) && !at(p, GS_TOK_FINALLY))
        fail_at(p, peek(p), "expected 'except' or 'finally' block");
    while (at(p, GS_TOK_EXCEPT))
        push(p, &handlers, parse_except(p));
    if (handlers.len > 0 && at(p, GS_TOK_ELSE))
        parse_else(p, &orelse);
    if (at(p, GS_TOK_FINALLY)) {
        GsToken fin = advance(p);
        expect_colon(p, true);
        parse_block(p, &finalbody, "'finally' statement", fin.lineno);
    }
    s = new_stmt(p, S_TRY, pos_of(&kw));
    s->v.try_.body = body;
    s->v.try_.handlers = handlers;
    s->v.try_.orelse = orelse;
    s->v.try_.finalbody = finalbody;
    return s;
}

static GsStmt *parse_def(Parser *p, GsNodeList decorators, const Pos *async_pos)
{
    GsToken kw = advance(p);
    GsNodeList body = {0};
    const char *name = expect_name(p);
    GsArguments *args;
    GsExpr *returns = NULL;
    GsStmt *s;
    if (!at(p, GS_TOK_LPAR))
        fail_at(p, peek(p), "expected '('");
    advance(p);
    args = parse_parameters(p, GS_TOK_RPAR, true);
    expect(p, GS_TOK_RPAR);
    if (accept(p, GS_TOK_RARROW))
        returns = parse_expression(p);
    expect_colon(p, true);
    parse_block(p, &body, "function definition", kw.lineno);
    s = new_stmt(p, S_FUNCTIONDEF, async_pos ? *async_pos : pos_of(&kw));
    s->v.funcdef.is_async = async_pos != NULL;
    s->v.funcdef.name = name;
    s->v.funcdef.args = args;
    s->v.funcdef.body = body;
    s->v.funcdef.decorators = decorators;
    s->v.funcdef.returns = returns;
    return s;
}

static GsStmt *parse_class(Parser *p, GsNodeList decorators)
{
    GsToken kw = advance(p);
    GsNodeList bases = {0}, keywords = {0}, body = {0};
    const char *name = expect_name(p);
    GsStmt *s;
    if (accept(p, GS_TOK_LPAR)) {
        parse_arguments(p, &bases, &keywords);
        expect(p, GS_TOK_RPAR);
    }
    expect_colon(p, false);
    parse_block(p, &body, "class definition", kw.lineno);
    s = new_stmt(p, S_CLASSDEF, pos_of(&kw));
    s->v.classdef.name = name;
    s->v.classdef.bases = bases;
    s->v.classdef.keywords = keywords;
    s->v.classdef.body = body;
    s->v.classdef.decorators = decorators;
    return s;
}

/* @decorator lines, then the def or class they decorate. */
static GsStmt *parse_decorated(Parser *p)
{
    GsNodeList decorators = {0};
    while (accept(p, GS_TOK_AT)) {
        push(p, &decorators, parse_named_expression(p));
        expect(p, GS_TOK_NEWLINE);
    }
    if (at(p, GS_TOK_DEF))
        return parse_def(p, decorators, NULL);
    if (at(p, GS_TOK_CLASS))
        return parse_class(p, decorators);
    if (at(p, GS_TOK_ASYNC)) {
        Pos start = here(p);
        advance(p);
        if (at(p, GS_TOK_DEF))
            return parse_def(p, decorators, &start);
    }
    syntax_error(p);
}

/* `async def`, `async for`, `async with`: the same statements, flagged.
 * Whether they are allowed where they stand is the compiler's to say, as
 * in CPython ("'async for' outside async function"). */
static GsStmt *parse_async(Parser *p)
{
    Pos start = here(p);
    GsNodeList none = {0};
    advance(p);
    switch (kind(p)) {
    case GS_TOK_DEF: return parse_def(p, none, &start);
    case GS_TOK_FOR: return parse_for(p, &start);
    case GS_TOK_WITH: return parse_with(p, &start);
    default: syntax_error(p);
    }
}

static void parse_statement(Parser *p, GsNodeList *body)
{
    GsNodeList none = {0};
    switch (kind(p)) {
    case GS_TOK_IF: push(p, body, parse_if(p)); break;
    case GS_TOK_WHILE: push(p, body, parse_while(p)); break;
    case GS_TOK_FOR: push(p, body, parse_for(p, NULL)); break;
    case GS_TOK_TRY: push(p, body, parse_try(p)); break;
    case GS_TOK_WITH: push(p, body, parse_with(p, NULL)); break;
    case GS_TOK_DEF: push(p, body, parse_def(p, none, NULL)); break;
    case GS_TOK_CLASS: push(p, body, parse_class(p, none)); break;
    case GS_TOK_AT: push(p, body, parse_decorated(p)); break;
    case GS_TOK_ASYNC: push(p, body, parse_async(p)); break;
    default: parse_simple_statements(p, body); break;
    }
}

/* ------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------ */

/*
 * CPython, once its parser has failed, runs the tokenizer over the rest of
 * the file: a tokenizer error further down (an unterminated string, a bad
 * character) replaces the parser's error, and so does a bracket left open
 * on a line before the one the parser was looking at -- that is how
 * `print(1` followed by `x = 2` becomes "'(' was never closed" instead of
 * "invalid syntax" on line 2.
 */
static void rescan_for_lexer_errors(Parser *p)
{
    GsLexer *lx = &p->file.lx;
    GsToken t;
    if (p->err_from_lexer || p->no_rescan)   /* CPython skips it after */
        return;                              /* "unexpected indent" */
    while (gs_lexer_next(lx, &t) != GS_TOK_ENDMARKER && t.kind != GS_TOK_ERROR)
        continue;
    if (t.kind != GS_TOK_ERROR)
        return;
    if (lx->err_kind == GS_LEXERR_HARD ||
        (lx->err_kind == GS_LEXERR_UNCLOSED && lx->err.lineno < p->file.far_line))
        *p->err = lx->err;
}

/* CPython's caret column counts characters, the lexer's counts bytes. */
static void byte_to_char_column(const char *src, size_t len, GsSyntaxError *err)
{
    const char *s = src, *end = src + len, *line_end;
    int chars = 0, bytes;
    for (int line = 1; line < err->lineno && s < end; s++)
        if (*s == '\n')
            line++;
    for (line_end = s; line_end < end && *line_end != '\n'; line_end++)
        continue;
    if (err->col <= 1)
        return;
    bytes = err->col - 1;
    for (const char *c = s; c < s + bytes && c < line_end; c++)
        chars += ((unsigned char)*c & 0xC0) != 0x80;
    if (bytes > line_end - s)
        chars += bytes - (int)(line_end - s);
    err->col = chars + 1;
}

/* Python reads "\r\n" and a lone "\r" as "\n"; so does gilscope. */
static char *normalize_newlines(GsArena *arena, const char *src, size_t len, size_t *out_len)
{
    char *copy = gs_arena_alloc(arena, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == '\r') {
            copy[n++] = '\n';
            if (i + 1 < len && src[i + 1] == '\n')
                i++;
        } else {
            copy[n++] = src[i];
        }
    }
    copy[n] = '\0';
    *out_len = n;
    return copy;
}

/* Parse the whole file; on a syntax error, NULL with *p->err filled. */
static GsModuleAst *parse_module(Parser *p)
{
    jmp_buf bail;
    GsModuleAst *module;
    p->bail = &bail;
    if (setjmp(bail) != 0) {     /* every fail_* function lands here */
        rescan_for_lexer_errors(p);
        return NULL;
    }
    module = gs_arena_alloc(p->arena, sizeof *module);
    while (!at(p, GS_TOK_ENDMARKER))
        parse_statement(p, &module->body);
    return module;
}

GsModuleAst *gs_parse(GsArena *arena, const char *source, size_t len, GsSyntaxError *err)
{
    GsSyntaxError unused;
    GsModuleAst *module;
    Parser *p;
    size_t n;
    const char *src = normalize_newlines(arena, source, len, &n);
    if (!err)
        err = &unused;
    memset(err, 0, sizeof *err);
    if (n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {   /* UTF-8 byte order mark */
        src += 3;
        n -= 3;
    }
    if (!gs_lex_check_source(src, n, err)) {
        byte_to_char_column(src, n, err);
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (!p)
        out_of_memory();
    p->arena = arena;
    p->err = err;
    p->ts = &p->file;
    gs_lexer_init(&p->file.lx, src, n);
    module = parse_module(p);
    if (!module)
        byte_to_char_column(src, n, err);
    free(p);
    return module;
}
