# gilscope: dis
# CPython 3.9 folds a shift of constants whenever the result is an int it
# can build: -1 << 63 (which fits 64 bits) and any >>, however large the
# count.  A negative count is left for run time (ValueError then).
a = -1 << 63
b = 5 >> 64
c = -5 >> 100
d = -2 << 62
e = 3 >> -1
