# gilscope: dis
# CPython 3.9's AST optimizer rewrites `not a in b` to `a not in b`,
# `not a is b` to `a is not b` (and back for `not in` / `is not`), in
# value and in condition position.
def f(a, l):
    if not a in l:
        return not a is None
    return not a not in l, not a is not l
