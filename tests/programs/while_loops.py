# while loops with break, continue and else.
n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    print("n", n)
else:
    print("loop ended normally")

i = 0
while True:
    i += 1
    if i > 3:
        break
    print("i", i)
else:
    print("never printed")

k = 10
while k > 0:
    k -= 3
print("k", k)

count = 0
while count < 3:
    count += 1
else:
    print("else after", count)

found = False
j = 0
while j < 10:
    if j * j > 20:
        found = True
        break
    j += 1
print("first j with j*j > 20:", j, found)
