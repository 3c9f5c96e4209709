# sys.exit raises SystemExit, which can be caught; exit status 0 by default.
import sys
try:
    sys.exit(5)
except SystemExit as e:
    print("caught SystemExit with code", e.code)
try:
    sys.exit()
except SystemExit as e:
    print("code", e.code)
print("still running")
