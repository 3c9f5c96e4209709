# import of a module next to the program: it runs once, sys.modules caches
# it, its attributes, `import ... as`, and deleting it from sys.modules
# makes the next import run it again.
import sys

HERE = sys.path[0]


def short(path):
    return path.replace(HERE, "<here>")


print("before the import")
import mod_counter
print(mod_counter.VALUE, mod_counter.double(21))
import mod_counter as mc
print(mc is mod_counter, sys.modules["mod_counter"] is mc)
print(mod_counter.__name__, repr(mod_counter.__package__), mod_counter.__doc__)
print(short(mod_counter.__file__))
print(short(repr(mod_counter)))
print(type(sys.path) is list, sys.path[0] == HERE)
print(sorted(k for k in mod_counter.__dict__ if not k.startswith("__")))


def inside_a_function():
    import mod_counter as again
    return again is mod_counter


print(inside_a_function())
del sys.modules["mod_counter"]
import mod_counter
print(mod_counter is mc, mod_counter.runs)
mod_counter.runs += 1
import mod_counter
print(mod_counter.runs)
print(__name__)
mod_counter.boom()
