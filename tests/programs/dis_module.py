# gilscope: dis
# The whole-file listing, as `python3.9 -m dis dis_module.py` prints it.
import sys
total = 0
for i in range(3):
    if i % 2 == 0:
        total += i
    else:
        total -= 1
names = ["a", "b"]
pair = (1, 2)
while total < 10:
    total = total * 2 + 1
print(total, names[0], pair[-1], len(sys.argv) > 0)
