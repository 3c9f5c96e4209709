# A `return <expr>` in a try body with a finally: every return runs the
# finally body.  After the first such return, gilscope compiled the next
# one as if the finally were a POP_VALUE block (ROT_TWO, POP_TOP): the
# finally body was skipped and the value stack corrupted.
def f(a):
    try:
        if a:
            return a
        return a + 10
    finally:
        print('finally', a)


def g(x):
    try:
        try:
            return x
        finally:
            if not x:
                return x
    finally:
        print('outer finally')


print(f(0))
print(f(1))
print(g(3))
