#!/usr/bin/env bash
# view_load.sh -- the viewer's budgets, measured (not tests: timings on a
# shared machine are noisy):
#
#   load      1 M events in <= 1 s
#   memory    <= 32 bytes per event
#   frames    <= 16.7 ms at any zoom on a 10 M-event trace
#
#   bench/view_load.sh [EVENTS...]      (default: 1000000 10000000)
#
# For each size it makes two traces -- a synthetic GIL trace
# (bench/view_gen.c: four threads passing the GIL every few µs) and a real
# one (`gilscope run --cpython 2.7 --trace all scenarios/countdown.py`,
# mostly op and ref lines) -- and runs bench/view_bench.c on each.  Uses
# the build in $BUILD (default build/); traces go to $TMPDIR.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/view_load.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)

[ -x "$build/gilscope" ] || { echo "view_load.sh: build $build first (ninja -C $build)" >&2; exit 1; }
cc -O2 -o "$tmp/view_gen" bench/view_gen.c
cc -O2 -std=gnu11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iviewer -Itracer \
  $(pkg-config --cflags sdl2 SDL2_ttf SDL2_image fontconfig libcjson) bench/view_bench.c \
  "$build/viewer/libgsviewer.a" "$build/viewer/libgsviewer_core.a" "$build/tracer/libgstracer.a" \
  $(pkg-config --libs sdl2 SDL2_ttf SDL2_image fontconfig libcjson) -lm -o "$tmp/view_bench"

for n in "${sizes[@]}"; do
    echo "== synthetic GIL trace, $n events"
    "$tmp/view_gen" "$n" "$tmp/gen.jsonl"
    "$tmp/view_bench" "$tmp/gen.jsonl"
    rm -f "$tmp/gen.jsonl"
    # --trace all on countdown writes about 30 lines per count (op, ref, dealloc).
    count=$((n / 30))
    echo "== gilscope run --cpython 2.7 --trace all scenarios/countdown.py $count"
    "$build/gilscope" run --cpython 2.7 --trace all -o "$tmp/real.jsonl" scenarios/countdown.py "$count" > /dev/null
    "$tmp/view_bench" "$tmp/real.jsonl"
    rm -f "$tmp/real.jsonl"
done
