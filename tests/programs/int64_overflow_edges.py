# gilscope-only: gilscope refuses switch intervals its nanoseconds cannot hold
# Ints at the edges of 64 bits give CPython's answers (issue 18: round(1e19)
# once printed -9223372036854775808; later gilscope raised OverflowError).
import math

MIN = -9223372036854775807 - 1
MAX = 9223372036854775807


def show(label, f):
    try:
        print(label, "->", repr(f()))
    except OverflowError as e:
        print(label, "!! OverflowError:", e)


show("round(1e19)", lambda: round(1e19))
show("round(-1e19)", lambda: round(-1e19))
show("round(2.0**63)", lambda: round(2.0 ** 63))
show("int(1e19)", lambda: int(1e19))
show("int(2.0**63)", lambda: int(2.0 ** 63))
show("int(-2.0**63 * 1.0000000000000002)", lambda: int(-2.0 ** 63 * 1.0000000000000002))
show("math.floor(1e19)", lambda: math.floor(1e19))
show("math.ceil(9223372036854775807.0)", lambda: math.ceil(9223372036854775807.0))
show("math.trunc(-1e300)", lambda: math.trunc(-1e300))
show("'%d' % 1e19", lambda: "%d" % 1e19)
show("'%d' % 2.0**63", lambda: "%d" % 2.0 ** 63)
show("1 << 63", lambda: 1 << 63)
show("-3 << 62", lambda: -3 << 62)
show("abs(MIN)", lambda: abs(MIN))
show("-MIN", lambda: -MIN)
show("MIN // -1", lambda: MIN // -1)
show("divmod(MIN, -1)", lambda: divmod(MIN, -1))
show("pow(2, 63)", lambda: pow(2, 63))
show("round(MAX, -1)", lambda: round(MAX, -1))
show("round(MIN, -1)", lambda: round(MIN, -1))
show("round(9 * 10**18, -19)", lambda: round(9 * 10 ** 18, -19))
show("round(-6 * 10**18, -19)", lambda: round(-6 * 10 ** 18, -19))

# Not an int, but the same kind of edge: CPython converts the switch
# interval to microseconds unchecked (1e300 reads back as 0.0); gilscope
# refuses what its nanoseconds cannot hold.
import sys
show("sys.setswitchinterval(1e300)", lambda: sys.setswitchinterval(1e300))
show("sys.setswitchinterval(1e10)", lambda: sys.setswitchinterval(1e10))
print(sys.getswitchinterval())
