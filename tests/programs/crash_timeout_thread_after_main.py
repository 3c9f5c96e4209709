# gilscope-only
# gilscope-args: --timeout 1
# The main thread ends, a thread spins on: --timeout must still report the
# stop (exit status 3 and a message), not exit 0 as if the program had ended.
import threading


def spin():
    while True:
        pass


threading.Thread(target=spin).start()
print("main done")
