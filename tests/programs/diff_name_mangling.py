# Private names (__x) in a class body are mangled to _Class__x.
class P:
    __x = 1

    def get(self):
        return self.__x

    def __m(self):
        return "m"

    def call(self):
        return self.__m()


p = P()
print(p.get(), p.call(), P._P__x, hasattr(P, "__x"))
