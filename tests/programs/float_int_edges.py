# Conversions between float and int at the edges of a 64-bit int: every one
# gives the exact answer or CPython's exception, never a wrapped value
# (issue 18: round(1e19) once printed -2**63).  The results here all fit in
# 64 bits; int64_overflow_edges.py has the ones that do not.
import math

MIN = -9223372036854775807 - 1
MAX = 9223372036854775807


def show(label, f):
    try:
        print(label, "->", repr(f()))
    except Exception as e:
        print(label, "!!", type(e).__name__ + ":", e)


print("-- float to int")
show("round(9.2e18)", lambda: round(9.2e18))
show("round(-2.0**63)", lambda: round(-2.0 ** 63))
show("round(2.5), round(-0.5)", lambda: (round(2.5), round(-0.5)))
show("int(-2.0**63)", lambda: int(-2.0 ** 63))
show("int(9223372036854774784.0)", lambda: int(9223372036854774784.0))
show("int(-0.99)", lambda: int(-0.99))
for name, f in [("round", round), ("int", int), ("floor", math.floor),
                ("ceil", math.ceil), ("trunc", math.trunc)]:
    show(name + "(inf)", lambda: f(float("inf")))
    show(name + "(-inf)", lambda: f(float("-inf")))
    show(name + "(nan)", lambda: f(float("nan")))
show("floor(-2.0**63)", lambda: math.floor(-2.0 ** 63))
show("floor(-9.2e18), ceil(9.22e18)", lambda: (math.floor(-9.2e18), math.ceil(9.22e18)))
show("trunc(-2.5), trunc(7)", lambda: (math.trunc(-2.5), math.trunc(7)))
show("round(1, 1.5)", lambda: round(1, 1.5))
show("round(2.5, 1.5)", lambda: round(2.5, 1.5))
show("round('x', 1.5)", lambda: round("x", 1.5))
show("round(5 * 10**18, -19)", lambda: round(5 * 10 ** 18, -19))
show("round(MIN, -18)", lambda: round(MIN, -18))
show("round(MAX, -2)", lambda: round(MAX, -2) == 9223372036854775800)

print("-- % formatting")
show("'%d' % -2.0**63", lambda: "%d" % -2.0 ** 63)
show("'%d' % 9.2e18", lambda: "%d" % 9.2e18)
show("'%d' % inf", lambda: "%d" % float("inf"))
show("'%i' % nan", lambda: "%i" % float("nan"))
show("'%x' % 1.0", lambda: "%x" % 1.0)
show("len('%.1500f' % 1.0)", lambda: len("%.1500f" % 1.0))
show("('%.*e' % (1100, 3.0))[-6:]", lambda: ("%.*e" % (1100, 3.0))[-6:])
show("'%.*f' % (2**31, 1.0)", lambda: "%.*f" % (2 ** 31, 1.0))
show("'%.3000000000f' % 1.0", lambda: "%.3000000000f" % 1.0)

print("-- int and float compare exactly")
show("MAX == 2.0**63", lambda: MAX == 2.0 ** 63)
show("MAX < 2.0**63", lambda: MAX < 2.0 ** 63)
show("2.0**63 > MAX", lambda: 2.0 ** 63 > MAX)
show("MIN == -2.0**63", lambda: MIN == -2.0 ** 63)
show("2**53 + 1 == 2.0**53", lambda: 2 ** 53 + 1 == 2.0 ** 53)
show("2**53 + 1 > 2.0**53", lambda: 2 ** 53 + 1 > 2.0 ** 53)
show("3 < 3.5, -3 > -3.5", lambda: (3 < 3.5, -3 > -3.5))
show("MIN < float('-inf')", lambda: MIN < float("-inf"))
show("5 == nan, 5 != nan", lambda: (5 == float("nan"), 5 != float("nan")))
show("1e300 > MAX", lambda: 1e300 > MAX)

print("-- equal numbers hash equal")
show("hash(2.0**62) == hash(2**62)", lambda: hash(2.0 ** 62) == hash(2 ** 62))
big = 9223372036854774784
show("hash(float(big)) == hash(big)", lambda: hash(float(big)) == hash(big))
show("{big: 'found'}[float(big)]", lambda: {big: "found"}[float(big)])
show("{MIN: 'found'}[-2.0**63]", lambda: {MIN: "found"}[-2.0 ** 63])

print("-- shifts")
show("-1 << 63", lambda: -1 << 63)
show("-2 << 62", lambda: -2 << 62)
show("1 << 62", lambda: 1 << 62)
show("0 << 1000", lambda: 0 << 1000)
x = -1
x <<= 63
show("x = -1; x <<= 63", lambda: x)
show("5 >> 64, -5 >> 64", lambda: (5 >> 64, -5 >> 64))
show("-5 >> 2**62", lambda: -5 >> 2 ** 62)
show("MIN >> 63, MIN >> 62", lambda: (MIN >> 63, MIN >> 62))
y = MIN
y >>= 100
show("y = MIN; y >>= 100", lambda: y)
show("1 << -1", lambda: 1 << -1)
show("1 >> -1", lambda: 1 >> -1)

print("-- other int64 edges")
show("MIN % -1", lambda: MIN % -1)
show("~MIN, ~MAX", lambda: (~MIN, ~MAX))
show("pow(MIN, 3, -1)", lambda: pow(MIN, 3, -1))
show("pow(MIN, 2, 7)", lambda: pow(MIN, 2, 7))
show("pow(3, 5, MIN)", lambda: pow(3, 5, MIN))
show("pow(-2, 63)", lambda: pow(-2, 63))
show("pow(1, MIN)", lambda: pow(1, MIN))
show("MIN ** -1", lambda: MIN ** -1)

print("-- chr takes a C int")
for v in [2 ** 62, -2 ** 62, 2 ** 31, 2 ** 31 - 1, -1, 0x110000, 0x10FFFF]:
    show("chr(%d)" % v, lambda: chr(v) == "\U0010ffff")
