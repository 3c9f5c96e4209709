# __debug__ is a constant: binding it (here as a keyword argument) is a
# SyntaxError, found while compiling, before anything runs.
print("never printed: the file does not compile")


def f(**kwargs):
    return kwargs


print(f(__debug__=False))
