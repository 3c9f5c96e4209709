# gilscope: dis
# The name `super` in a lambda / comprehension nested in a method is a use
# of __class__: the method passes the cell on (LOAD_CLOSURE __class__) and
# the class body creates it.
class A:
    def f(self):
        return 1


class B(A):
    def g(self):
        return [super().f() for _ in range(2)]
