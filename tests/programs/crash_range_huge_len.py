# gilscope-only: a range with more than sys.maxsize items
# len() of it stopped the program with exit status 1 and no message (the
# length wrapped to -1, taken for an error with none set); iterating it was
# empty and == said False.
M = 9223372036854775807
m = -M - 1
r = range(m, M)
print("before")
try:
    print(len(r))
except OverflowError:
    print("len: OverflowError")
print(bool(r), "yes" if r else "no")
for i in r:
    print("first", i)
    break
print(r[0], r[-1], r == range(m, M))
print(5 in r, (M - 1) in range(m, M, 7))
print("after")
