# gilscope-only: CPython 3.9's message for an unset slot is the bare name
# (3.10+ say "'Point' object has no attribute 'y'").
class Point:
    __slots__ = ("x", "y")


p = Point()
p.x = 1
for get in [lambda: p.y, lambda: getattr(p, "y")]:
    try:
        get()
    except AttributeError as e:
        print("AttributeError:", e)
p.y = 2
del p.y
try:
    del p.y
except AttributeError as e:
    print("AttributeError:", e)
print(getattr(p, "y", "default"), hasattr(p, "y"), hasattr(p, "x"))
