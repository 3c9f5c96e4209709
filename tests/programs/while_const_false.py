# `while 0: break` and `while False: continue` compile (the loop body is
# dead, but it is a loop body), and the else clause runs.
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
