# f-strings with format specs and conversions.
x = 3.14159265
n = 42
s = "gil"
print(f"{x:.3f}|{x:.1f}|{x:.0f}|{x:8.2f}|")
print(f"{n:>8}|{n:<8}|{n:^8}|{n:05d}|{n:d}|")
print(f"{s:>6}|{s:<6}|{s:^7}|")
print(f"{x!r} {s!r} {s!s} {n!r}")
print(f"{n} + {n} = {n + n}")
print(f"{{literal braces}} {n}")
print(f"{'nested'} {[1, 2][0]} {len(s)}")
print(f"{1 / 3:.4f} {2.5:.0f} {3.5:.0f}")
print(f"{-7:>5}|{-7:05d}|")
width = 10
print(f"[{s:>{width}}]")
print(f"{True} {None} {[1, 'a']}")
print(f"{0.1 + 0.2}")
print(f"{1e16:.1f}")
