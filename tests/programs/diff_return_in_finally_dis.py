# gilscope: dis
# The 3.9 peephole optimizer keeps RERAISE after the RETURN_VALUE of a
# `return` in a finally block (it stops at SETUP_FINALLY / RERAISE when
# it removes unreachable code).
def g():
    try:
        pass
    finally:
        return 2
