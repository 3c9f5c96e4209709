# An exception escaping __del__ cannot propagate: CPython prints
# "Exception ignored in: <function ...>" and the traceback on stderr,
# and the program goes on.
import sys


class Bad:
    def __del__(self):
        raise ValueError("from __del__")


def make_and_drop():
    b = Bad()
    del b
    print("after del, still running")


make_and_drop()

# An exception being raised when the object dies is not disturbed.
try:
    x = Bad()
    x = None
    raise KeyError("outer")
except KeyError as e:
    print("caught", repr(e))


class Chatty:
    def __del__(self):
        try:
            raise RuntimeError("handled inside")
        except RuntimeError:
            print("handled inside __del__")
        print("exc_info in __del__:", sys.exc_info()[0])


try:
    raise TypeError("pending")
except TypeError:
    c = Chatty()
    del c
    print("exc_info after:", sys.exc_info()[0].__name__)
print("end")
