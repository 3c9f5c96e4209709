# ImportError and ModuleNotFoundError as CPython 3.9 words them; a module
# whose code fails is not left in sys.modules (and runs again next time);
# a SyntaxError names the imported module's file.
import sys

HERE = sys.path[0]


def show(e):
    print(type(e).__name__ + ":", str(e).replace(HERE, "<here>"))


for stmt in ["import no_such_module", "import mod_plain.sub", "from mod_plain import y",
             "from sys import no_such_name", "from shapes import no_such_name",
             "import shapes.no_such_sub", "from . import mod_plain",
             "from .mod_plain import x", "import mod_fails", "import mod_fails"]:
    try:
        if stmt == "import no_such_module":
            import no_such_module
        elif stmt == "import mod_plain.sub":
            import mod_plain.sub
        elif stmt == "from mod_plain import y":
            from mod_plain import y
        elif stmt == "from sys import no_such_name":
            from sys import no_such_name
        elif stmt == "from shapes import no_such_name":
            from shapes import no_such_name
        elif stmt == "import shapes.no_such_sub":
            import shapes.no_such_sub
        elif stmt == "from . import mod_plain":
            from . import mod_plain
        elif stmt == "from .mod_plain import x":
            from .mod_plain import x
        else:
            import mod_fails
    except ImportError as e:
        show(e)
        print("  name:", e.name)
    except ValueError as e:
        show(e)
        print("  in sys.modules:", "mod_fails" in sys.modules)

try:
    import mod_syntax
except SyntaxError as e:
    print("SyntaxError in", e.filename.replace(HERE, "<here>"), "line", e.lineno)
print("mod_syntax" in sys.modules)
sys.modules["mod_plain"] = None
try:
    import mod_plain
except ModuleNotFoundError as e:
    show(e)
del sys.modules["mod_plain"]
import mod_plain
print(mod_plain.x)
import mod_syntax
