# A class's __qualname__ comes from the class body's __qualname__
# (Outer.Inner, f.<locals>.Local), and it is what the class repr shows.
class Outer:
    class Inner:
        pass


def f():
    class Local:
        pass

    return Local


print(Outer.Inner.__qualname__, f().__qualname__)
print(Outer.Inner)
