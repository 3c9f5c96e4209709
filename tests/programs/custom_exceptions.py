# Custom exception classes, raise, and catching by base class.
class AppError(Exception):
    pass

class ConfigError(AppError):
    def __init__(self, key, problem):
        super().__init__(key + ": " + problem)
        self.key = key

class NotFound(AppError):
    pass

def load(key):
    if key == "bad":
        raise ConfigError(key, "invalid value")
    if key == "gone":
        raise NotFound("no such key: " + key)
    return key.upper()

for key in ["ok", "bad", "gone"]:
    try:
        print("loaded", load(key))
    except ConfigError as e:
        print("config error:", e, "| key =", e.key)
    except AppError as e:
        print("app error:", type(e).__name__, e)

try:
    raise AppError("one", 2)
except Exception as e:
    print(e.args, str(e), isinstance(e, AppError))

try:
    raise NotFound()
except AppError as e:
    print("empty message:", repr(str(e)), e.args)

def check(n):
    if n < 0:
        raise ValueError("negative: " + str(n))
    return n

try:
    check(5)
    check(-3)
except ValueError as e:
    print(e)
