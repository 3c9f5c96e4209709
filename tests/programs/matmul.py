# The @ operator (PEP 465): BINARY_MATRIX_MULTIPLY and, for @=,
# INPLACE_MATRIX_MULTIPLY, calling __matmul__, __rmatmul__ and __imatmul__
# of guest classes; no built-in type has it.
class Matrix:
    def __init__(self, rows):
        self.rows = rows

    def __matmul__(self, other):
        if not isinstance(other, Matrix):
            return NotImplemented
        cols = list(zip(*other.rows))
        return Matrix([[sum(a * b for a, b in zip(row, col)) for col in cols]
                       for row in self.rows])

    def __rmatmul__(self, other):
        return "rmatmul with %r" % (other,)

    def __repr__(self):
        return "Matrix(%r)" % (self.rows,)


a = Matrix([[1, 2], [3, 4]])
b = Matrix([[5, 6], [7, 8]])
print(a @ b)
print([1, 2] @ a)      # list has no __matmul__: the right operand's __rmatmul__
c = a
c @= b                 # no __imatmul__: falls back to __matmul__, a new object
print(c, c is a)


class Acc:
    def __init__(self):
        self.log = []

    def __imatmul__(self, other):
        self.log.append(other)
        return self


acc = Acc()
same = acc
acc @= 1
acc @= "two"
print(acc.log, acc is same)

for left, right in [(1, 2), (1.5, 2), ("a", "b"), ([1], [2]), (a, 3)]:
    try:
        left @ right
    except TypeError as e:
        print(e)

x = 1
try:
    x @= 3
except TypeError as e:
    print(e)
