# helper: imported by import_star.py
__all__ = ["ok", 7]
ok = "ok"
