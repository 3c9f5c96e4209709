# eval(), exec() and compile() of strings, compiled by gilscope's own
# compiler: namespaces, modes, and CPython's errors (a SyntaxError in the
# string comes from the file "<string>").
print(eval("1 + 2"), eval("  [x * 2 for x in range(3)]"))
x = 10
print(eval("x + 1"), eval("x", {"x": 5}), eval("x + y", {"x": 1}, {"y": 2}))
exec("z = x * 3")
print(z)
g = {}
exec("def f(n):\n    return n + 1\nr = f(41)", g)
print(g["r"], "__builtins__" in g, sorted(k for k in g if k != "__builtins__"))
def inside():
    local = 7
    print(eval("local * 2"))
    exec("local = 100")
    print(local)
    ns = {}
    exec("a, *b = range(4)", ns)
    print(ns["a"], ns["b"])
inside()
code = compile("3 * 4", "<expr>", "eval")
print(eval(code), type(code).__name__)
code = compile("print('from compiled code')", "<mine>", "exec")
exec(code)
print(exec("1"))
for bad in ["x = 1", "1; 2", "if x: pass", "import os"]:
    try:
        eval(bad)
    except SyntaxError as e:
        print(repr(bad), e.msg, e.filename, e.lineno, e.offset)
try:
    exec("x = 1 +* 2")
except SyntaxError as e:
    print(e.msg, e.filename, e.lineno, e.offset)
for bad in [(1,), ("1", []), ("1", {}, 5)]:
    try:
        eval(*bad)
    except TypeError as e:
        print(e)
try:
    eval("undefined_name")
except NameError as e:
    print(e)
try:
    eval("1", globals={})
except TypeError as e:
    print(e)
try:
    compile("1", "f", "bogus")
except ValueError as e:
    print(e)
# A function's code: free variables are refused, parameters go unbound.
def outer():
    v = 1
    def inner():
        return v
    return inner
def plain(a, b):
    return a
def noargs():
    print("ran noargs")
try:
    exec(outer().__code__)
except TypeError:
    print("TypeError")   # (3.11 words it differently)
try:
    exec(plain.__code__)
except TypeError as e:
    print(e)
print(exec(noargs.__code__))
exec("1/0")
