# helper: imported by import_circular.py
print("a: start")
import mod_cycle_b
print("a: b is complete:", mod_cycle_b.B)
A = "a"
