#!/usr/bin/env bash
# tracing.sh -- what GIL-level tracing costs: the 2-thread countdown
# (scenarios/countdown.py) with and without `-o TRACE` (the default
# categories: gil, thread, lock, io, gc, print), alternating, RUNS times each.
# Prints the median threaded time of each and the overhead.  Goal: <= 5 %.
#
#   bench/tracing.sh [-n RUNS] [--cpython V] [COUNT]
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=5
cpython=3.12
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs=$2; shift 2 ;;
        --cpython) cpython=$2; shift 2 ;;
        *) break ;;
    esac
done
count=${1:-10000000}
gilscope=${GILSCOPE:-build/gilscope}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

threaded() { sed -n 's/.* in 2 threads: \([0-9.]*\) s/\1/p'; }
plain=(); traced=()
for i in $(seq "$runs"); do
    p=$("$gilscope" run --cpython "$cpython" scenarios/countdown.py "$count" | threaded)
    t=$("$gilscope" run --cpython "$cpython" -o "$tmp/t.jsonl" scenarios/countdown.py "$count" | threaded)
    events=$(($(wc -l < "$tmp/t.jsonl") - 2))
    echo "run $i: untraced $p s, traced $t s ($events events)"
    plain+=("$p"); traced+=("$t")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mp=$(median "${plain[@]}"); mt=$(median "${traced[@]}")
echo "median threaded countdown ($cpython): untraced $mp s, traced $mt s"
printf 'tracing overhead: %.1f %%\n' "$(awk "BEGIN {print ($mt - $mp) / $mp * 100}")"
