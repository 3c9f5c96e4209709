# An exception that a thread's run() lets out goes to threading.excepthook:
# by default "Exception in thread NAME:" and the traceback on stderr, and
# the program goes on; a program may set its own hook, which gets the
# exception type, value and the thread (args.exc_traceback: see
# docs/differences.md); SystemExit is ignored by the default hook; a hook
# that fails is reported as CPython 3.9 reports it.
import sys
import threading


def divide():
    return 1 / 0


t = threading.Thread(target=divide, name="divider")
t.start()
t.join()
print("the main thread goes on")

seen = []


def my_hook(args):
    seen.append((args.exc_type.__name__, str(args.exc_value), args.thread.name,
                 args.thread is threading.current_thread()))


threading.excepthook = my_hook


def fail():
    raise ValueError("bad value")


t = threading.Thread(target=fail, name="failer")
t.start()
t.join()
print(seen)
exc_type, exc_value, exc_tb, thread = threading.ExceptHookArgs(
    [KeyError, KeyError("k"), None, None])
print(exc_type.__name__, repr(exc_value), exc_tb, thread)
try:
    threading.ExceptHookArgs([1, 2, 3])
except TypeError as e:   # (3.9 and 3.11 word it differently)
    print("TypeError", "4-sequence (3-sequence given)" in str(e))


def broken_hook(args):
    raise RuntimeError("the hook itself fails")


threading.excepthook = broken_hook
t = threading.Thread(target=fail, name="failer2")
t.start()
t.join()
print("still going")

threading.excepthook = seen.append
t = threading.Thread(target=sys.exit, args=(3,), name="exiter")
t.start()
t.join()
print(len(seen), seen[-1].exc_type.__name__, seen[-1].thread.name)
