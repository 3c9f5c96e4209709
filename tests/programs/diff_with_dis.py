# gilscope: dis
# with, with `as`, several items, nested with, return from inside a with.
class CM:
    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        return False


with CM():
    pass
with CM() as a, CM() as b:
    print(a, b)


def f():
    with CM() as c:
        with CM():
            return c


def g(l):
    for i in l:
        with CM() as d:
            if i:
                break
    return d
