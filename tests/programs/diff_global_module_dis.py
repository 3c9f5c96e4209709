# gilscope: dis
# A name that a function declares `global` is a GLOBAL_EXPLICIT name of
# the module too: CPython 3.9 uses STORE_GLOBAL / LOAD_GLOBAL for it at
# module level (symtable adds it to the module's symbols), not *_NAME.
count = 0


def increment():
    global count
    count += 1


increment()
print(count)
