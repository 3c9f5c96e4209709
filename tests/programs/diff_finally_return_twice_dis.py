# gilscope: dis
# Each `return <expr>` in a try body unwinds the finally block the same
# way: POP_BLOCK, the finally body, RETURN_VALUE (no ROT_TWO / POP_TOP).
def f(a):
    try:
        if a:
            return a
        return a
    finally:
        print('finally')
