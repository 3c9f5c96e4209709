#!/usr/bin/env bash
# countdown.sh -- time scenarios/countdown.py under gilscope and under
# python3, alternating the two so that both see the same machine load, and
# print the median ratio gilscope/python3 (the goal: <= 1.0).
#
#   bench/countdown.sh [-n RUNS] [COUNT]
#
#   -n RUNS   runs of each interpreter (default 5, or $RUNS)
#   COUNT     what to count down from (default 10000000)
#   $GILSCOPE the gilscope to time (default build/gilscope)
#   $PYTHON   the python to compare with (default python3)
set -euo pipefail
export LC_ALL=C  # a "." decimal point for printf and sort
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${RUNS:-5}
if [ "${1:-}" = "-n" ]; then
    runs=${2:?-n needs a number}
    shift 2
fi
count=${1:-10000000}
gilscope=${GILSCOPE:-build/gilscope}
python=${PYTHON:-python3}
scenario=scenarios/countdown.py

case "$runs" in ''|*[!0-9]*|0) echo "countdown.sh: RUNS must be a positive integer" >&2; exit 2 ;; esac
if [ ! -x "$gilscope" ]; then
    echo "countdown.sh: $gilscope not found: build it first (./build.sh demo)" >&2
    exit 1
fi

# seconds INTERPRETER...: run the scenario, print the seconds it reports.
seconds() {
    local out
    out=$("$@" "$scenario" "$count")
    # "countdown(10000000) sequential: 0.532 s"
    sed -n 's/.*sequential: \([0-9.][0-9.]*\) s$/\1/p' <<<"$out" | grep . || {
        echo "countdown.sh: unexpected output from $*: $out" >&2
        exit 1
    }
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "countdown($count), $runs runs each, alternating"
echo "gilscope: $gilscope ($("$gilscope" --version 2>&1 | head -n 1))"
echo "python3:  $(command -v "$python") ($("$python" --version 2>&1))"
g_times=() p_times=() ratios=()
for i in $(seq 1 "$runs"); do
    g=$(seconds "$gilscope" run)
    p=$(seconds "$python")
    r=$(awk -v g="$g" -v p="$p" 'BEGIN { printf "%.4f", (p > 0) ? g / p : 0 }')
    printf 'run %d: gilscope %s s   python3 %s s   ratio %.2f\n' "$i" "$g" "$p" "$r"
    g_times+=("$g") p_times+=("$p") ratios+=("$r")
done
printf 'median: gilscope %s s   python3 %s s\n' \
    "$(printf '%s\n' "${g_times[@]}" | median)" "$(printf '%s\n' "${p_times[@]}" | median)"
printf 'ratio (gilscope/python3, median of %d): %.2f\n' "$runs" \
    "$(printf '%s\n' "${ratios[@]}" | median)"
