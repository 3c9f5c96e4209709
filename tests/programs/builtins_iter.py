# enumerate, sorted and range.
for i, c in enumerate("abc"):
    print(i, c)
for i, c in enumerate(["x", "y"], 1):
    print(i, c)
print(list(enumerate("hi")))
print(sorted([3, 1, 2]), sorted("cab"), sorted([3, 1, 2], reverse=True))
words = ["banana", "Apple", "cherry", "fig"]
print(sorted(words))
print(sorted(words, key=len))
print(sorted(words, key=len, reverse=True))
def lower(s):
    return s.lower()
print(sorted(words, key=lower))
people = [("ann", 31), ("bob", 27), ("cy", 31)]
def age(p):
    return p[1]
print(sorted(people, key=age))
print(sorted(people, key=age, reverse=True))
print(sorted({"b": 1, "a": 2}))
original = [2, 1]
result = sorted(original)
print(original, result)
print(list(range(5)), list(range(2, 5)), list(range(0, 10, 3)), list(range(5, 0, -1)))
print(list(range(10, 0, -4)), list(range(0)), list(range(3, 3)), list(range(-3, 3, 2)))
r = range(1, 10, 2)
print(r, len(r), r[0], r[-1], 7 in r)
print(range(5), range(0, 5), range(1, 2, 3))
