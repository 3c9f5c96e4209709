# gilscope-only: CPython 3.10+ name the function by its qualname
# CPython 3.9's argument errors name the function by co_name, "__init__()",
# not by its qualname "C.__init__()" as 3.10+ do.
class C:
    def __init__(self, a):
        self.a = a

    def m(self):
        return 1


try:
    C()
except TypeError as e:
    print(e)
try:
    C.m()
except TypeError as e:
    print(e)
