# gilscope: dis
# After a sub-expression on a later line, CPython 3.9 goes back to the
# line of the enclosing expression (compiler_visit_expr restores
# u_lineno), so the operator / call / BUILD_* gets the first line again.
def f(a, b):
    return (a +
            b)


print(1,
      2)
d = {'a': 1,
     'b': 2}


def g(a,
      b=3):
    pass
