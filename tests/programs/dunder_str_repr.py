# __str__ and __repr__.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return "Vec(" + repr(self.x) + ", " + repr(self.y) + ")"

    def __str__(self):
        return "<" + str(self.x) + ", " + str(self.y) + ">"

class OnlyRepr:
    def __repr__(self):
        return "OnlyRepr()"

v = Vec(1, 2.5)
print(v)
print(str(v), repr(v))
print([v, Vec("a", None)])
print((v,), {"k": v})
print(f"{v} {v!r}")
o = OnlyRepr()
print(o, str(o), [o])
