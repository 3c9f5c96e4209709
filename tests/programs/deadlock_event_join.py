# gilscope-only: CPython hangs here; the simulated machine finds that the
# event has nobody left to set it.
# gilscope-args: --clock sim --timeout 60
import threading

ready = threading.Event()


def worker():
    ready.wait()        # nobody sets it
    print("never")


t = threading.Thread(target=worker)
t.start()
t.join()                # joining a thread that waits for ever
