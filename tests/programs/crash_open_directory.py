# open() of a directory is IsADirectoryError, for reading too (open(2)
# itself lets a directory be opened read-only; it used to succeed).
for mode in ("r", "w"):
    try:
        open("/", mode)
    except IsADirectoryError as e:
        print(mode, type(e).__name__, e)
print(issubclass(IsADirectoryError, OSError))
