# Ints past 64 bits carry on as in CPython (gilscope once raised
# OverflowError here: its ints were 64-bit).
big = 9223372036854775807
print(big, -big - 1)
try:
    print(big + 1)
except OverflowError:
    print("caught OverflowError")
print(2 ** 62 * 2, -big - 2, big * big)
