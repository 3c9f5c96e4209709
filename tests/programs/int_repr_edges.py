# str() and repr() of ints at the edges of 64 bits, and around powers of ten.
for v in [0, 7, -7, 9, 10, -10, 99, 100, 101, 123456789, 2**40, -2**40,
          9223372036854775807, -9223372036854775807 - 1]:
    print(str(v), repr(v), len(str(v)))
