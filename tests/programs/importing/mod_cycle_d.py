# helper: imported by import_circular.py
from mod_cycle_c import C
D = "d"
