#!/usr/bin/env bash
# build.sh -- the two commands of the README:
#
#   ./build.sh demo    install what is missing, build, run `gilscope demo`: the
#                      canned scenarios under both GILs, shown in the viewer
#                      (or as PNGs without a display)
#   ./build.sh test    install what is missing, build, run every test, then
#                      build again with ASan+UBSan (build-asan/) and run them
#                      all there too, and with TSan (build-tsan/) the threaded
#                      tests; then fuzz the viewer's trace loader and the
#                      compiler with libFuzzer for FUZZ_SECONDS each
#                      (default 60; bench/view_fuzz.sh, bench/compile_fuzz.sh)
#
# Both install the Debian 12 packages that are missing (and only those:
# a second run installs nothing), configure build/ with meson if needed and
# build it with ninja.  CI runs `./build.sh test` through .ci/run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# What gilscope needs to build and test.  libc6-dev is what gcc merely
# recommends; without it nothing compiles.
# The viewer needs SDL2, SDL2_ttf, SDL2_image, fontconfig (to find a font)
# and a font: DejaVu.  clang is for the fuzzers; libFuzzer's runtime is in
# libclang-rt-14-dev, which clang only recommends (and a machine set not to
# install recommended packages would go without).  help2man writes the man
# page from `gilscope --help`; python3-venv, python3-pip and python3-mesonpy
# are for `pip install .` and its test (tests/install_test.py).
PACKAGES=(meson ninja-build pkg-config gcc libc6-dev libuv1-dev libcjson-dev libgmp-dev python3
          libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev fonts-dejavu-core
          clang libclang-rt-14-dev help2man python3-venv python3-pip python3-mesonpy)

# The real clients that tests/export/export_test.py opens exports in:
# speedscope runs in chromium (the DevTools performance panel's trace
# engine in node).  Installed without their recommended packages (chromium
# recommends ~100 more: fonts, X tools) and only for `test`; node and npm
# only when there are no `node` / `npm` commands (a nodejs from elsewhere
# may bring its own npm, which Debian's npm package conflicts with).  The
# npm packages go into build/npm (npm ci, versions fixed by
# tests/export/package-lock.json), never globally.  Without any of them the
# test skips, saying why.
CLIENT_PACKAGES=(chromium)
NPM_DIR=build/npm

BUILD_DIR=build
ASAN_DIR=build-asan
TSAN_DIR=build-tsan
TSAN_FLAGS=(-Db_sanitize=thread -Db_lundef=false)
# -fsanitize=undefined leaves out float-cast-overflow (a double converted to
# an integer type it does not fit: undefined behaviour, on x86 INT64_MIN), so
# it is asked for by name.
ASAN_FLAGS=(-Db_sanitize=address,undefined -Db_lundef=false
            -Dc_args=-fsanitize=float-cast-overflow
            -Dc_link_args=-fsanitize=float-cast-overflow)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

usage() {
    cat <<'EOF'
usage: ./build.sh COMMAND [ARGS...]

  demo [ARGS]   install missing packages, build, and run
                `build/gilscope demo [ARGS]` (e.g. --out DIR, --png)
  test          install missing packages (and the export test's clients:
                chromium, node, npm packages into build/npm), build, run
                `meson test` in build/, then build build-asan/ (ASan +
                UBSan) and run the tests there,
                build-tsan/ (TSan) and run the threaded tests there, then run
                each fuzzer (trace loader, compiler) for FUZZ_SECONDS seconds
                (an environment variable, default 60): a crash, leak or hang
                fails the run
  --help        this message

The packages (Debian 12): meson ninja-build pkg-config gcc libc6-dev
libuv1-dev libcjson-dev libgmp-dev python3 libsdl2-dev libsdl2-ttf-dev
libsdl2-image-dev libfontconfig-dev fonts-dejavu-core clang
libclang-rt-14-dev help2man python3-venv python3-pip python3-mesonpy.
Installing them needs root or sudo.  `test` also installs chromium (and
nodejs, npm when there is no node, npm) without their recommended
packages, and runs `npm ci` in build/npm with
tests/export/package-lock.json; where that fails, the export-clients test
is skipped.
EOF
}

say() { printf '\n==> %s\n' "$*"; }

# Print, one a line, the packages given that dpkg does not know as installed.
missing_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            printf '%s\n' "$pkg"
        fi
    done
}

# Install the packages dpkg does not know as installed.
install_packages() {
    local missing=()
    mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    say "installing ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "build.sh: not root and no sudo: please install ${missing[*]}" >&2
            exit 1
        fi
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# configure DIR [MESON OPTIONS...]: set DIR up, or give an existing one the
# options (ninja re-runs meson by itself when a meson.build changes).
configure() {
    local dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        # Set up already: apply the options anyway, in case build.sh asks
        # for different ones now (a tree set up before a flag was added).
        [ $# -eq 0 ] || meson configure "$dir" "$@"
        return
    elif [ -d "$dir/meson-private" ] || [ -d "$dir/meson-logs" ]; then
        # Left over by a setup that failed: start that directory again.
        rm -rf "$dir"
    fi
    meson setup "$dir" "$@"
}

build() {
    local dir=$1
    shift
    say "building $dir"
    configure "$dir" "$@" && ninja -C "$dir"
}

# The export test's real clients; a failure here only makes that test skip.
install_clients() {
    local missing=()
    mapfile -t missing < <(missing_packages "${CLIENT_PACKAGES[@]}")
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    if [ ${#missing[@]} -ne 0 ]; then
        say "installing ${missing[*]} (the export test's clients)"
        local sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
            --no-install-recommends "${missing[@]}" \
            || say "could not install ${missing[*]}: the export-clients test will skip"
    fi
    if command -v npm >/dev/null 2>&1 &&
       ! cmp -s tests/export/package-lock.json "$NPM_DIR/package-lock.json"; then
        say "npm ci in $NPM_DIR (speedscope, the DevTools trace engine)"
        rm -rf "$NPM_DIR" && mkdir -p "$NPM_DIR" &&
            cp tests/export/package.json tests/export/package-lock.json "$NPM_DIR"/ &&
            (cd "$NPM_DIR" && npm ci --no-audit --no-fund) \
            || { rm -rf "$NPM_DIR"; say "npm ci failed (no network?): the export-clients test will skip"; }
    fi
}

cmd_demo() {
    install_packages
    build "$BUILD_DIR"
    say "build/gilscope demo $*"
    "$BUILD_DIR/gilscope" demo "$@"
}

cmd_test() {
    install_packages
    build "$BUILD_DIR"
    install_clients
    local failed=()

    say "meson test -C $BUILD_DIR"
    meson test -C "$BUILD_DIR" --print-errorlogs || failed+=("$BUILD_DIR")

    # The same tests with AddressSanitizer (leaks included) and
    # UndefinedBehaviorSanitizer, which stops at its first report.
    if build "$ASAN_DIR" "${ASAN_FLAGS[@]}"; then
        say "meson test -C $ASAN_DIR (ASan + UBSan)"
        ASAN_OPTIONS=detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            meson test -C "$ASAN_DIR" --print-errorlogs --timeout-multiplier 2 \
            || failed+=("$ASAN_DIR")
    else
        failed+=("$ASAN_DIR (build)")
    fi

    # The threaded tests again with ThreadSanitizer: the VM must be free of
    # host data races (everything shared is guarded by the GIL or atomic).
    if build "$TSAN_DIR" "${TSAN_FLAGS[@]}"; then
        say "meson test -C $TSAN_DIR --suite threads (TSan)"
        TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
            meson test -C "$TSAN_DIR" --suite threads --print-errorlogs \
            --timeout-multiplier 3 || failed+=("$TSAN_DIR")
    else
        failed+=("$TSAN_DIR (build)")
    fi

    # A short libFuzzer run of each fuzz target: what an hour-long run
    # (bench/README.md) found is replayed by meson test from then on, this
    # looks for something new.  A finding is written under tests/ and fails.
    if command -v clang >/dev/null 2>&1; then
        say "fuzzing the trace loader for ${FUZZ_SECONDS} s"
        bench/view_fuzz.sh "$FUZZ_SECONDS" || failed+=("fuzz: trace loader")
        say "fuzzing the compiler for ${FUZZ_SECONDS} s"
        bench/compile_fuzz.sh "$FUZZ_SECONDS" || failed+=("fuzz: compiler")
    else
        say "no clang: the fuzzers are skipped"
    fi

    if [ ${#failed[@]} -ne 0 ]; then
        say "FAILED: ${failed[*]} (test logs: <dir>/meson-logs/testlog.txt; fuzz logs above)"
        exit 1
    fi
    say "all tests passed, in $BUILD_DIR, $ASAN_DIR and $TSAN_DIR; the fuzzers found nothing"
}

case "${1:-}" in
    demo) shift; cmd_demo "$@" ;;
    test)
        shift
        if [ $# -ne 0 ]; then
            echo "build.sh: test takes no arguments" >&2
            exit 2
        fi
        cmd_test ;;
    -h|--help|help) usage ;;
    "") usage; exit 2 ;;
    *) echo "build.sh: unknown command: $1" >&2; usage >&2; exit 2 ;;
esac
