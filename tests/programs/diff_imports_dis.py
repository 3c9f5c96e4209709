# gilscope: dis
# Every form of import: dotted names, `as` of a dotted name (one
# IMPORT_FROM per part), relative imports (the level as a constant, the
# module "" for `from . import`), `import *` (IMPORT_STAR), and imports
# inside a function.
import os
import os.path
import a.b.c as d
import x as y, p.q
from . import m
from .. import n as nn
from .mod import y1, y2 as z
from ...pkg.sub import w
from m import *
from . import *


def f():
    import q.r as s
    from .t import u
    import a.b
    return s, u, a
