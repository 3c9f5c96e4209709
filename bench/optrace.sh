#!/usr/bin/env bash
# optrace.sh -- per-instruction tracing: events per second written by
# `gilscope run --trace op` against CPython running the same countdown under
# a sys.settrace opcode tracer that writes one JSON line per opcode
# (bench/settrace_peer.py).  Goal: gilscope >= 30x the peer's rate.
#
#   bench/optrace.sh [COUNT]      (default 300000)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count=${1:-300000}
gilscope=${GILSCOPE:-build/gilscope}
python=${PYTHON:-python3}
# Both tools write to the same place: $TMPDIR, else /dev/shm when there is
# one.  On a slow disk the kernel's copy of the ~250 MB trace dominates both.
dir=${TMPDIR:-/tmp}
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && dir=/dev/shm
tmp=$(mktemp -d -p "$dir")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/countdown.py" <<PY
def countdown(n):
    while n > 0:
        n -= 1
countdown($count)
PY

start=$(date +%s.%N)
"$gilscope" run --trace op -o "$tmp/gs.jsonl" "$tmp/countdown.py"
end=$(date +%s.%N)
gs_events=$(grep -c '"ev":"op"' "$tmp/gs.jsonl")
gs_secs=$(awk "BEGIN {print $end - $start}")

read -r _ py_events _ py_secs < <("$python" bench/settrace_peer.py "$count" "$tmp/py.jsonl")

gs_rate=$(awk "BEGIN {print $gs_events / $gs_secs}")
py_rate=$(awk "BEGIN {print $py_events / $py_secs}")
printf 'gilscope --trace op: %d events in %.3f s (%.2f M events/s, file written)\n' \
    "$gs_events" "$gs_secs" "$(awk "BEGIN {print $gs_rate / 1000000}")"
printf '%s settrace peer: %d events in %.3f s (%.2f M events/s)\n' \
    "$("$python" --version)" "$py_events" "$py_secs" "$(awk "BEGIN {print $py_rate / 1000000}")"
printf 'ratio (gilscope events/s / peer events/s): %.1f\n' "$(awk "BEGIN {print $gs_rate / $py_rate}")"
