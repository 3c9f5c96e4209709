# Big ints as text: str/repr, format specs, % formatting, the digit limit.
import sys


def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


n = 10 ** 30 + 123456789
for spec in ["", "d", ",", "_", "x", "X", "#x", "#_x", "o", "#o", "b", "#b", "n", ">50", "<45,",
             "^50", "=+50", "050", "060,", "+", " ", "e", ".3f", "g", "%"]:
    print(repr(spec), format(n, spec), format(-n, spec))
print(f"{2 ** 70:,} {-(2 ** 70):_x} {2 ** 70:>30} {2 ** 100!r}")
print("%d %i %u" % (n, -n, n), "%x %X %#x %o %#o" % (n, n, -n, n, -n))
print("%40d|%-40d|%+d|% d|%050d" % (n, n, n, n, -n))
print("%.40d" % n, "%e" % n, "%.2f" % 2 ** 70, "%d" % 1e25, "%g" % -n)
print(str(10 ** 4299)[:5], len(str(10 ** 4299)), len(repr(-(10 ** 4299))))
print(len(hex(10 ** 5000)), int("1" * 5000, 16) % 1000, int("0b" + "1" * 5000, 0) % 1000)
t(lambda: format(2 ** 100, ".3"))
t(lambda: format(2 ** 2000, "e"))
t(lambda: "%e" % 2 ** 2000)
t(lambda: int("12345678901234567890x"))
t(lambda: int("1__0000000000000000000000"))
