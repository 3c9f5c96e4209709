# int.to_bytes / int.from_bytes (byteorder, signed) for ints of any size.


def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


big = 2 ** 100 + 0x1234
print(big.to_bytes(13, "big"), big.to_bytes(16, "little"), (0).to_bytes(0, "big"))
print((-1).to_bytes(1, "big", signed=True), (-(2 ** 100)).to_bytes(13, "big", signed=True))
print((255).to_bytes(2, byteorder="little"), (1024).to_bytes(length=2, byteorder="big"))
print((-128).to_bytes(1, "little", signed=True), (127).to_bytes(1, "little", signed=True))
print(int.from_bytes(big.to_bytes(13, "big"), "big") == big)
print(int.from_bytes(bytes([255] * 20), "little", signed=True), int.from_bytes(bytes([255] * 20), "big"))
print(int.from_bytes(bytes([1] * 20), "big"), int.from_bytes(bytes([0x80] + [0] * 15), "big", signed=True))
print(int.from_bytes([1, 2, 3], "little"), int.from_bytes(bytes(), "big"), int.from_bytes(bytes(), "big", signed=True))
for n in [0, 1, -1, 127, 128, -128, -129, 2 ** 63, -(2 ** 63), 2 ** 64 - 1, -(2 ** 100)]:
    size = (n.bit_length() + 8) // 8
    b = n.to_bytes(size, "big", signed=True)
    print(n, size, b, int.from_bytes(b, "big", signed=True) == n)
t(lambda: (2 ** 100).to_bytes(5, "big"))
t(lambda: (256).to_bytes(1, "big"))
t(lambda: (128).to_bytes(1, "big", signed=True))
t(lambda: (-129).to_bytes(1, "big", signed=True))
t(lambda: (-1).to_bytes(1, "big"))
t(lambda: (1).to_bytes(-1, "big"))
t(lambda: (1).to_bytes(1, "middle"))
t(lambda: int.from_bytes(bytes(1), "middle"))
