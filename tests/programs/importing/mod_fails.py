# helper: imported by import_errors.py
print("mod_fails runs")
raise ValueError("mod_fails cannot start")
