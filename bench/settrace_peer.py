"""settrace_peer.py COUNT OUT.jsonl -- the peer for bench/optrace.sh.

CPython's own way to watch every instruction: a sys.settrace tracer with
f_trace_opcodes, writing one JSON line per executed opcode (its name, line
and offset), like `gilscope run --trace op` does.  Runs the countdown loop
and prints how many events it wrote and how long it took.
"""
import dis
import json
import sys
import time


def countdown(n):
    while n > 0:
        n -= 1


def main():
    count = int(sys.argv[1])
    out = open(sys.argv[2], "w")
    events = 0

    def tracer(frame, event, arg):
        nonlocal events
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            op = dis.opname[code.co_code[frame.f_lasti]]
            out.write(json.dumps({"ev": "op", "t": time.perf_counter_ns(), "op": op,
                                  "line": frame.f_lineno, "offset": frame.f_lasti,
                                  "code": code.co_name}) + "\n")
            events += 1
        return tracer

    start = time.perf_counter()
    sys.settrace(tracer)
    countdown(count)
    sys.settrace(None)
    out.close()
    elapsed = time.perf_counter() - start
    print(f"events {events} seconds {elapsed:.3f}")


main()
