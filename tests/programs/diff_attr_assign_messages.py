# gilscope-only: CPython 3.9's wording of these TypeErrors (3.10+ reworded them), checked against python3.9
def tr(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__ + ":", e)


class A:
    pass


class C(A):
    pass


class E(Exception):
    pass


def f():
    pass


tr(lambda: setattr(f, '__class__', A))
tr(lambda: setattr(1, '__class__', A))
tr(lambda: setattr(A(), '__class__', int))
tr(lambda: delattr(C, '__bases__'))
tr(lambda: setattr(C, '__bases__', (E,)))
tr(lambda: setattr(E, '__bases__', (object,)))
tr(lambda: setattr(int, '__bases__', (object,)))
tr(lambda: setattr(int, 'x', 1))
