# zip() with no arguments is an empty iterator (gilscope looped forever).
print(list(zip()))
for t in zip():
    print("never", t)
print("done")
