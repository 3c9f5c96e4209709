# args: first 42 --flag
# sys.argv holds the program name and the arguments after it.
import sys
print(sys.argv[1:])
print(len(sys.argv), int(sys.argv[2]) + 1)
