# helper: the package of import_packages.py
print("shapes/__init__ runs:", __name__, __package__)
from .circle import Circle
from . import square
DEFAULT = "unit"
