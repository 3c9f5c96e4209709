# List and dict comprehensions.
print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0])
print([(x, y) for x in range(3) for y in "ab"])
print([[i * j for j in range(3)] for i in range(3)])
print([c.upper() for c in "hey"])
print({k: len(k) for k in ["one", "three", "five"]})
print({n: n * n for n in range(5) if n % 2})
words = ["apple", "Bob", "cat", "Dog"]
print([w for w in words if w[0].isupper()])
print(sum([x for x in range(101)]))
x = "outer"
squares = [x for x in range(3)]
print(x, squares)
pairs = {"a": 1, "b": 2}
print([k + str(v) for k, v in pairs.items()])
print([i if i % 2 else -i for i in range(6)])
