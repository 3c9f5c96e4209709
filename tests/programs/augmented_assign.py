# Augmented assignment on names, attributes, subscripts and lists.
x = 10
x += 5
x -= 3
x *= 2
x //= 5
x %= 3
print(x)
y = 2
y **= 10
print(y)
f = 1.0
f /= 4
print(f)
s = "ab"
s += "cd"
s *= 2
print(s)
a = [1]
alias = a
a += [2, 3]
print(a, alias, a is alias)
t = (1,)
t_alias = t
t += (2,)
print(t, t_alias)
class Obj:
    pass
o = Obj()
o.count = 0
for _ in range(5):
    o.count += 1
print(o.count)
d = {"k": 1}
d["k"] += 41
print(d)
lst = [1, 2, 3]
lst[1] *= 10
lst[-1] -= 1
print(lst)
