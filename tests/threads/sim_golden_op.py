# The golden `--trace op` trace of tests/sim_fidelity.py (check golden-op):
# per-instruction records from two threads under the new GIL, in functions
# whose names the writer must copy exactly -- a short one, a lambda, a
# comprehension and one longer than any cache of formatted lines keeps.
import threading


def a_function_whose_name_is_long_enough_to_be_written_without_the_writers_cache_of_op_lines_xxxxxxxxxxxxxxxxxxxxxxxxxxxxx(n):
    return [i * 2 for i in range(n)]


def work(n):
    total = 0
    while n > 0:
        n -= 1
        total += (lambda x: x + 1)(n)
    return total


threads = [threading.Thread(target=work, args=(40,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(a_function_whose_name_is_long_enough_to_be_written_without_the_writers_cache_of_op_lines_xxxxxxxxxxxxxxxxxxxxxxxxxxxxx(5)))
