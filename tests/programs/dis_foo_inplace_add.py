def foo():  # gilscope-only: CPython 3.9 bytecode (seed 001); foo must stay on line 1
    a = 1
    a += 1

import dis
dis.dis(foo)
