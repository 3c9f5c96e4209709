# Packages: __init__.py, submodules, dotted imports, `import a.b as c`,
# `from pkg import submodule`, relative imports inside the package, and a
# namespace package (a directory without __init__.py).
import sys

HERE = sys.path[0]


def short(path):
    return path.replace(HERE, "<here>")


import shapes
print(shapes.Circle(2).area(), shapes.square.area(3), shapes.DEFAULT)
print(short(shapes.__file__), [short(p) for p in shapes.__path__], shapes.__package__)
print(shapes.circle.__package__, shapes.circle.__name__)
import shapes.solid.cube
print(shapes.solid.cube.volume(2), shapes.solid.sphere.KIND)
import shapes.solid.cube as cube
print(cube is shapes.solid.cube, cube.Circle is shapes.Circle)
print(cube.sphere_volume(1), cube.sphere.__name__, cube.sphere.__package__)
from shapes.solid import sphere
print(sphere is cube.sphere)
from shapes import circle, square as sq
print(circle.__name__, sq.area(4))
from shapes.solid.cube import volume
print(volume(3))
print(sorted(k for k in sys.modules if k.startswith("shapes")))
print(hasattr(shapes, "solid"), hasattr(shapes.solid, "cube"))
import notes.agenda
print(notes.agenda.ITEMS)
print(type(notes).__name__, [short(p) for p in notes.__path__], notes.__file__)
print(notes.__package__, notes.agenda.__package__)
