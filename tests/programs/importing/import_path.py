# sys.path is a list the program may change: a directory put first is
# searched first, and a module there shadows a standard one that is a
# file in CPython (dis, here) -- but not one built into the interpreter
# (time).  Once the directory is gone again, the real one comes back.
import sys

HERE = sys.path[0]
sys.path.insert(0, HERE + "/shadow")
import dis
dis.dis(len)
import time
print(type(time.time()).__name__)
sys.path.remove(HERE + "/shadow")
del sys.modules["dis"]
import dis
print(dis.dis.__name__, dis.__name__)
sys.path.append(HERE + "/shapes")
import circle
print(circle.__name__, circle.__package__, circle.Circle(1).area())
