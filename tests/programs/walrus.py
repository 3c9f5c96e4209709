# Assignment expressions (PEP 572): `name := value` in conditions, calls,
# displays and comprehensions, where the name is bound in the scope around
# the comprehension.
data = [3, 1, 4, 1, 5, 9, 2, 6]

if (n := len(data)) > 5:
    print("long list:", n)

chunks = iter(["ab", "cd", ""])
while chunk := next(chunks):
    print("chunk", chunk)

print(y := 10, y + 1)
print([z := 2, z * 3])
print({"k": (w := "v")}, w)
total = (s := 5) + s
print(total, s)

# In a comprehension the name belongs to the enclosing scope: here the module.
evens = [last := x for x in data if x % 2 == 0]
print(evens, last)
print(any((hit := x) > 4 for x in data), hit)

def running_sums(xs):
    acc = 0
    sums = [acc := acc + x for x in xs]
    return sums, acc

print(running_sums(data))

def first_long(words):
    # the name is a cell of the function, shared with the comprehension
    if any(len(found := w) > 4 for w in words):
        return found
    return None

print(first_long(["a", "tree", "forest", "sky"]), first_long(["a"]))

def counter():
    count = 0
    def bump():
        nonlocal count
        return [(count := count + 1) for _ in range(3)]
    return bump, lambda: count

bump, read = counter()
print(bump(), bump(), read())

def with_global():
    global g
    [(g := i) for i in range(4)]

with_global()
print(g)

# Nested comprehensions skip to the scope outside them all.
def nested():
    table = [[(cell := r * c) for c in range(3)] for r in range(3)]
    return table, cell

print(nested())

# A lambda is a scope of its own.
f = lambda v: (doubled := v * 2) + doubled
print(f(4))
print([(lambda: (q := i))() for i in range(3)])

# The value, not the target, is the expression's value.
print((a := [1, 2]) is a, a)
