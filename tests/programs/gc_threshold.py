# gilscope-only: the collector's thresholds are CPython 3.9's (seed 001); 3.13 changed them
import gc

print(gc.get_threshold())
print(gc.isenabled())
