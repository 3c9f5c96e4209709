# Nested functions that use variables of the enclosing function.
def make_adder(n):
    def add(x):
        return x + n
    return add

add5 = make_adder(5)
add10 = make_adder(10)
print(add5(1), add10(1), add5(add10(0)))

def outer():
    message = "from outer"
    def inner():
        return message.upper()
    return inner()

print(outer())

def make_multipliers():
    result = []
    for factor in [2, 3]:
        def mul(x, factor=factor):
            return x * factor
        result.append(mul)
    return result

print([m(10) for m in make_multipliers()])

def counter_box():
    box = [0]
    def bump():
        box[0] += 1
        return box[0]
    return bump

bump = counter_box()
bump()
bump()
print(bump())

def two_levels(a):
    def middle(b):
        def inner(c):
            return a + b + c
        return inner
    return middle

print(two_levels(1)(20)(300))
