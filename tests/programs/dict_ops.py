# dicts: insertion order, reprs, methods.
d = {"a": 1, "b": 2}
d["c"] = 3
print(d, len(d))
print(d["a"], d.get("b"), d.get("z"), d.get("z", 0))
print("a" in d, "z" in d, "z" not in d)
print(list(d.keys()), list(d.values()), list(d.items()))
d["a"] = 10
print(d)
del d["b"]
print(d)
print(d.pop("c"), d, d.pop("missing", "default"))
d.update({"x": 1, "y": 2})
print(d)
print(d.setdefault("x", 99), d.setdefault("new", 7), d)
print({}, dict(), dict(one=1, two=2), dict([("k", "v"), (1, 2)]))
print({1: "int", 2.5: "float", "s": [1, 2], (1, 2): None, True: False})
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
print(d == {"a": 10, "x": 1, "y": 2, "new": 7}, {"a": 1} == {"a": 2})
copy = dict(d)
copy["a"] = 0
print(d["a"], copy["a"])
d.clear()
print(d)
