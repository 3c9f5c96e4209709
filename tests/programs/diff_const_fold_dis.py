# gilscope: dis
# Constant folding that CPython 3.9's AST optimizer does: subscripts of
# constants, int ** negative int, float // % **, int/float mixes, tuple
# + tuple, tuple * int, bool * str, `not` of a constant tuple, and
# (-3) << 7.  It does not fold 'ab' * -1 (a negative repeat count).
a = (1, 2)[0]
b = 'abc'[1]
c = 2 ** -1
d = 2.5 ** 2
e = 7.5 // 2
f = -7 % 2.5
g = (1, 2) + (3,)
h = (1, 2) * 2
i = True * 'ab'
j = not ()
k = -3 << 7
m = 'ab' * -1
n = -(1, 2)[0]
