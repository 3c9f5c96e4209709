# gilscope: dis
# break / continue / return through a `finally:` inline the finally body;
# CPython 3.9 then goes back to the line of the break / continue / return
# for the instructions that follow it (POP_TOP, JUMP_ABSOLUTE, POP_BLOCK).
for i in range(3):
    try:
        break
    finally:
        print(i)

for i in range(3):
    try:
        continue
    finally:
        print(i)


def k():
    try:
        try:
            return 'a'
        finally:
            print('inner')
    finally:
        print('outer')
