# gilscope: dis
# The class body both assigns x (STORE_NAME) and passes the enclosing
# function's cell for x to its method (LOAD_CLOSURE of a free variable).
def f():
    x = 1

    class C:
        x = 2

        def m(self):
            return x

    return C
