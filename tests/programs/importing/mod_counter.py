# helper: imported by import_basic.py
"""A module that counts how often its code runs."""
print("mod_counter runs as", __name__)
runs = 1
VALUE = 42


def double(x):
    return 2 * x


def boom():
    return 1 / 0
