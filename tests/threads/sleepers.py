# 8 threads sleeping 0.2 s each overlap: the GIL is released while sleeping.
import threading
import time

start = time.perf_counter()
ts = [threading.Thread(target=time.sleep, args=(0.2,)) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
elapsed = time.perf_counter() - start
print("at least 0.2 s:", elapsed >= 0.19)
print("well under 1.6 s:", elapsed < 1.0)
