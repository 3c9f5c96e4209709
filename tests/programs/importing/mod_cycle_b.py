# helper: imported by import_circular.py
print("b: start")
import mod_cycle_a
# a is only partly run: its name is bound, A is not yet.
print("b: a is partial:", hasattr(mod_cycle_a, "A"))
B = "b"


def late():
    return mod_cycle_a.A
