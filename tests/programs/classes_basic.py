# Classes: __init__, methods, instance and class attributes.
class Counter:
    created = 0

    def __init__(self, start=0):
        self.count = start
        Counter.created += 1

    def increase(self, n=1):
        for _ in range(n):
            self.count += 1
        return self.count

    def reset(self):
        self.count = 0

c = Counter()
d = Counter(10)
print(c.increase(), c.increase(5), d.increase())
c.reset()
print(c.count, d.count, Counter.created, c.created)

class Point:
    dims = 2

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)

    def norm1(self):
        return abs(self.x) + abs(self.y)

p = Point(1, -2)
q = p.moved(3, 3)
print(p.x, p.y, q.x, q.y, q.norm1(), Point.dims, p.dims)
p.dims = 3
print(p.dims, q.dims, Point.dims)
m = q.norm1
print(m())
p.label = "origin-ish"
print(p.label)
print(type(p) is Point, type(p).__name__)
