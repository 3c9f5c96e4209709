# Lists of dicts, dicts of lists, and processing them.
students = [
    {"name": "ann", "grades": [90, 85, 77]},
    {"name": "bob", "grades": [60, 75]},
    {"name": "cy", "grades": []},
]
for s in students:
    g = s["grades"]
    avg = sum(g) / len(g) if g else 0.0
    print(f"{s['name']:<5}{len(g):>3}{avg:>8.2f}")
by_name = {s["name"]: s for s in students}
by_name["bob"]["grades"].append(100)
print(students[1])
groups = {}
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    key = word[0]
    if key not in groups:
        groups[key] = []
    groups[key].append(word)
print(groups)
matrix = [[1, 2, 3], [4, 5, 6]]
transposed = [[row[i] for row in matrix] for i in range(3)]
print(transposed)
print(max([len(v) for v in groups.values()]))
