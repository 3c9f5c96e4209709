# An exception's __cause__, __context__, __suppress_context__ and
# __traceback__ are kept in the exception itself: assigning them changes
# what is printed, and a value of the wrong type is a TypeError.
def tr(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__ + ":", e)


e = ValueError("v")
print(e.__cause__, e.__context__, e.__suppress_context__, e.__traceback__)
e.__context__ = KeyError("k")
print(repr(e.__context__), e.__suppress_context__)
e.__cause__ = TypeError("t")
print(repr(e.__cause__), e.__suppress_context__)
e.__suppress_context__ = False
e.__cause__ = None
print(e.__cause__, e.__suppress_context__)
tr(lambda: setattr(e, '__cause__', 1))
tr(lambda: setattr(e, '__context__', "x"))
tr(lambda: delattr(e, '__cause__'))
tr(lambda: delattr(e, '__context__'))
tr(lambda: setattr(e, '__suppress_context__', 1))
tr(lambda: setattr(e, '__traceback__', 1))
tr(lambda: delattr(e, '__traceback__'))
e.__traceback__ = None
print(e.__traceback__)
