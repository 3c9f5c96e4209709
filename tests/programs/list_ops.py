# list methods, operators and reprs.
a = [3, 1, 2]
a.append(5)
print(a, len(a))
a.extend([9, 8])
print(a)
a.insert(0, 7)
print(a)
print(a.pop(), a.pop(0), a)
a.remove(1)
print(a, a.index(5), a.count(2))
a.sort()
print(a)
a.reverse()
print(a)
print([1, 2] + [3], [0] * 4, [[1, 2], ["x", None]])
print([], [[]], list(), list("abc"), list(range(4)), list((1, 2)))
print(2 in a, 10 in a, 10 not in a)
b = a
b.append(100)
print(a is b, a)
c = a[:]
c.append(-1)
print(len(a), len(c))
a[0] = "first"
a[-1] = "last"
print(a)
print([1, 2, 3] == [1, 2, 3], [1, 2] < [1, 3], [2] > [1, 9])
nums = [5, 3, 8]
nums.sort(reverse=True)
print(nums)
words = ["pear", "fig", "banana"]
words.sort(key=len)
print(words)
print(a.clear(), a)
