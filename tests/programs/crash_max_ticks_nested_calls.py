# gilscope-only
# gilscope-args: --max-instructions 100000
# The instructions run in g() count too, although f() returns after it:
# 200 calls of f() are about 600000 instructions, so the run must stop.
def g():
    for i in range(1000):
        pass


def f():
    g()


for k in range(200):
    f()
print("finished all 200 calls: --max-ticks did not stop the run")
