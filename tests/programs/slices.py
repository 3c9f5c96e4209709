# Slicing lists, strings and tuples.
a = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
print(a[2:5], a[:3], a[7:], a[-3:], a[:-7])
print(a[::2], a[1::3], a[::-1], a[8:2:-2], a[-1:-4:-1])
print(a[5:2], a[100:], a[-100:2], a[:])
s = "gilscope"
print(s[:3], s[3:], s[::-1], s[1:-1], s[::3])
t = (10, 20, 30, 40)
print(t[1:3], t[::-1], t[:0])
b = a[:]
b[2:5] = ["x"]
print(b)
b[:0] = [-1, -2]
print(b)
del b[0:3]
print(b)
del b[::2]
print(b)
print(a[3], a[-10])
