# Function and builtin attributes: __kwdefaults__, __name__ of a builtin.
def f(a, b=2, *, c=3, d):
    return a


def g():
    pass


print(f.__defaults__, f.__kwdefaults__, g.__kwdefaults__)
print(print.__name__, len.__name__)
