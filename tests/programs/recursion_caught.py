# Unbounded recursion raises RecursionError, which can be caught.
def down(n):
    return down(n + 1)

try:
    down(0)
except RecursionError:
    print("caught RecursionError")

def deep(n):
    if n == 0:
        return 0
    return 1 + deep(n - 1)

print(deep(900))
