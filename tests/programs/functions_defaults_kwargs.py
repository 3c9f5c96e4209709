# Functions: defaults, keyword arguments, return values.
def greet(name, greeting="Hello", punct="!"):
    return greeting + ", " + name + punct

print(greet("Ann"))
print(greet("Bob", "Hi"))
print(greet("Cy", punct="?"))
print(greet(punct=".", name="Di", greeting="Bye"))

def power(base, exp=2):
    return base ** exp

print(power(3), power(2, 10), power(exp=3, base=2))

def nothing():
    pass

def early(x):
    if x > 0:
        return "positive"
    print("falls through")

print(nothing(), early(1), early(-1))

def append_to(item, target=[]):
    target.append(item)
    return target

print(append_to(1), append_to(2))

def divmod_like(a, b):
    return a // b, a % b

q, r = divmod_like(17, 5)
print(q, r, divmod_like(-17, 5))

def apply(f, x):
    return f(x)

print(apply(len, "four"), apply(power, 5))
print(greet.__name__)
