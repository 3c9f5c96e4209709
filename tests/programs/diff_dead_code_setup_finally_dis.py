# gilscope: dis
# Removing unreachable code after RETURN_VALUE, the 3.9 peephole optimizer
# stops at a SETUP_FINALLY: here the unreachable normal-exit copy of the
# finally body keeps its SETUP_FINALLY / POP_BLOCK / JUMP_ABSOLUTE.
def f():
    try:
        return 1
    finally:
        try:
            pass
        except ValueError:
            pass
