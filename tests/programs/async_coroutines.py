# Coroutines driven by hand: a tiny event loop (no asyncio), the
# coroutine object's methods and attributes, and CPython's errors.


class Sleep:
    """An awaitable: its __await__ is a generator, and what it yields goes
    all the way up to whoever called send() -- the event loop."""

    def __init__(self, ticks):
        self.ticks = ticks

    def __await__(self):
        woken_at = yield ("sleep", self.ticks)
        return woken_at


class Loop:
    """A round-robin scheduler: that is all an event loop is.  It keeps a
    list of coroutines, sends each the time it wakes up at, and reads what
    it waits for next."""

    def __init__(self):
        self.now = 0
        self.ready = []      # (wake-up time, order, name, coroutine)
        self.order = 0
        self.results = {}

    def spawn(self, name, coro):
        self.ready.append((self.now, self.order, name, coro))
        self.order += 1

    def run(self):
        while self.ready:
            self.ready.sort()
            when, _, name, coro = self.ready.pop(0)
            self.now = when
            try:
                # A coroutine's first send() must be None: it starts it.
                started = coro.cr_await is not None
                what, ticks = coro.send(self.now if started else None)
            except StopIteration as stop:
                self.results[name] = stop.value
                print("t=%d %s finished -> %r" % (self.now, name, stop.value))
                continue
            self.ready.append((self.now + ticks, self.order, name, coro))
            self.order += 1


async def worker(name, steps, delay):
    total = 0
    for i in range(steps):
        t = await Sleep(delay)
        assert t is not None
        print("t=%d %s step %d" % (t, name, i))
        total += t
    return total


async def pair():
    a = await worker("inner-a", 2, 1)
    b = await worker("inner-b", 1, 2)
    return a, b


loop = Loop()
loop.spawn("fast", worker("fast", 3, 1))
loop.spawn("slow", worker("slow", 2, 3))
loop.spawn("pair", pair())
loop.run()
print(sorted(loop.results.items()))

# ---- the object itself ------------------------------------------------------


async def add(a, b):
    return a + b

c = add(1, 2)
print(type(c).__name__, c.__name__, c.__qualname__, c.cr_code.co_name)
print(repr(c).startswith("<coroutine object add at 0x"))
print(c.cr_running, c.cr_await)
try:
    c.send(None)
except StopIteration as e:
    print("returned", e.value)
try:
    c.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)


async def nested():
    return await add(2, 3) * 10

n = nested()
try:
    n.send(None)
except StopIteration as e:
    print("nested", e.value)

# cr_await: what a suspended coroutine waits on
async def waits():
    return await Sleep(5)

w = waits()
print(w.send(None))
print(type(w.cr_await).__name__)
try:
    w.send(99)
except StopIteration as e:
    print("woken with", e.value, w.cr_await)

# send a non-None value first
w2 = waits()
try:
    w2.send(1)
except TypeError as e:
    print("TypeError:", e)
w2.close()

# throw() goes to where it is suspended
async def guarded():
    try:
        await Sleep(1)
    except KeyError as e:
        print("caught", repr(e))
        return "recovered"

g = guarded()
g.send(None)
try:
    g.throw(KeyError("k"))
except StopIteration as e:
    print("throw ->", e.value)

# close() runs finally blocks; ignoring GeneratorExit is an error
async def stubborn():
    try:
        await Sleep(1)
    finally:
        print("finally runs")
        await Sleep(2)

s = stubborn()
s.send(None)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)


async def tidy():
    try:
        await Sleep(1)
    finally:
        print("tidy finally")

t = tidy()
t.send(None)
print(t.close())

# StopIteration inside a coroutine is a RuntimeError (PEP 479)
async def leaky():
    raise StopIteration("oops")

try:
    leaky().send(None)
except RuntimeError as e:
    print("RuntimeError:", e, "| cause:", repr(e.__cause__))

# ---- what can be awaited ------------------------------------------------------


async def await_it(x):
    return await x

for bad in (5, "text", [1]):
    try:
        await_it(bad).send(None)
    except TypeError as e:
        print("TypeError:", e)


class BadAwait:
    def __await__(self):
        return 42


try:
    await_it(BadAwait()).send(None)
except TypeError as e:
    print("TypeError:", e)


class CoroAwait:
    def __await__(self):
        return add(1, 1)


try:
    await_it(CoroAwait()).send(None)
except TypeError as e:
    print("TypeError:", e)


class IterAwait:
    def __await__(self):
        return iter([])


try:
    await_it(IterAwait()).send(None)
except StopIteration as e:
    print("an empty iterator gives", e.value)


class Delegating:
    """__await__ may hand over to a coroutine's own __await__()."""

    def __await__(self):
        return add(20, 22).__await__()


try:
    await_it(Delegating()).send(None)
except StopIteration as e:
    print("delegated", e.value)

# awaiting the same coroutine from two places
shared = waits()


async def first():
    return await shared

f1 = first()
f1.send(None)
try:
    await_it(shared).send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
f1.close()
print("closed:", shared.cr_await)

# a coroutine is not iterable
try:
    iter(add(1, 2).__await__())
    for x in add(3, 4):
        pass
except TypeError as e:
    print("TypeError:", e)


def gen():
    yield from add(1, 2)

try:
    list(gen())
except TypeError as e:
    print("TypeError:", e)
