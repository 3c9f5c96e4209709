# __debug__ is True (no -O) and a constant: `if __debug__:` needs no test.
print(__debug__)
if __debug__:
    print("debug build")
if not __debug__:
    print("never")
print([__debug__ for _ in range(2)])
