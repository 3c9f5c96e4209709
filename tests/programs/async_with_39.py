# gilscope-only: CPython 3.9's words for an `async with` on an object that is not an asynchronous context manager (3.11 raises a TypeError instead)


def run(coro):
    try:
        while True:
            coro.send(None)
    except StopIteration as stop:
        return stop.value


class OnlySync:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class NoAexit:
    async def __aenter__(self):
        return self


async def use(m):
    async with m:
        print("inside")

for m in (OnlySync(), NoAexit(), 42):
    try:
        run(use(m))
    except AttributeError as e:
        print(type(e).__name__, e)
