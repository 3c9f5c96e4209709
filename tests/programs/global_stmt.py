# global: functions that rebind module-level names.
counter = 0
label = "module"

def increment():
    global counter
    counter += 1

def read_only():
    return counter * 10

def shadow():
    label = "local"
    return label

def make_global():
    global created_later
    created_later = "made inside a function"

for _ in range(3):
    increment()
print(counter, read_only(), shadow(), label)
make_global()
print(created_later)

total = 0
def add_all(items):
    global total
    for x in items:
        total += x
    return total
print(add_all([1, 2, 3]), add_all([10]), total)
