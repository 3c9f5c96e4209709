# gilscope-only: sys.exit() with an object whose str() fails: exit status 1, no leak
import sys


class Code:
    def __str__(self):
        raise ValueError("no str")


print("exiting")
sys.exit(Code())
