# gilscope: dis
# A constant-false loop: the body is checked inside a loop block (so
# `break` and `continue` are legal) but not emitted; the else runs.
while 0:
    break
while False:
    continue
else:
    print("else")
def f(n):
    while 0:
        if n:
            break
        continue
    else:
        n += 1
    for i in range(n):
        while False:
            break
        else:
            print(i)
    return n
print(f(2))
