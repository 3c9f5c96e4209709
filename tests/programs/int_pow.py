# The power operator: ints stay ints, a negative exponent gives a float.
print(2 ** 10, 2 ** 0, 0 ** 0, 1 ** 100)
print(2 ** 62, 10 ** 18)
print((-3) ** 3, (-2) ** 4, -2 ** 4)
print(2 ** -1, 10 ** -2, 2.0 ** 3, 4 ** 0.5)
print(2 ** 3 ** 2)
n = 3
n **= 4
print(n)
print(type(2 ** 5), type(2 ** -5))
