# helper: imported by import_star.py
__all__ = ["there", "not_there"]
there = 1
