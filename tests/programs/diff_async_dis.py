# gilscope: dis
# async def, await, async for / with (with else, break, continue, return
# inside), async comprehensions and generator expressions, async generators.
async def f(a, b):
    x = await a
    async for i in b:
        if i:
            break
        await i
    else:
        x = 2
    async with a as c, b:
        await c
    async with a:
        return x
    return [i async for i in b if await i]

async def g(xs):
    y = {k: await v for k, v in xs}
    z = (await q async for q in xs)
    async for i in xs:
        continue
    try:
        async with xs:
            pass
    finally:
        pass
    return [await q for q in xs], y, z

async def agen(n):
    for i in range(n):
        yield i
        await agen
    async for j in agen(1):
        yield j

def plain(xs):
    return (x async for x in xs)


async def nested_with(a, b):
    async with a:
        async with b as c:
            return c
    for x in a:
        async with x:
            continue
