# helper: imported by import_star.py
"""__all__ decides, underscores included."""
__all__ = ["one", "_two"]
one = 1
_two = 2
three = 3
