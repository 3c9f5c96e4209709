# gilscope-only: CPython 3.9 compiles `del __debug__` (only binding it is refused), which fails when it runs; 3.11 refuses it at compile time
try:
    del __debug__
except NameError as e:
    print("NameError:", e)
print(__debug__)
