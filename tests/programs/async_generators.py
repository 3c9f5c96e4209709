# Asynchronous generators (PEP 525): `async def` with `yield`, driven by
# hand.  asend()/__anext__() return an awaitable whose result is the next
# item; an await inside the generator passes its request up to the loop.


def run(coro):
    """A minimal event loop: answer each request with its number."""
    answer, count = None, 0
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


async def ticker(n):
    try:
        for i in range(n):
            got = await Tick("tick %d" % i)
            sent = yield i * 10
            print("ticker: woke with", got, "sent", sent)
    finally:
        print("ticker: finally")


async def consume():
    async for v in ticker(3):
        print("consumed", v)
    return "consumed all"

print(run(consume()))

ag = ticker(2)
print(type(ag).__name__, ag.__name__, ag.__qualname__, ag.ag_code.co_name)
print(repr(ag).startswith("<async_generator object ticker at 0x"))
print(ag.__aiter__() is ag, ag.ag_running, ag.ag_await)


async def step_by_step():
    first = await ag.__anext__()
    print("first", first)
    second = await ag.asend("hello")
    print("second", second)
    try:
        await ag.__anext__()
    except StopAsyncIteration:
        print("StopAsyncIteration: exhausted")
    try:
        await ag.asend(None)
    except StopAsyncIteration:
        print("StopAsyncIteration again")
    return "stepped"

print(run(step_by_step()))

# An asend() awaitable by hand: what it yields is the await's request;
# its StopIteration carries the item.
ag2 = ticker(1)
a = ag2.asend(None)
print(type(a).__name__)
print("request:", a.send(None))
print("running while an asend is awaited:", ag2.ag_running)
try:
    ag2.asend(None).send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    a.send(1)
except StopIteration as e:
    print("item:", e.value)
try:
    a.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)


# athrow() and aclose()
async def careful():
    try:
        yield 1
    except ValueError as e:
        print("careful caught", repr(e))
        yield "after error"
    finally:
        await Tick("cleanup")
        print("careful cleaned up")


async def throw_and_close():
    c = careful()
    print(await c.__anext__())
    print(await c.athrow(ValueError("bad")))
    await c.aclose()
    print("closed")
    try:
        await c.__anext__()
    except StopAsyncIteration:
        print("StopAsyncIteration after aclose")
    return "thrown"

print(run(throw_and_close()))


async def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2


async def close_stubborn():
    s = stubborn()
    await s.__anext__()
    try:
        await s.aclose()
    except RuntimeError as e:
        print("RuntimeError:", e)

run(close_stubborn())


async def leaks_stop():
    raise StopAsyncIteration
    yield


async def leaks_stop_iteration():
    raise StopIteration
    yield


async def drive(agen):
    try:
        await agen.__anext__()
    except RuntimeError as e:
        print("RuntimeError:", e)

run(drive(leaks_stop()))
run(drive(leaks_stop_iteration()))

# athrow into a just-started generator raises at once; errors of asend
f = ticker(1)
try:
    f.athrow(KeyError, "k").send(None)
except KeyError as e:
    print("KeyError:", e)
try:
    ticker(1).asend(5).send(None)
except TypeError as e:
    print("TypeError:", e)


# dropped while suspended: closed, its finally runs
async def endless():
    try:
        while True:
            yield 1
    finally:
        print("endless finally")


async def take_one():
    e = endless()
    print("took", await e.__anext__())

run(take_one())
print("end")
