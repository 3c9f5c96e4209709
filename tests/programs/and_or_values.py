# and / or return one of their operands, and short-circuit.
print(1 and 2, 0 and 2, 1 or 2, 0 or 2)
print("" or "default", "set" or "default", None or [], [] and "never")
print(None and 1, 0 or 0.0, 0.0 or "", "x" and "y" and "z")
print(not 0, not 1, not "", not [0], not None)

def side(tag, result):
    print("called", tag)
    return result

print(side("a", 0) and side("b", 1))
print(side("c", 1) and side("d", 0))
print(side("e", "hit") or side("f", "miss"))
print(side("g", "") or side("h", "fallback"))
x = 7
print(x > 5 and x < 10, x < 5 or x == 7, not (x == 7))
name = ""
print(name or "anonymous")
items = [1, 2]
print(items and items[0])
