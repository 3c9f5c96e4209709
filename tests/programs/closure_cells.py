# __closure__ and cell objects: a closure's free variables live in cells
# that the inner function shares with the outer one.
def make_counter():
    count = 0
    def bump():
        nonlocal count
        count += 1
        return count
    return bump

bump = make_counter()
bump()
bump()
cell, = bump.__closure__
print(type(cell).__name__, cell.cell_contents)
print(repr(cell))
print(bump.__code__.co_freevars, make_counter.__code__.co_cellvars)
cell.cell_contents = 10      # writes the variable the closure sees
print(bump())

def plain():
    return 1

print(plain.__closure__)

# A cell made before its variable is assigned is empty.
def early():
    def read():
        return later
    cells = read.__closure__
    print(repr(cells[0]))
    try:
        cells[0].cell_contents
    except ValueError as e:
        print("ValueError:", e)
    later = "now set"
    return cells[0].cell_contents, read()

print(early())

def deleting():
    v = 1
    def read():
        return v
    del v
    try:
        read()
    except NameError:
        print("NameError")   # (3.11 words it differently)
    c = read.__closure__[0]
    try:
        c.cell_contents
    except ValueError as e:
        print("ValueError:", e)
    c.cell_contents = 2
    print(read())
    del c.cell_contents
    try:
        read()
    except NameError:
        print("NameError")   # (3.11 words it differently)

deleting()

def two():
    a, b = 1, "x"
    def inner():
        return a, b
    return inner

inner = two()
print([c.cell_contents for c in inner.__closure__], inner.__code__.co_freevars)
try:
    inner.__closure__ = None
except AttributeError as e:
    print("AttributeError:", e)
