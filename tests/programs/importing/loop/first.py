from . import second
VALUE = 1
