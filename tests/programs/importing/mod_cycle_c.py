# helper: imported by import_circular.py
from mod_cycle_d import D
C = "c"
