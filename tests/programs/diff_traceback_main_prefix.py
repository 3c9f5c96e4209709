# An uncaught exception of a class defined in the program is printed with
# its module: `__main__.MyError: boom`.
class MyError(Exception):
    pass


raise MyError("boom")
