# gilscope-only
# The program ends when every non-daemon thread has ended, including the
# threads that other threads start after the main thread has finished
# (threading._shutdown joined only the threads running when it began, and
# the rest were stopped without a word).
import threading
import time


def step(k):
    time.sleep(0.05)
    if k < 4:
        threading.Thread(target=step, args=(k + 1,)).start()
    else:
        print("the last thread ran")


threading.Thread(target=step, args=(0,)).start()
print("main done")
