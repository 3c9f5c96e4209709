# try / except / else / finally.
def attempt(x):
    try:
        print("try", x)
        result = 10 // x
    except ZeroDivisionError:
        print("except: division by zero")
        result = None
    else:
        print("else: no exception")
    finally:
        print("finally")
    return result

print(attempt(2))
print(attempt(0))

try:
    [][1]
except (KeyError, IndexError) as e:
    print("caught", type(e).__name__, e)

try:
    {}["missing"]
except LookupError as e:
    print("caught by base class", type(e).__name__, e)

try:
    try:
        int("abc")
    finally:
        print("inner finally runs first")
except ValueError as e:
    print("outer caught:", e)

def reraise():
    try:
        1 / 0
    except ZeroDivisionError:
        print("handling, then re-raising")
        raise

try:
    reraise()
except ZeroDivisionError as e:
    print("re-raised:", e)

def finally_return():
    try:
        return "from try"
    finally:
        print("finally before return")

print(finally_return())

for i in range(3):
    try:
        if i == 1:
            continue
        print("loop body", i)
    finally:
        print("loop finally", i)

try:
    undefined_thing
except NameError as e:
    print("NameError:", e)

try:
    "a" + 1
except TypeError:
    print("TypeError caught")

try:
    raise ValueError
except ValueError as e:
    print("bare class raised:", repr(e))
