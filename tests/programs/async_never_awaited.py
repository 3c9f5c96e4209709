# A coroutine freed before it ever ran was never awaited: CPython warns on
# stderr (once per line, as the warnings module does), at the line that
# dropped it -- a `del`, the end of a statement, a function returning.
async def f():
    return 1


def g():
    c = f()
    print("made", c.__name__)


x = f()
print("x")
del x
f()
g()
for i in range(3):
    f()
f()
