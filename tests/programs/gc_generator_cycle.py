# A suspended generator caught in a reference cycle: the cycle collector
# closes it before freeing it (CPython 3.4+, PEP 442), so its `finally`
# and `with` exits run.  (How many objects gc.collect() counts depends
# on frame objects, which gilscope does not have: not printed here.)
import gc


class Resource:
    def __enter__(self):
        print("enter")
        return self

    def __exit__(self, *exc):
        print("exit", exc[0].__name__ if exc[0] else None)
        return False


def worker(box):
    try:
        with Resource():
            while True:
                yield len(box)
    finally:
        print("finally runs")


gc.collect()
box = []
g = worker(box)
box.append(g)              # box -> generator -> frame -> box
print(next(g))
del g, box
print("dropped; collecting")
gc.collect()
print("collected")


# A generator that refers to itself through its own frame.
def selfish():
    me = yield
    try:
        yield "running"
    finally:
        print("selfish closed")


s = selfish()
next(s)
print(s.send(s))
del s
gc.collect()
print("collected")
print("end")
