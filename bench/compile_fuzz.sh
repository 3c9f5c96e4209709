#!/usr/bin/env bash
# compile_fuzz.sh -- fuzz the compiler (and the `dis` printer) with
# libFuzzer for about a minute, and report what it did.
#
#   bench/compile_fuzz.sh [SECONDS]     (default 60)
#
# Builds tests/unit/fuzz_compile.c and the interpreter's sources with clang
# -fsanitize=fuzzer,address,undefined into $FUZZ_DIR (default
# /tmp/gilscope-fuzz-compile), starts from the golden programs
# (tests/programs/*.py), the kept findings (tests/unit/fuzz-compile-crashes/)
# and Python's tokens (tests/unit/fuzz_compile.dict).  An input that crashes,
# leaks or hangs is written to tests/unit/fuzz-compile-crashes/, where
# `meson test` (fuzz_compile_replay) runs it from then on: fix the bug,
# keep the file (and give it a name that says what it found).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-60}
dir=${FUZZ_DIR:-/tmp/gilscope-fuzz-compile}
crashes=tests/unit/fuzz-compile-crashes
mkdir -p "$dir/corpus" "$dir/gen"
cp tests/programs/*.py "$dir/corpus/"
find "$crashes" -type f ! -name README -exec cp {} "$dir/corpus/" \;

command -v clang >/dev/null || { echo "compile_fuzz.sh: needs clang (apt-get install clang)" >&2; exit 1; }
# What meson generates for the library: the configuration header and the
# embedded threading module.
printf '#pragma once\n#define GS_VERSION "fuzz"\n#define GS_VIEWER_DIR "/nonexistent"\n' \
  > "$dir/gen/gs_config.h"
python3 vm/runtime/embed.py vm/runtime/lib/threading.py "$dir/gen/lib_threading.c" gs_lib_threading
clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ivm -I"$dir/gen" $(pkg-config --cflags libuv gmp) \
  tests/unit/fuzz_compile.c vm/threads/*.c vm/objects/*.c vm/compiler/*.c vm/runtime/*.c \
  "$dir/gen/lib_threading.c" \
  $(pkg-config --libs libuv gmp) -lm -lpthread -o "$dir/fuzz_compile"

before=$(ls "$crashes" | wc -l)
echo "fuzzing the compiler for ${seconds} s (corpus: $dir/corpus)"
set +e
"$dir/fuzz_compile" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -dict=tests/unit/fuzz_compile.dict -print_final_stats=1 \
  -artifact_prefix="$crashes/" "$dir/corpus" > "$dir/log.txt" 2>&1
status=$?
set -e
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|INFO: seed corpus|DONE" "$dir/log.txt" || true
echo "corpus now: $(ls "$dir/corpus" | wc -l) inputs; coverage: $(grep -o 'cov: [0-9]*' "$dir/log.txt" | tail -1)"
after=$(ls "$crashes" | wc -l)
if [ "$status" -ne 0 ] || [ "$after" -ne "$before" ]; then
  echo "FOUND A PROBLEM: see $dir/log.txt and the new file(s) in $crashes/"
  tail -30 "$dir/log.txt"
  exit 1
fi
echo "no crash, leak or hang found"
