# gilscope-only: checks the traceback on stderr
def recurse(n):
    return recurse(n + 1)


print("recursing")
recurse(0)
