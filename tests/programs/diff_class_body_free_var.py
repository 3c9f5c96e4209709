# A class body that assigns x, inside a function that has a local x used
# by a method: the method's x is the function's, so the class body passes
# the cell on (gilscope crashed here).
def f():
    x = 1

    class C:
        x = 2

        def m(self):
            return x

    return C().m(), C.x


print(f())
