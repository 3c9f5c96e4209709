# gilscope-only
# gilscope-args: --max-ticks 100000
print("looping forever")
while True:
    pass
