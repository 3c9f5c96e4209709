# e.__traceback__ = None drops the traceback the exception carried: raised
# again, it shows only where it was raised the second time.
def f():
    raise ValueError("from f")


try:
    f()
except ValueError as e:
    e.__traceback__ = None
    print(e.__traceback__)
    err = e
raise err
