# gilscope-only: int(str, base) with a base that is out of range or not an int
for base in (37, 1, -1, 2**40 + 10):
    try:
        int('10', base)
    except ValueError as e:
        print('ValueError:', e)
for base in (None, 'a', 2.5, []):
    try:
        int('10', base)
    except TypeError as e:
        print('TypeError:', e)
print(int('10', 0), int('z', 36), int('0x1f', 16))
