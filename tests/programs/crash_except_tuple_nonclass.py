# gilscope-only: checks the traceback on stderr
# A non-class in an `except (...)` tuple must raise TypeError right there,
# not match the next class and leave the error pending (it surfaced later,
# at the end of an unrelated for loop).
try:
    1 / 0
except (1, ZeroDivisionError):
    print("caught: wrong, the except clause itself must fail")
for i in range(3):
    pass
print("after the loop: wrong")
