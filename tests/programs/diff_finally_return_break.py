# After `return <expr>` inside a loop inside try/finally whose finally body
# has a `with`, the loop is still the enclosing loop of a later `break`
# (gilscope reported "SyntaxError: 'break' outside loop").
class CM:
    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        return False


def f(l):
    try:
        for x in l:
            if x:
                return x
            break
    finally:
        with CM():
            pass
    return 'end'


print(f([0, 1]), f([2]))
