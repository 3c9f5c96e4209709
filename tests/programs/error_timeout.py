# gilscope-only
# gilscope-args: --timeout 1
print("looping forever")
n = 0
while True:
    n += 1
