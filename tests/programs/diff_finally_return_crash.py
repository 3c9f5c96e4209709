# A return through two finally blocks where the inner finally body has an
# `except ... as e: return ...`: gilscope's code unwound the outer finally
# with ROT_TWO / POP_TOP and crashed (segmentation fault).
def f(x):
    try:
        try:
            return x
        finally:
            try:
                pass
            except ValueError as e:
                return x
    finally:
        print('outer finally')


print(f(3))
