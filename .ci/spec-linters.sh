#!/usr/bin/env bash
# The OpenAPI linters teams in other languages run first on the spec they take:
# Spectral (`spectral:oas`) and Redocly (`recommended`), on openapi/stamps.yaml and on
# what `cargo xtask bundle` publishes (target/openapi/stamps.yaml and .json).
#
# Configured by the checked-in .spectral.yaml and redocly.yaml, and Redocly's
# .redocly.lint-ignore.yaml for single places (each rule turned off or down, and each
# place ignored, says why). Any error or warning fails the check: a warning is something a
# peer's tool reports that no one has justified. Such a failure is a problem of
# openapi/stamps.yaml (or of a config that must say why), not of this script.
#
# Needs node 20+ with npm and the npm registry; installs both tools itself under
# target/spec-linters/, pinned (.ci/spec-linters/package-lock.json), and reuses them on
# the next run while the pins are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

here=.ci/spec-linters
work=target/spec-linters
started=$SECONDS
step() { printf '\n==> %s (%d s)\n' "$*" "$((SECONDS - started))"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

step "Install Spectral and Redocly (pinned)"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$work/"
if ! cmp -s "$here/package-lock.json" "$work/node_modules/.spec-linters-lock"; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$work/node_modules/.spec-linters-lock"
fi
bin="$work/node_modules/.bin"
echo "spectral $("$bin/spectral" --version), redocly $("$bin/redocly" --version 2>/dev/null)"

step "Bundle the spec (cargo xtask bundle)"
cargo xtask bundle

# No usage data leaves CI.
export REDOCLY_TELEMETRY=off
specs=(openapi/stamps.yaml target/openapi/stamps.yaml target/openapi/stamps.json)
failed=()

step "Spectral (spectral:oas, .spectral.yaml) on ${specs[*]}"
"$bin/spectral" lint --ruleset .spectral.yaml --fail-severity warn --format text "${specs[@]}" ||
  failed+=("Spectral")

step "Redocly (recommended-strict, redocly.yaml) on ${specs[*]}"
# `recommended-strict` is `recommended` with its warnings made errors, so that they fail.
"$bin/redocly" lint --config redocly.yaml "${specs[@]}" || failed+=("Redocly")

if [ "${#failed[@]}" -gt 0 ]; then
  printf 'error: %s\n' "${failed[@]}" >&2
  die "the spec fails the peers' linters: fix openapi/stamps.yaml, or justify the rule in .spectral.yaml / redocly.yaml"
fi
step "Done: Spectral and Redocly accept the spec and its bundle, with no warning"
