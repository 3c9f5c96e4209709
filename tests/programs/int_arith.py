# Integer arithmetic: + - * / and the precedence of the operators.
a = 17
b = 5
print(a + b, a - b, a * b)
print(a / b, 10 / 2, 1 / 4)
print(a + b * 2, (a + b) * 2)
print(-a, +a, -(-a))
print(2 + 3 * 4 - 6 / 3)
print(1000000 * 1000000)
print(3037000499 * 3037000499)
print(9223372036854775807, -9223372036854775807 - 1)
print(4611686018427387904 + 4611686018427387903)
print(7 - 10, 0 - 0, 100 - 1 * 100)
x = 10
x = x * 3 + 1
print(x)
print(type(7 / 7), 7 / 7)
print(int("42") + 1, int("-15") * 2, int(" 8 "))
print(0x1F, 0o17, 0b101, 1_000_000)
