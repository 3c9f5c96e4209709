# helper: imported by import_errors.py
def broken(:
    pass
