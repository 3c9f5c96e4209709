# sys.stdout and sys.stderr can be replaced and restored.  None silences
# them, as CPython does for a program without a console: print() with
# sys.stdout = None prints nothing, and with sys.stderr = None an uncaught
# exception -- in a thread or in the main program -- is reported nowhere
# (the exit status is still 1).
import sys
import threading

saved = sys.stdout
sys.stdout = None
print("hidden")
print("hidden too", file=None)
sys.stdout = saved
print("visible", sys.stdout is sys.__stdout__)


class Capture:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)


cap = Capture()
sys.stdout = cap
print("a", 1, sep="-")
print("x", end="")
sys.stdout = sys.__stdout__
print(cap.parts)
print(sys.stdout.write("written\n"))
print("to a file object", file=cap)
print(cap.parts[-2:])

sys.stderr = None


def fail():
    raise KeyError("nobody sees this")


t = threading.Thread(target=fail)
t.start()
t.join()
print("the thread failed quietly")
raise ValueError("nobody sees this either")
