class Counter2:  # gilscope-only: CPython 3.9 bytecode (seed 001); the class must stay on line 1
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def increase(self, n):
        for _ in range(n):
            self.lock.acquire()
            self.count += 1
            self.lock.release()

# No instance: __init__ would need threading, which arrives in a later issue.
import dis
dis.dis(Counter2.increase)
