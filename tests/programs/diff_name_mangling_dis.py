# gilscope: dis
# Private names (__x) in a class body are mangled to _Class__x, in the
# class body and in its methods.
class P:
    __x = 1

    def get(self):
        return self.__x
