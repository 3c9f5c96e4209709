# helper: imported by import_errors.py
x = 1
