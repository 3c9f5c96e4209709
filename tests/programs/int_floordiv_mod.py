# Floor division and modulo round towards minus infinity, also for negatives.
for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (6, 3), (-6, 3), (0, 5), (1, 10), (-1, 10)]:
    q = a // b
    r = a % b
    print(a, b, q, r, q * b + r == a)
print(-7.5 // 2, -7.5 % 2, 7.5 // -2, 7.5 % -2)
print(7 // 2.0, -7 % 2.5)
print(-9223372036854775807 // 2, -9223372036854775807 % 2)
print(123456789 // 1000 % 1000)
