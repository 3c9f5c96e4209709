# gilscope-only: CPython 3.9 message (3.11 words it differently)
# sys.setrecursionlimit below the current depth is a RecursionError (it was
# accepted), and reversed() of a list that shrinks stops (it raised
# IndexError).
import sys
def f(n):
    if n:
        return f(n - 1)
    try:
        sys.setrecursionlimit(10)
    except RecursionError as e:
        print(e)
f(50)
print(list(reversed([1, 2, 3])))
L = [1, 2, 3, 4, 5]
for x in reversed(L):
    L.pop()
    L.pop()
    print(x)
