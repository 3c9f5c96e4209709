# gilscope-only: checks the traceback on stderr
print("start")
x = 1
print(undefined_name + x)
