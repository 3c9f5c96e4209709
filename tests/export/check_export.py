#!/usr/bin/env python3
"""check_export.py -- the structural rules of `gilscope export --format chrome`.

    check_export.py EXPORT.json [--objects ID,...] [--trace TRACE.jsonl]

What the clients (the DevTools performance panel's engine, speedscope,
Perfetto) need from a file to keep every slice and draw every arrow, checked
without any of them:

  - the file is one JSON object with a traceEvents array;
  - every ts and dur is on the export's time grid, 1/1024 us: so that a
    client's ts + dur, computed in doubles, is exact;
  - no slice (X) is empty: a zero-length slice is invisible;
  - per thread, slices nest: two slices are disjoint or one holds the
    other (touching is disjoint) -- checked in exact integer grid units,
    which is what the clients' doubles hold;
  - every flow has one start and one end, each bound the way the DevTools
    engine binds it: to a slice of the same pid, tid and cat that starts at
    exactly its ts, and no other event of that pid, tid and cat starts
    there; the end comes after the start;
  - counters: only "refcount TYPE #OBJ" tracks, and only for the objects
    asked for (--objects), or, given the trace, for its three busiest
    objects (the viewer's --objects rule);
  - metadata: a process_name for the process, a thread_name for every
    track with events, and the "GIL holder" track.

Prints one summary line; exits 1 with the first problems found.
"""
import argparse
import collections
import json
import sys

GRID = 1024          # time units per microsecond
HOLDER_NAME = "GIL holder"


def units(value, what, problems):
    """A ts or dur in grid units; a problem if it is not on the grid."""
    scaled = value * GRID
    if scaled != int(scaled):
        problems.append(f"{what} {value!r} is not a multiple of 1/{GRID} us")
    return int(scaled)


def check_nesting(slices, where, problems):
    """slices: (start, end, name) in grid units; they must nest."""
    stack = []
    for start, end, name in sorted(slices, key=lambda s: (s[0], -s[1])):
        while stack and start >= stack[-1][1]:
            stack.pop()
        if stack and end > stack[-1][1]:
            problems.append(f"{where}: {name!r} [{start}, {end}) overlaps "
                            f"{stack[-1][2]!r} [{stack[-1][0]}, {stack[-1][1]}) (1/{GRID} us)")
        stack.append((start, end, name))


def busiest_objects(trace_path, n=3):
    """The trace's n busiest objects: most ref and dealloc events, the lower
    id first on a tie, at least two events."""
    counts = collections.Counter()
    with open(trace_path, encoding="utf-8") as f:
        for line in f:
            if '"ev":"ref"' in line or '"ev":"dealloc"' in line:
                counts[json.loads(line)["obj"]] += 1
    ranked = sorted((obj for obj, c in counts.items() if c >= 2),
                    key=lambda obj: (-counts[obj], obj))
    return set(ranked[:n])


def check_flows(events, starts_at, problems):
    """Every flow bound at both ends, as the DevTools engine binds."""
    ends = collections.defaultdict(dict)
    for e in events:
        if e["ph"] not in ("s", "f"):
            continue
        key = (e["pid"], e.get("tid"), e.get("cat"), units(e["ts"], "flow ts", problems))
        bound = starts_at.get(key, [])
        if len(bound) != 1 or bound[0] != "X":
            problems.append(f"flow {e['id']} {e['ph']} at ts {e['ts']} tid {e.get('tid')}: "
                            f"binds to {bound or 'nothing'}, not to one slice")
        if e["ph"] in ends[e["id"]]:
            problems.append(f"flow {e['id']}: two {e['ph']} events")
        ends[e["id"]][e["ph"]] = key[3]
    for fid, got in ends.items():
        if set(got) != {"s", "f"}:
            problems.append(f"flow {fid}: has only {sorted(got)}")
        elif got["f"] <= got["s"]:
            problems.append(f"flow {fid}: ends at or before its start")
    return len(ends)


def check_counters(events, wanted, problems):
    tracks = set()
    for e in events:
        if e["ph"] != "C":
            continue
        name = e["name"]
        if not name.startswith("refcount ") or "#" not in name:
            problems.append(f"unexpected counter {name!r}")
            continue
        obj = int(name.rsplit("#", 1)[1])
        tracks.add(obj)
        if wanted is not None and obj not in wanted:
            problems.append(f"a counter for object {obj}, which was not asked for")
    return tracks


def check_metadata(events, problems):
    names = {(e["pid"], e.get("tid")): e["args"]["name"] for e in events
             if e["ph"] == "M" and e["name"] in ("process_name", "thread_name")}
    used = {(e["pid"], e.get("tid")) for e in events if e["ph"] in ("X", "i")}
    for pid in {p for p, _ in used}:
        if not names.get((pid, None)):
            problems.append(f"process {pid} has no process_name")
    for pid, tid in used:
        if not names.get((pid, tid)):
            problems.append(f"track pid {pid} tid {tid} has no thread_name")
    if HOLDER_NAME not in names.values():
        problems.append(f"no {HOLDER_NAME!r} track")


def check(doc, wanted):
    """Returns (problems, summary)."""
    problems = []
    events = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        return ["not an object with a traceEvents array"], ""
    per_thread = collections.defaultdict(list)
    starts_at = collections.defaultdict(list)
    for e in events:
        if e["ph"] in ("M", "s", "f"):
            continue
        start = units(e["ts"], f"{e['name']!r} ts", problems)
        starts_at[(e["pid"], e.get("tid"), e.get("cat"), start)].append(e["ph"])
        if e["ph"] == "X":
            dur = units(e["dur"], f"{e['name']!r} dur", problems)
            if dur <= 0:
                problems.append(f"{e['name']!r} at ts {e['ts']} tid {e.get('tid')}: "
                                f"empty slice")
            per_thread[(e["pid"], e.get("tid"))].append((start, start + dur, e["name"]))
    for (pid, tid), slices in per_thread.items():
        check_nesting(slices, f"pid {pid} tid {tid}", problems)
    nflows = check_flows(events, starts_at, problems)
    tracks = check_counters(events, wanted, problems)
    check_metadata(events, problems)
    nslices = sum(len(s) for s in per_thread.values())
    summary = (f"{nslices} slices on {len(per_thread)} tracks, {nflows} flows, "
               f"{len(tracks)} counter tracks")
    return problems, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("export")
    ap.add_argument("--objects", help="the ids given to export --objects")
    ap.add_argument("--trace", help="the trace, to know its busiest objects")
    args = ap.parse_args()
    wanted = None
    if args.objects:
        wanted = {int(x) for x in args.objects.split(",")}
    elif args.trace:
        wanted = busiest_objects(args.trace)
    with open(args.export, encoding="utf-8") as f:
        doc = json.load(f)
    problems, summary = check(doc, wanted)
    for p in problems[:20]:
        print(f"{args.export}: {p}")
    if problems:
        print(f"{args.export}: {len(problems)} problems")
        return 1
    print(f"{args.export}: ok: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
