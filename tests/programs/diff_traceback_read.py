# gilscope-only: gilscope has no traceback objects, so reading a raised exception's __traceback__ is a clear AttributeError (CPython gives a traceback object)
try:
    raise ValueError("v")
except ValueError as e:
    try:
        e.__traceback__
    except AttributeError as err:
        print("AttributeError:", err)
    e.__traceback__ = None
    print(e.__traceback__)
