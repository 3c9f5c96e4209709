# gilscope: dis
# CPython 3.9 compiles the defaults to LOAD_CONST 1; LOAD_CONST 'x';
# BUILD_TUPLE 2, then its peephole optimizer folds them into one constant
# appended at the END of co_consts: 1 and 'x' keep slots 0 and 1, and the
# first instruction loads constant 6, the tuple (1, 'x').
def f(a, b=1, c="x"):
    return a


f(0)
