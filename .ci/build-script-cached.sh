#!/usr/bin/env bash
# Checks that stamps' build script (progenitor over openapi/stamps.yaml, the costly
# part of a build) runs only when its inputs change:
#   1. a second `cargo build` with nothing changed does not re-run it;
#   2. touching a file of src/ does not re-run it either (only the crate recompiles);
#   3. touching the spec does re-run it.
#
# How a run is detected: cargo's `build-script-executed` JSON message cannot tell, as
# cargo emits it for a fresh (cached) build script too, replaying its output. It does
# give the script's OUT_DIR; cargo rewrites `OUT_DIR/../output` (the script's captured
# stdout) each time the script actually runs, so a changed mtime means it ran.
#
# Usage: .ci/build-script-cached.sh [extra `cargo build` arguments, e.g. --release]
# Honours CARGO_TARGET_DIR like cargo. Exits 1 naming the failed check (2 if cargo
# itself fails).
set -euo pipefail
cd "$(dirname "$0")/.."

SPEC=openapi/stamps.yaml
SOURCE=src/lib.rs
messages=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$messages" "$errors"' EXIT

# Builds, then prints the mtime (ns) of the build script's captured output.
build_and_stamp() {
  if ! cargo build -p stamps --message-format=json "$@" >"$messages" 2>"$errors"; then
    echo "build-script-cached: cargo build failed:" >&2
    cat "$errors" >&2
    exit 2
  fi
  # The package id is `path+file:///...#stamps@0.1.0` (cargo >= 1.77) or
  # `stamps 0.1.0 (path+file:///...)` (older).
  local out_dir
  out_dir=$(grep '"reason":"build-script-executed"' "$messages" |
    grep -E '"package_id":"([^"]*#stamps@|stamps [0-9])' |
    sed -E 's/.*"out_dir":"([^"]*)".*/\1/' | head -n 1)
  if [ -z "$out_dir" ] || [ ! -f "$out_dir/../output" ]; then
    echo "build-script-cached: cargo reported no build script output for package stamps" >&2
    exit 2
  fi
  stat -c '%.9Y' "$out_dir/../output"
}

fail() {
  echo "build-script-cached: FAILED: $*" >&2
  echo "  (build.rs prints cargo:rerun-if-changed for its inputs, the spec and build.rs;" >&2
  echo "   a missing or extra line, or a script writing into src/, breaks this)" >&2
  exit 1
}

echo "build-script-cached: first build (may run the build script)"
first=$(build_and_stamp "$@")

again=$(build_and_stamp "$@")
[ "$again" = "$first" ] ||
  fail "a second cargo build with nothing changed re-ran the build script"
echo "build-script-cached: ok: nothing changed, the build script did not run again"

touch "$SOURCE"
after_source=$(build_and_stamp "$@")
[ "$after_source" = "$again" ] ||
  fail "touching $SOURCE re-ran the build script; only the spec and build.rs should"
echo "build-script-cached: ok: touching $SOURCE did not re-run it"

touch "$SPEC"
after_spec=$(build_and_stamp "$@")
[ "$after_spec" != "$after_source" ] ||
  fail "touching $SPEC did not re-run the build script: the generated client would be stale"
echo "build-script-cached: ok: touching $SPEC re-ran it"
echo "build-script-cached: all 3 checks passed"
