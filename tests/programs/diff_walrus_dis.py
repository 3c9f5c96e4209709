# gilscope: dis
# Assignment expressions: value, DUP_TOP, store; in a comprehension the
# target is a global (at module level) or a free variable of the
# comprehension and a cell of the enclosing function.
if (n := len(xs)) > 5:
    print(n)
while chunk := read():
    use(chunk)
evens = [last := x for x in xs if x % 2 == 0]

def f(xs):
    acc = 0
    sums = [acc := acc + x for x in xs]
    if any((hit := x) > 4 for x in xs):
        return hit
    return sums, acc

def g():
    global gl
    return [(gl := i) for i in range(3)]
