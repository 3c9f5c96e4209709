# helper: run by tests/run_module.py as `run -m mod_main`
import sys
print("mod_main runs as", __name__, repr(__package__), sys.argv[0] == __file__)
print(sys.path[0] == __file__.rsplit("/", 1)[0])
import mod_plain
print(mod_plain.x, sys.argv[1:])
