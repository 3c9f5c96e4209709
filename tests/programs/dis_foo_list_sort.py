def foo():  # gilscope-only: CPython 3.9 bytecode (seed 001); foo must stay on line 1
    lst = [4, 1]
    lst.sort()

import dis
dis.dis(foo)
