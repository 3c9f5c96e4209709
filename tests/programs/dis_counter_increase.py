class Counter:  # gilscope-only: CPython 3.9 bytecode (seed 001); the class must stay on line 1
    def __init__(self):
        self.count = 0

    def increase(self, n):
        for _ in range(n):
            self.count += 1

counter = Counter()
import dis
dis.dis(counter.increase)
