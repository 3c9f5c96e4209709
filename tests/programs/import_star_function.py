# `from m import *` binds names the compiler cannot know: only a module's
# namespace may take them.  Inside a def (or a class) it is CPython's
# SyntaxError, placed on the line of the enclosing def.
print("never printed: the file does not compile")


def f():
    from sys import *
    return 1
