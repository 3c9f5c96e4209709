# gilscope: dis
# The 3.9 peephole optimizer removes the dead code after `return 1` but
# does not shrink instructions: the later POP_JUMP_IF_FALSE keeps the
# EXTENDED_ARG (now 0) it needed before the code got shorter.
def f(a):
    if a:
        return 1
        a = 1
        a = 2
        a = 3
    a = a + 0
    a = a + 1
    a = a + 2
    a = a + 3
    a = a + 4
    a = a + 0
    a = a + 1
    a = a + 2
    a = a + 3
    a = a + 4
    a = a + 0
    a = a + 1
    a = a + 2
    a = a + 3
    a = a + 4
    a = a + 0
    a = a + 1
    a = a + 2
    a = a + 3
    a = a + 4
    a = a + 0
    a = a + 1
    a = a + 2
    a = a + 3
    a = a + 4
    a = a + 0
    a = a + 1
    a = a + 2
    a = a + 3
    if a:
        a = 2
    return a
