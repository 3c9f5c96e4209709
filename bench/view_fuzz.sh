#!/usr/bin/env bash
# view_fuzz.sh -- fuzz the viewer's trace loader (and its layout) with
# libFuzzer for about a minute, and report what it did.
#
#   bench/view_fuzz.sh [SECONDS]        (default 60)
#
# Builds tests/viewer/fuzz_model.c with clang -fsanitize=fuzzer,address,
# undefined into $FUZZ_DIR (default /tmp/gilscope-fuzz), starts from the
# seeds in tests/viewer/fuzz-corpus/ and the format's tokens
# (tests/viewer/fuzz.dict).  An input that crashes, leaks or hangs is
# written to tests/viewer/fuzz-crashes/, where `meson test` (fuzz_replay)
# runs it from then on: fix the bug, keep the file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-60}
dir=${FUZZ_DIR:-/tmp/gilscope-fuzz}
mkdir -p "$dir/corpus"
cp tests/viewer/fuzz-corpus/* "$dir/corpus/"

command -v clang >/dev/null || { echo "view_fuzz.sh: needs clang (apt-get install clang)" >&2; exit 1; }
clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iviewer -Itracer -Ivm $(pkg-config --cflags libcjson) \
  tests/viewer/fuzz_model.c \
  viewer/model.c viewer/explain.c viewer/timefmt.c viewer/view.c viewer/draw.c viewer/layout.c \
  tracer/trace_read.c tracer/timeline.c tracer/stats.c \
  $(pkg-config --libs libcjson) -lm -o "$dir/fuzz_model"

before=$(ls tests/viewer/fuzz-crashes | wc -l)
echo "fuzzing the loader for ${seconds} s (corpus: $dir/corpus)"
set +e
"$dir/fuzz_model" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -dict=tests/viewer/fuzz.dict -print_final_stats=1 \
  -artifact_prefix=tests/viewer/fuzz-crashes/ "$dir/corpus" > "$dir/log.txt" 2>&1
status=$?
set -e
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|INFO: seed corpus|DONE" "$dir/log.txt" || true
echo "corpus now: $(ls "$dir/corpus" | wc -l) inputs; coverage: $(grep -o 'cov: [0-9]*' "$dir/log.txt" | tail -1)"
after=$(ls tests/viewer/fuzz-crashes | wc -l)
if [ "$status" -ne 0 ] || [ "$after" -ne "$before" ]; then
  echo "FOUND A PROBLEM: see $dir/log.txt and the new file(s) in tests/viewer/fuzz-crashes/"
  tail -30 "$dir/log.txt"
  exit 1
fi
echo "no crash, leak or hang found"
