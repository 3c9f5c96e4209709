# gilscope-only: the wording of CPython 3.9 (3.13 words two of them differently)
# Messages of TypeError / ZeroDivisionError as CPython words them.
def f(a):
    return a


def show(thunk):
    try:
        thunk()
    except Exception as e:
        print(type(e).__name__ + ':', e)


show(lambda: 'a' * 'b')
show(lambda: [1] * 2.0)
show(lambda: 1.0 // 0.0)
show(lambda: 1.0 % 0.0)
show(lambda: f(**{'a': 1}, **{'a': 2}))
show(lambda: len(obj=1))
show(lambda: print(1, foo=2))
