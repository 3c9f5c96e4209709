# gilscope: dis
# try / except (with `as`, a tuple, bare) / else / finally, re-raise and
# raise ... from, at module level and in a function.
try:
    x = 1 / 0
except ZeroDivisionError as e:
    x = e
except (KeyError, TypeError):
    x = 2
except:
    raise
else:
    x = 3
finally:
    print(x)


def f(v):
    try:
        r = 10 // v
    except ZeroDivisionError as e:
        raise ValueError('v') from e
    else:
        r += 1
    finally:
        print('fin')
    return r


def g(l):
    for i in l:
        try:
            if i:
                continue
            return i
        except ValueError:
            break
    return -1
