# A name declared both nonlocal and global in one function is a
# SyntaxError at its first declaration; nothing runs.
print("never printed: the file does not compile")


def outer():
    x = 1

    def inner():
        global x
        nonlocal x
    return inner
