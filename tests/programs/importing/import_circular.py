# Circular imports behave as in CPython: the partly run module is visible
# in sys.modules; a `from` import of a name it has not yet defined fails
# with 3.9's "partially initialized module" message, and both modules are
# then taken out of sys.modules.
import sys

HERE = sys.path[0]

import mod_cycle_a
print(mod_cycle_a.A, mod_cycle_a.mod_cycle_b.late())
try:
    import mod_cycle_c
except ImportError as e:
    print(str(e).replace(HERE, "<here>"))
    print(e.name, e.path.replace(HERE, "<here>"))
print("mod_cycle_c" in sys.modules, "mod_cycle_d" in sys.modules)
import loop.first
print(loop.first.VALUE, loop.second.value())
