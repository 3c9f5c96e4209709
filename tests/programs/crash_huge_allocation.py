# gilscope-only: under memory overcommit CPython may try to fill 1 TB
# A huge allocation is a MemoryError, in the AddressSanitizer build too (it
# aborted there: ASan refuses such requests unless allocator_may_return_null).
try:
    x = 'a' * 10**12
except MemoryError:
    print('MemoryError')
