# in / not in, is / is not.
nums = [1, 2, 3]
print(2 in nums, 5 in nums, 5 not in nums, not 2 in nums)
print("gil" in "gilscope", "z" not in "gilscope", "" in "abc")
d = {"key": "value"}
print("key" in d, "value" in d, "value" in d.values())
print((1, 2) in [(1, 2), (3, 4)], [1] in [[1], [2]])
print(3 in range(5), 5 in range(5), 4 in range(0, 10, 2), 5 in range(0, 10, 2))
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c, b is not a)
x = None
print(x is None, x is not None, x == None)
print(True is True, type(1) is int, type("s") is str, type(x) is type(None))
def nothing():
    pass
print(nothing() is None)
