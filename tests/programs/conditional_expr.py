# Conditional expressions.
for n in range(-2, 3):
    sign = "negative" if n < 0 else "zero" if n == 0 else "positive"
    print(n, sign)
x = 10
print("even" if x % 2 == 0 else "odd")
print([("big" if v > 2 else "small") for v in [1, 3]])

def loud(v):
    print("evaluated", v)
    return v

print(loud("yes") if True else loud("no"))
print(loud("yes") if False else loud("no"))
y = None
print(y if y is not None else "fallback")
print(1 + (2 if x > 5 else 3) * 2)
