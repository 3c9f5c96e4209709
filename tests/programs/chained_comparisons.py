# Chained comparisons evaluate each operand at most once.
def value(v):
    print("value", v)
    return v

print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1, 1 == 1 == 1, 1 == 1 != 2)
print(1 <= 1 < 2 <= 2, 5 > 4 >= 4 > 3, 1 < 2 > 0)
print(value(1) < value(2) < value(3))
print(value(3) < value(2) < value(1))
x = 5
print(0 < x < 10, 0 < x < 3, 10 > x >= 5)
print(1 == 1.0, 2 < 2.5, "a" < "b" < "c", [1] < [1, 0] < [2])
print(1 < 2 == 2 < 3 != 4)
