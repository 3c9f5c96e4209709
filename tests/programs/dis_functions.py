# gilscope: dis
# Nested code objects are listed after the module's code, each under a
# "Disassembly of <code object ...>" heading (the runner ignores addresses).
def add(a, b):
    return a + b


class Greeter:
    greeting = "hi"

    def greet(self, name):
        return self.greeting + ", " + name


def squares(n):
    return [x * x for x in range(n)]


print(add(2, 1), Greeter().greet("you"), squares(3))
