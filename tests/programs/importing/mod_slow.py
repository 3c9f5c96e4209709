# helper: imported by import_threads.py
"""Slow to import: its code sleeps (the GIL is released) and then loops
(the GIL may switch), so other threads ask for it while it runs."""
import time
print("mod_slow starts")
time.sleep(0.05)
total = 0
for i in range(20000):
    total += i
print("mod_slow ends")
