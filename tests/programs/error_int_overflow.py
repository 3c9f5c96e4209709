# gilscope-only: gilscope's ints are 64-bit; CPython's are unbounded
big = 9223372036854775807
print(big, -big - 1)
try:
    big + 1
except OverflowError:
    print("caught OverflowError")
print(2 ** 62 * 2)
