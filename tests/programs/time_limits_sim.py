# gilscope-only: CPython 3.9's messages (3.10+ word the OverflowError and TypeError differently)
# gilscope-args: --clock sim
# The same checks as time_limits.py, on the simulated clock.
import time, threading
def t(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "!!", type(e).__name__ + ":", e)
for v in [float("inf"), float("-inf"), float("nan"), 1e11, -1, -0.5, 1e300, 9223372037.0, 2**62, -2**62, "1", None, 0, 0.0, -0.0, 1e-300]:
    t("sleep(%r)" % (v,), lambda: time.sleep(v))
lock = threading.Lock()
for v in [float('inf'), float('-inf'), float('nan'), 1e11, -1, -2, -0.5, 1e300, 9223372036.0, 9223372037.0, 2**62, -2**62, True, "1", None, 0, -1.0]:
    def acq():
        r = lock.acquire(timeout=v)
        if r: lock.release()
        return r
    t("acquire(timeout=%r)" % (v,), acq)
    def acq2():
        r = lock.acquire(False, timeout=v)
        if r: lock.release()
        return r
    t("acquire(False, timeout=%r)" % (v,), acq2)
lock.acquire()
for v in [0, 0.01, -0.0]:
    t("held acquire(timeout=%r)" % (v,), lambda: lock.acquire(timeout=v))
lock.release()
rl = threading.RLock()
for v in [float('nan'), -2, 1e11, float('inf')]:
    def racq():
        r = rl.acquire(timeout=v)
        if r: rl.release()
        return r
    t("rlock acquire(timeout=%r)" % (v,), racq)
ev = threading.Event()
for v in [float('-inf'), float('nan'), -1, -2, -0.5, 0, -1e300, 1e-9, "1"]:
    t("Event.wait(%r)" % (v,), lambda: ev.wait(v))
# join() on a thread still running (it waits for go): a negative timeout
# means 0.  A join that raises is the last one on its thread: after it,
# CPython takes the thread for ended (docs/differences.md).
go = threading.Event()
for bad in [float('inf'), float('nan'), 1e11]:
    th = threading.Thread(target=go.wait)
    th.start()
    for v in [-1, float('-inf'), 0, "1", bad]:
        t("running: join(%r)" % (v,), lambda: th.join(v))
go.set()
th.join()
print("alive:", th.is_alive())
# On a thread seen to have ended, join() looks at no timeout.
for v in [float('inf'), float('nan'), 1e11, -1, None]:
    t("ended: join(%r)" % (v,), lambda: th.join(v))
t("ended: join('1')", lambda: th.join("1"))
