# gilscope-only: gilscope's ranges hold 64-bit bounds: a range slice past them raises OverflowError
# Slices and ranges at the ends of the 64-bit range: a step of -2**63 was
# negated, range slicing and iteration overflowed (undefined behaviour).
M = 9223372036854775807
m = -M - 1
print("abcde"[::m], [0, 1, 2, 3, 4][::m], (0, 1, 2)[::m])
L = [0, 1, 2, 3, 4]
L[::m] = [9]
print(L)
L = [0, 1, 2, 3, 4]
del L[::m]
print(L)
print(range(5)[::m])
print(range(m, M)[::M])
print(range(m, M, 3)[::2])
print(max(range(m, M, 2**62)), list(range(M - 2**62, M, 2**62)))
print(list(range(M - 1, M)), list(range(m + 1, m, -1)))
try:
    print(list(enumerate([1, 2], M)))
except OverflowError:
    print("enumerate past 2**63-1: OverflowError")  # CPython counts on: so does gilscope now
try:
    print(range(m, M, M)[m:M:m])
except OverflowError:
    print("range slice past 2**63: OverflowError")
