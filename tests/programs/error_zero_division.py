# gilscope-only: checks the traceback on stderr (CPython 3.11 adds ^^^ lines)
def divide(a, b):
    return a / b


print("before")
print(divide(10, 0))
print("never printed")
