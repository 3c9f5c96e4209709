# for over range, list, tuple, str, dict and dict.items().
for i in range(3):
    print("range", i)
for i in range(10, 0, -3):
    print("down", i)
for i in range(2, 9, 2):
    print("even", i)
for item in ["a", "b"]:
    print("list", item)
for item in (1.5, None):
    print("tuple", item)
for ch in "hi!":
    print("str", ch)
ages = {"ann": 31, "bob": 27}
for name in ages:
    print("dict", name)
for name, age in ages.items():
    print("items", name, age)
for v in ages.values():
    print("values", v)
for i, x in enumerate("xy"):
    print("enumerate", i, x)
for n in range(5):
    if n == 1:
        continue
    if n == 3:
        break
    print("body", n)
else:
    print("not reached")
for n in range(2):
    pass
else:
    print("else runs when no break", n)
for row in range(3):
    for col in range(3):
        if col > row:
            break
        print(row, col, end="; ")
print()
for i in range(0):
    print("empty")
for a, b in [(1, 2), (3, 4)]:
    print(a + b)
