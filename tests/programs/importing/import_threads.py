# Four threads import the same slow module at once: its code runs once,
# and every thread gets the finished module (each waits for the import
# under way, as with CPython's per-module import locks).
import threading

results = []


def worker():
    import mod_slow
    results.append(mod_slow.total)


threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results)
