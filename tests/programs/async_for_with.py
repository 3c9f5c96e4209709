# async with and async for, driven by hand: run() plays the event loop.


def run(coro):
    """Drive a coroutine to its end, answering every request it makes
    with the number of requests so far (a stand-in for an event loop)."""
    answer = None
    count = 0
    while True:
        try:
            request = coro.send(answer)
        except StopIteration as stop:
            return stop.value
        count += 1
        print("  loop got", request)
        answer = count


class Tick:
    def __init__(self, label):
        self.label = label

    def __await__(self):
        return (yield self.label)


class Resource:
    """An asynchronous context manager: entering and leaving may wait."""

    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow

    async def __aenter__(self):
        got = await Tick("open " + self.name)
        print("entered", self.name, "after", got)
        return self

    async def __aexit__(self, typ, val, tb):
        await Tick("close " + self.name)
        print("exited", self.name, typ.__name__ if typ else None, val)
        return self.swallow


async def use_resources():
    async with Resource("a") as a, Resource("b") as b:
        print("inside with", a.name, b.name)
    async with Resource("c", swallow=True):
        raise ValueError("swallowed")
    try:
        async with Resource("d"):
            raise KeyError("escapes")
    except KeyError as e:
        print("caught", repr(e))
    for i in range(3):
        async with Resource("loop%d" % i):
            if i == 1:
                break
    return "resources done"

print(run(use_resources()))


class Countdown:
    """An asynchronous iterator: __anext__ returns an awaitable."""

    def __init__(self, n):
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.n == 0:
            raise StopAsyncIteration
        await Tick("next %d" % self.n)
        self.n -= 1
        return self.n + 1


async def use_iterators():
    async for i in Countdown(3):
        print("item", i)
    else:
        print("loop else")
    async for i in Countdown(5):
        if i == 4:
            continue
        if i == 2:
            break
        print("item", i)
    squares = [i * i async for i in Countdown(3)]
    evens = {i: i % 2 == 0 async for i in Countdown(2)}
    awaited = [await Tick(x) for x in "ab"]
    nested = [(x, y) async for x in Countdown(2) for y in range(x)]
    print(squares, evens, awaited, nested)
    gen = (i + 100 async for i in Countdown(2))
    print(type(gen).__name__)
    async for v in gen:
        print("from genexp", v)
    return "iterators done"

print(run(use_iterators()))


async def returns_inside():
    async for i in Countdown(3):
        async with Resource("r"):
            return i * 10

print(run(returns_inside()))

# ---- errors ----------------------------------------------------------------


async def bad_for(x):
    async for i in x:
        pass


class NoANext:
    def __aiter__(self):
        return 1


class BadANext:
    def __aiter__(self):
        return self

    def __anext__(self):
        return 5


for thing in ([1, 2], NoANext(), BadANext()):
    try:
        run(bad_for(thing))
    except TypeError as e:
        print("TypeError:", e)
        if e.__cause__:
            print("  cause:", e.__cause__)


class PlainEnter:
    async def __aenter__(self):
        return self

    def __aexit__(self, *exc):
        return None


class NotAwaitableEnter:
    def __aenter__(self):
        return 1

    async def __aexit__(self, *exc):
        return None


async def bad_with(m):
    async with m:
        print("inside bad_with")

for m in (PlainEnter(), NotAwaitableEnter()):
    try:
        run(bad_with(m))
    except TypeError as e:
        print("TypeError:", e)


async def stop_async():
    raise StopAsyncIteration("not the end")

try:
    run(stop_async())
except StopAsyncIteration as e:
    print("a coroutine may raise StopAsyncIteration:", e)
