# `super` used in a lambda or comprehension inside a method makes the
# class create the __class__ cell (gilscope crashed here).
class A:
    def f(self):
        return 1


class B(A):
    def g(self):
        return (lambda: super(B, self).f() + 1)()

    def h(self):
        try:
            return (lambda: super().f())()
        except RuntimeError as e:
            return str(e)


print(B().g())
print(B().h())
