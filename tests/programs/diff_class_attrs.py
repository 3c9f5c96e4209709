# Class attributes: __doc__ is None without a docstring, __mro__.
class A:
    pass


class B(A):
    '''B's doc.'''


print(A.__doc__, B.__doc__)
print(B.__mro__)
