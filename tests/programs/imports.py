# import sys, gc, time and from time import perf_counter.
import sys
import gc
import time
from time import perf_counter

print(type(sys.argv), len(sys.argv), sys.argv[0].endswith("imports.py"))
print(gc.isenabled())
print(isinstance(gc.collect(), int))
t0 = perf_counter()
total = 0
for i in range(1000):
    total += i
t1 = perf_counter()
print(total, isinstance(t0, float), t1 >= t0)
print(isinstance(time.time(), float), time.time() > 1500000000)
print(time.perf_counter() >= t1)
start = time.perf_counter()
time.sleep(0.01)
print(time.perf_counter() - start >= 0.005)
