# gilscope-only: the traceback passes through gilscope's own threading.py
import threading


def boom():
    return 1 / 0


t = threading.Thread(target=boom)
t.start()
t.join()
print("main thread goes on")
