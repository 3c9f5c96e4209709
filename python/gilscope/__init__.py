"""gilscope, installed with pip: the native program and what it needs.

pip installs gilscope as this package (pyproject.toml, meson.build's
python_package): the binary ``gilscope``, the viewer module it loads
(``gilscope-viewer.so``, found beside the binary) and the lecture's
scenarios, all in this directory.  The ``gilscope`` command of the
environment and ``python -m gilscope`` both run the binary
(``__main__.py``).
"""
import os

_HERE = os.path.dirname(os.path.abspath(__file__))

#: The gilscope program itself.
EXECUTABLE = os.path.join(_HERE, "gilscope")

#: The canned scenarios (countdown.py, racy_counter.py, ...), to run with
#: ``gilscope run`` or to copy and change.
SCENARIOS = os.path.join(_HERE, "scenarios")
