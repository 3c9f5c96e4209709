# gilscope: dis
# `if x: return` at the end of a loop body: the jump back that follows the
# RETURN_VALUE is unreachable once POP_JUMP_IF_FALSE is retargeted, but
# CPython 3.9 keeps it (it was a jump target when the basic blocks were
# computed), and after `while 1:` the implicit `return None` as well.
def find(l):
    for x in l:
        if x:
            return x
    return 0


def spin(i):
    while 1:
        if i:
            return i
