# The with statement and context managers.
class Managed:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            print("exit", self.name, "cleanly")
        else:
            print("exit", self.name, "with", exc_type.__name__, exc)
        return self.suppress

with Managed("a") as value:
    print("inside, got", value)

with Managed("b", suppress=True):
    print("about to fail")
    raise KeyError("swallowed")
print("after suppressed exception")

try:
    with Managed("c"):
        raise ValueError("propagates")
except ValueError as e:
    print("caught outside:", e)

def early_return():
    with Managed("d"):
        return "returned from inside with"

print(early_return())

with Managed("outer") as o, Managed("inner") as i:
    print("both:", o, i)

for n in range(3):
    with Managed("loop" + str(n)):
        if n == 1:
            continue
        if n == 2:
            break
        print("loop body", n)
