# gilscope-only: CPython 3.9's names; 3.10 and later add the target's name
# ("Thread-2 (f)").  A false name given to the constructor (None, "", 0)
# makes a new "Thread-N" name, as 3.9's `str(name or _newname())` does; the
# attribute set afterwards keeps whatever it is given, "" too.
import threading


def f():
    print("in the thread:", repr(threading.current_thread().name))


for name in (None, "", 0, "worker"):
    t = threading.Thread(target=f, name=name)
    t.start()
    t.join()
    print(repr(name), "->", repr(t.name))

t = threading.Thread(target=f)
t.name = ""
t.start()
t.join()
print("set to '':", repr(t.name), repr(t.getName()))
