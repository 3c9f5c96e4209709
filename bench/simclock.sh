#!/usr/bin/env bash
# simclock.sh -- what the simulated clock costs in wall time: the
# single-thread countdown under `gilscope run --clock sim` against the same
# under `--clock real`, alternating, median of RUNS (default 5).
# Goal: the sim run takes at most 1.5x the real run's wall time.
#
#   bench/simclock.sh [-n RUNS] [COUNT]      (default COUNT 10000000)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${RUNS:-5}
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
count=${1:-10000000}
gilscope=${GILSCOPE:-build/gilscope}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/countdown.py" <<PY
def countdown(n):
    while n > 0:
        n -= 1
countdown($count)
PY

wall() {   # wall seconds of one run
    local start end
    start=$(date +%s.%N)
    "$gilscope" run "$@" "$tmp/countdown.py"
    end=$(date +%s.%N)
    awk "BEGIN {print $end - $start}"
}

ratios=()
for i in $(seq "$runs"); do
    real=$(wall --clock real)
    sim=$(wall --clock sim)
    ratio=$(awk "BEGIN {print $sim / $real}")
    ratios+=("$ratio")
    printf 'run %d: real %.3f s, sim %.3f s, sim/real %.2f\n' "$i" "$real" "$sim" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median sim/real wall time (countdown(%d), %d runs): %.2f\n' "$count" "$runs" "$median"
