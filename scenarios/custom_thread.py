# custom_thread -- seed 002's threading.Thread subclass: the work goes in
# run(), the constructor takes keyword arguments.
#
#   gilscope run scenarios/custom_thread.py
import threading
import time


class CustomThread(threading.Thread):
    def __init__(self, **kwargs):
        threading.Thread.__init__(self)
        self.param = kwargs.get('foo')

    def run(self):
        # This code executes in the Thread
        count = self.param
        while count > 0:
            count -= 1
            time.sleep(0.01)
        print(self.name, "counted down from", self.param)


threads = [CustomThread(foo=n) for n in (3, 5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("all done:", [t.is_alive() for t in threads])
