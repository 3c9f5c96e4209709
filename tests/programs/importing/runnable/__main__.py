import sys
from . import helper
print("runnable.__main__ runs as", __name__, "in package", repr(__package__))
print(helper.greet(sys.argv[1:]))
