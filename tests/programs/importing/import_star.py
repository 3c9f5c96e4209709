# from m import *: __all__ when the module has it (underscored names too,
# submodules of a package imported), else the public names; CPython 3.9's
# errors for a non-str in __all__ and a name it lists that is missing.
import sys
namespace = sys.modules[__name__].__dict__   # (gilscope has no globals() yet)
before = list(namespace)
from mod_public import *
print(sorted(k for k in namespace if k not in before and k != "before"))
print(alpha, beta, gamma())
from mod_listed import *
print(one, _two, "three" in namespace)
from kit import *
print(VERSION, tool.use(), "other" in namespace)
print("kit.tool" in sys.modules, "kit.other" in sys.modules)
try:
    from mod_badall import *
except TypeError as e:
    print("TypeError:", e)
try:
    from mod_missingall import *
except AttributeError as e:
    print("AttributeError:", e)
print(there)
