# gilscope-only: python3 (3.11) words the digit-limit message "(4300 digits)"; the .out is python3.9's
# The int <-> str digit limit of CPython 3.9.14+ (sys.set_int_max_str_digits).
import sys


def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


t(lambda: str(10 ** 4300))
t(lambda: repr(-(10 ** 5000)))
t(lambda: int("1" * 4301))
t(lambda: int("-" + "2" * 5000))
t(lambda: "%d" % 10 ** 5000)
t(lambda: format(10 ** 5000, ","))
t(lambda: sys.set_int_max_str_digits(100))
sys.set_int_max_str_digits(5000)
print(sys.get_int_max_str_digits(), len(str(10 ** 4999)))
t(lambda: str(10 ** 5000))
sys.set_int_max_str_digits(0)
print(len(str(10 ** 6000)), int("9" * 6000) % 1000)
sys.set_int_max_str_digits(4300)
