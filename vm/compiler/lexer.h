/*
 * lexer.h -- the tokenizer: Python 3 source (UTF-8) in, tokens out.
 *
 * Private to the parser (vm/compiler/parser.c); nothing else in gilscope needs it.
 *
 * The lexer is pulled one token at a time, the way CPython's tokenizer is
 * driven by its parser.  That matters for error messages: a tokenizer
 * error on line 9 must not hide a grammar error on line 3, because python3
 * would report line 3 first.
 *
 * Besides NAME, NUMBER, STRING and the operators, the lexer produces the
 * three tokens that make Python's indentation a grammar:
 *   NEWLINE  at the end of every logical line (never inside brackets,
 *            never for blank or comment-only lines),
 *   INDENT   when a line is indented deeper than the one before,
 *   DEDENT   once for every indentation level a line closes.
 * So   "if x:\n    y\nz\n"  becomes
 *   if x : NEWLINE INDENT y NEWLINE DEDENT z NEWLINE ENDMARKER
 *
 * Positions: `lineno` is 1-based, `col` a 0-based byte offset in the line,
 * as in ast.h.  Errors are written to a GsSyntaxError with a 1-based *byte*
 * column; gs_parse converts it to CPython's character offset at the end.
 */
#ifndef GS_LEXER_H
#define GS_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/*
 * Every token kind with its spelling.  The operators and keywords are
 * listed with their exact source text, which the lexer uses to recognise
 * them (so a new operator is one line here).  Keep the groups contiguous:
 * the lexer scans the ranges GS_TOK_FIRST_OP..GS_TOK_LAST_OP and
 * GS_TOK_FIRST_KW..GS_TOK_LAST_KW.
 */
#define GS_TOKEN_LIST(X)                                                      \
    /* structure */                                                           \
    X(ENDMARKER, "end of file")                                               \
    X(NEWLINE, "newline")                                                     \
    X(INDENT, "indent")                                                       \
    X(DEDENT, "unindent")                                                     \
    X(NAME, "name")                                                           \
    X(NUMBER, "number")                                                       \
    X(STRING, "string")                                                       \
    X(UNKNOWN, "character")     /* $ ? ! ` : a byte that starts no token */   \
    X(ERROR, "error")           /* the lexer failed; see GsLexer.err */       \
    /* operators and delimiters */                                            \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]")                       \
    X(LBRACE, "{") X(RBRACE, "}")                                             \
    X(COLON, ":") X(COMMA, ",") X(SEMI, ";") X(DOT, ".")                      \
    X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/")                     \
    X(VBAR, "|") X(AMPER, "&") X(LESS, "<") X(GREATER, ">")                   \
    X(EQUAL, "=") X(PERCENT, "%") X(TILDE, "~") X(CIRCUMFLEX, "^")            \
    X(AT, "@")                                                                \
    X(EQEQUAL, "==") X(NOTEQUAL, "!=") X(LESSEQUAL, "<=")                     \
    X(GREATEREQUAL, ">=") X(LEFTSHIFT, "<<") X(RIGHTSHIFT, ">>")              \
    X(DOUBLESTAR, "**") X(DOUBLESLASH, "//") X(RARROW, "->")                  \
    X(COLONEQUAL, ":=") X(ELLIPSIS, "...")                                    \
    X(PLUSEQUAL, "+=") X(MINEQUAL, "-=") X(STAREQUAL, "*=")                   \
    X(SLASHEQUAL, "/=") X(DOUBLESLASHEQUAL, "//=") X(PERCENTEQUAL, "%=")      \
    X(DOUBLESTAREQUAL, "**=") X(RIGHTSHIFTEQUAL, ">>=")                       \
    X(LEFTSHIFTEQUAL, "<<=") X(AMPEREQUAL, "&=") X(CIRCUMFLEXEQUAL, "^=")     \
    X(VBAREQUAL, "|=") X(ATEQUAL, "@=")                                       \
    /* keywords */                                                            \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True")                         \
    X(AND, "and") X(AS, "as") X(ASSERT, "assert") X(ASYNC, "async")           \
    X(AWAIT, "await") X(BREAK, "break") X(CLASS, "class")                     \
    X(CONTINUE, "continue") X(DEF, "def") X(DEL, "del") X(ELIF, "elif")       \
    X(ELSE, "else") X(EXCEPT, "except") X(FINALLY, "finally") X(FOR, "for")   \
    X(FROM, "from") X(GLOBAL, "global") X(IF, "if") X(IMPORT, "import")       \
    X(IN, "in") X(IS, "is") X(LAMBDA, "lambda") X(NONLOCAL, "nonlocal")       \
    X(NOT, "not") X(OR, "or") X(PASS, "pass") X(RAISE, "raise")               \
    X(RETURN, "return") X(TRY, "try") X(WHILE, "while") X(WITH, "with")       \
    X(YIELD, "yield")

typedef enum {
#define GS_TOK_ENUM(name, text) GS_TOK_##name,
    GS_TOKEN_LIST(GS_TOK_ENUM)
#undef GS_TOK_ENUM
    GS_TOK_COUNT
} GsTokKind;

#define GS_TOK_FIRST_OP GS_TOK_LPAR
#define GS_TOK_LAST_OP  GS_TOK_ATEQUAL
#define GS_TOK_FIRST_KW GS_TOK_FALSE
#define GS_TOK_LAST_KW  GS_TOK_YIELD

/* "(" for GS_TOK_LPAR, "while" for GS_TOK_WHILE, "name" for GS_TOK_NAME. */
const char *gs_token_text(GsTokKind kind);

/* String prefix flags (GsToken.str_flags). */
enum { GS_STR_RAW = 1, GS_STR_BYTES = 2, GS_STR_FSTRING = 4 };

typedef struct {
    GsTokKind kind;
    const char *start, *end;     /* the token's bytes in the source */
    int lineno, col;             /* where it starts */
    int end_lineno, end_col;     /* just past its last byte */
    int level;                   /* brackets open after it, counting those
                                    around an f-string field (see below) */
    /* NUMBER */
    bool is_float;
    int64_t ival;
    int big_base;                /* an int beyond int64: its base (else 0), */
    const char *big_digits;      /* and its digits, up to `end` (with '_') */
    double fval;
    /* STRING: the text between the quotes, undecoded (see gs_lex_decode) */
    unsigned str_flags;
    const char *body;
    size_t body_len;
} GsToken;

/*
 * CPython tells apart tokenizer errors that it raises on the spot from
 * those it only notices when the parser gives up; the difference decides
 * which error wins when the parser has already failed earlier in the file
 * (see `rescan_for_lexer_errors` in parser.c).
 */
typedef enum {
    GS_LEXERR_NONE,
    GS_LEXERR_HARD,      /* bad character, unterminated string, ... */
    GS_LEXERR_UNCLOSED,  /* end of file inside brackets: "'(' was never closed" */
    GS_LEXERR_SOFT       /* indentation errors, end of file after a backslash */
} GsLexErrKind;

/* Limits taken from CPython's tokenizer (MAXLEVEL, MAXINDENT). */
#define GS_LEX_MAX_PARENS 200
#define GS_LEX_MAX_INDENT 100

typedef struct {
    const char *src;             /* the whole source: error columns count from here */
    const char *end;             /* one past the last byte this lexer reads */
    const char *cur;             /* next byte to read */
    const char *line_start;      /* first byte of the current physical line */
    int lineno;

    /* Indentation stack.  `indent` counts a tab as up to the next multiple
     * of 8 columns, `altindent` as one column; if the two disagree about
     * which of two lines is deeper, the file mixes tabs and spaces in a way
     * whose meaning depends on the tab size: a TabError, as in CPython. */
    int indent[GS_LEX_MAX_INDENT], altindent[GS_LEX_MAX_INDENT];
    int nindent;
    int pending;                 /* > 0: INDENTs still to emit; < 0: DEDENTs */
    bool at_line_start;          /* must measure indentation before the next token */

    /* Open brackets, innermost last, with where they were opened. */
    char paren[GS_LEX_MAX_PARENS];
    int paren_line[GS_LEX_MAX_PARENS], paren_col[GS_LEX_MAX_PARENS];
    int nparen;
    int paren_base;              /* brackets open outside this lexer's text */

    bool fstring_expr;           /* lexing one f-string replacement field */
    bool line_has_token;         /* the current logical line produced a token */
    bool done;                   /* ENDMARKER returned */

    GsSyntaxError err;           /* filled when a GS_TOK_ERROR is returned */
    GsLexErrKind err_kind;
} GsLexer;

/* Lex `len` bytes of `src` (which need not be NUL-terminated). */
void gs_lexer_init(GsLexer *lx, const char *src, size_t len);

/*
 * Lex the expression of an f-string replacement field, [begin, end), which
 * lies inside the source at line `lineno`, whose first byte is
 * `line_start`.  Newlines are ignored as inside brackets, and no
 * NEWLINE/INDENT/DEDENT tokens are produced: just the tokens, then
 * ENDMARKER.  Positions are real positions in the file.  `level` is the
 * number of brackets already open around the field, which itself counts
 * as one (CPython parses it in parentheses): the limit of
 * GS_LEX_MAX_PARENS applies to the total.
 */
void gs_lexer_init_fstring(GsLexer *lx, const char *src, const char *begin,
                           const char *end, int lineno, const char *line_start, int level);

/* The next token.  After GS_TOK_ERROR or GS_TOK_ENDMARKER, returns the same
 * kind again forever. */
GsTokKind gs_lexer_next(GsLexer *lx, GsToken *tok);

/*
 * Check that the whole source is UTF-8 without NUL bytes.  Returns false
 * and fills *err (CPython's wording) if not.  A leading UTF-8 byte order
 * mark is allowed; gs_parse skips it.
 */
bool gs_lex_check_source(const char *src, size_t len, GsSyntaxError *err);

/*
 * Decode the body of a string literal (the bytes between the quotes) to
 * UTF-8: escapes are replaced unless `raw`.  `out` needs room for n + 1
 * bytes, because no escape is shorter than what it stands for.  Returns
 * the decoded length, or -1 with CPython's message written to msg.
 */
long gs_lex_decode(const char *s, size_t n, bool raw, char *out, char *msg, size_t msglen);

#endif
