# gilscope: dis
# `if 0:` bodies are compiled without emitting code, and their constants
# are not added to co_consts either; `()` is a false constant and `(1,)`
# a true one, so `if ():` / `if (1,):` compile like `if 0:` / `if 1:`.
if 0:
    x = 'dead'
print('live')


def f():
    if ():
        return 'T'
    return 'F'


def g():
    if (1,):
        return 'T'
    return 'F'
