# The golden `--trace op` trace of tests/sim_fidelity.py (check golden-op):
# per-instruction records from two threads under the old GIL (2.7), in functions
# whose names the writer must copy exactly -- a short one, a lambda, a
# comprehension, and one whose name alone is longer than a tail the writer's
# cache keeps (OP_TAIL_MAX, tracer/recorder.c).
import threading


def doubled_values_of_a_range_in_a_function_whose_name_is_longer_than_a_formatted_line_tail_the_writer_keeps_in_its_cache(n):
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
print(len(doubled_values_of_a_range_in_a_function_whose_name_is_longer_than_a_formatted_line_tail_the_writer_keeps_in_its_cache(5)))
