# helper: imported by import_star.py
"""No __all__: `import *` takes every name not starting with an underscore."""
import sys as _sys
alpha = 1
beta = 2
_hidden = 3
__dunder = 4


def gamma():
    return "gamma"
