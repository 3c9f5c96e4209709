# gilscope-only: on the real clock a deadlock is declared once every thread
# has waited --deadlock-wait seconds for something no thread can release.
# gilscope-args: --deadlock-wait 0.2 --timeout 60
import threading

a = threading.Lock()
b = threading.Lock()
a_taken = threading.Event()
b_taken = threading.Event()


def first():
    with a:
        a_taken.set()
        b_taken.wait()
        with b:
            print("first: never")


def second():
    with b:
        b_taken.set()
        a_taken.wait()
        with a:
            print("second: never")


t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
t1.join()
