# gilscope: dis
# Class bodies: class attributes, a docstring, methods that use super()
# (the __class__ cell), Base.__init__(self), and keyword arguments.
class Base:
    '''A base class.'''
    kind = 'base'

    def __init__(self, n, scale=1):
        self.n = n * scale

    def describe(self):
        return self.kind + str(self.n)


class Child(Base):
    kind = 'child'

    def __init__(self, n):
        super().__init__(n, scale=2)
        self.count = 0

    def describe(self):
        self.count += 1
        return 'child/' + super().describe()


class Other(Base):
    def __init__(self, n):
        Base.__init__(self, n)
