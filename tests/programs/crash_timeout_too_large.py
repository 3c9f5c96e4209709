# gilscope-only: CPython 3.9's message (3.11 words it differently)
# A timeout beyond _thread.TIMEOUT_MAX is an OverflowError, as in CPython;
# Event().wait(1e300) used to wait forever instead.
import threading

for wait in (lambda: threading.Event().wait(1e300),
             lambda: threading.Lock().acquire(timeout=1e10)):
    try:
        wait()
    except OverflowError as e:
        print("OverflowError:", e)
print(threading.Lock().acquire(timeout=9223372036.0))
