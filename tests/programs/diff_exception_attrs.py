# Exception attributes and raise ... from: __suppress_context__, a cause
# that is not an exception, sys.exc_info().
import sys

try:
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise ValueError('wrapped') from e
except ValueError as e:
    print(e, type(e.__cause__).__name__, e.__suppress_context__)
try:
    raise ValueError('x') from None
except ValueError as e:
    print(e.__cause__, e.__suppress_context__)
try:
    raise KeyError('k')
except KeyError as e:
    print(e.__suppress_context__)
try:
    raise ValueError from 5
except TypeError as e:
    print(e)
try:
    raise ValueError('v')
except ValueError:
    t, v, tb = sys.exc_info()
    print(t.__name__, v)
print(sys.exc_info())
