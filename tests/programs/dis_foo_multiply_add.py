def foo(x, y):  # gilscope-only: CPython 3.9 bytecode (seed 003); foo must stay on line 1
    return x * y + 17

import dis
dis.dis(foo)
print(foo(3, 5))
