# `from . import first` while first is partly run: 3.9 finds it in
# sys.modules as loop.first even though loop has no attribute first yet.
from . import first
def value():
    return first.VALUE
