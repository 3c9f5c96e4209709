# del of every target kind: names (module, local, global, nonlocal cell),
# attributes, subscripts and slices, nested tuples and lists of them.
x = 1
del x
a, b, c = 1, 2, 3
del a, (b, c)
lst = list(range(10))
del lst[0], lst[1:3], lst[::2]
print(lst)
class O: pass
o = O(); o.p = 1; o.q = 2
del o.p, [o.q]
print(o.__dict__)
d = {"k": 1, "j": 2}
del (d["k"]), [d["j"]]
print(d)
def f():
    v = 1
    def g():
        nonlocal v
        del v
    g()
    try:
        print(v)
    except NameError as e:
        print(type(e).__name__)
f()
def h():
    global gg
    gg = 5
    del gg
h()
try:
    gg
except NameError as e:
    print(e)
try:
    del undefined_thing
except NameError as e:
    print(e)
def k():
    try:
        del local_never
    except NameError as e:
        print(type(e).__name__)
    local_never = 1
k()
