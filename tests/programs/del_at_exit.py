# Objects still alive when the program ends get their __del__ as CPython
# 3.9 finalizes __main__: a last collection, then __main__'s dict is
# dropped, and the collector finalizes what only it kept alive -- in the
# order of the collector's lists, which is why objects held by a list or
# a tuple come after those bound to a name.
class Named:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)


held = [Named("in a list")]
first = Named("first")
_private = Named("_private")
x = Named("x")
y = Named("y")
x.partner = y
y.partner = x
pair = (Named("in a tuple"),)
last = Named("last")


def helper():
    keep = Named("local")
    print("helper returns")


helper()
first = None
print("end of the program")
