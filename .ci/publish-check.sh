#!/usr/bin/env bash
# The published spec works from other languages: bundle it as `cargo xtask bundle` does
# for publishing, generate a Python client (openapi-python-client) and TypeScript types
# (openapi-typescript) from it, compile them, and make real calls with each against the
# fake Stamps server (`cargo run --example fake_server`), checking the decoded answers.
#
# Needs python3 (3.11+, with venv and pip), node 20+ with npm, and PyPI and the npm
# registry; installs everything else itself under target/publish-check/, pinned
# (.ci/publish-check/python/requirements.txt, .ci/publish-check/ts/package-lock.json),
# and reuses it on the next run while the pins are unchanged.
#
# A generator warning fails the check: it means a client with pieces missing. Such a
# failure is a problem of openapi/stamps.yaml, not of this script.
set -euo pipefail
cd "$(dirname "$0")/.."

here=.ci/publish-check
work=target/publish-check
spec_yaml=target/openapi/stamps.yaml
spec_json=target/openapi/stamps.json
started=$SECONDS
step() { printf '\n==> %s (%d s)\n' "$*" "$((SECONDS - started))"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in cargo python3 node npm; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
mkdir -p "$work"

step "Bundle the spec (cargo xtask bundle)"
cargo xtask bundle

step "Build and start the fake Stamps server (cargo run --example fake_server)"
# Built, then run directly rather than under `cargo run`, so that killing it stops it; its
# path comes from cargo's own report (whatever CARGO_TARGET_DIR or --target say).
server_bin=$(cargo build --example fake_server --locked --message-format=json-render-diagnostics |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "fake_server" and m.get("executable"):
        print(m["executable"])')
[ -x "$server_bin" ] || die "cargo built no fake_server example"
server_out="$work/fake_server.out"
"$server_bin" >"$server_out" 2>"$work/fake_server.err" &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# It prints its KEY=value lines once it listens.
for _ in $(seq 100); do
  grep -q '^STAMPS_USER=' "$server_out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "the fake server exited: $(cat "$work/fake_server.err")"
  sleep 0.1
done
grep -q '^STAMPS_USER=' "$server_out" || die "the fake server printed no STAMPS_USER line in 10 s"
while IFS='=' read -r key value; do
  case "$key" in STAMPS_*) export "$key=$value" ;; esac
done <"$server_out"
echo "fake server at $STAMPS_BASE_URL (merchant $STAMPS_MERCHANT, member $STAMPS_USER)"

step "Python: install openapi-python-client (pinned) in a virtualenv"
venv="$work/venv"
requirements="$here/python/requirements.txt"
if ! cmp -s "$requirements" "$venv/requirements.installed"; then
  rm -rf "$venv"
  python3 -m venv "$venv" ||
    die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.installed"
fi
"$venv/bin/openapi-python-client" --version

step "Python: generate a client from $spec_json (warnings are errors)"
rm -rf "$work/python-client"
# venv/bin on PATH: the generator's post-hooks run the ruff installed with it. A plain
# Python traceback, not typer's boxed one, if it crashes.
PATH="$PWD/$venv/bin:$PATH" _TYPER_STANDARD_TRACEBACK=1 COLUMNS=120 \
  "$venv/bin/openapi-python-client" generate \
  --path "$spec_json" --output-path "$work/python-client" --meta setup \
  --config "$here/python/config.yaml" --fail-on-warning ||
  die "openapi-python-client cannot generate a working client: fix openapi/stamps.yaml (message above)"

step "Python: install it in the virtualenv and import it"
"$venv/bin/pip" uninstall --quiet --yes stamps-api-client 2>/dev/null || true
# Offline: its dependencies (httpx, attrs) came with the generator.
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-index --no-build-isolation \
  "$work/python-client"
"$venv/bin/python" -c "import stamps_api_client; print('import stamps_api_client: ok')"

step "Python: calls against the fake server"
"$venv/bin/python" "$here/python/check.py"

step "TypeScript: install openapi-typescript and typescript (pinned)"
ts="$work/ts"
mkdir -p "$ts"
cp "$here/ts/package.json" "$here/ts/package-lock.json" "$ts/"
if ! cmp -s "$here/ts/package-lock.json" "$ts/node_modules/.publish-check-lock"; then
  (cd "$ts" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/ts/package-lock.json" "$ts/node_modules/.publish-check-lock"
fi

step "TypeScript: generate types from $spec_yaml (warnings are errors)"
rm -rf "$ts/out" "$ts"/*.ts
cp "$here/ts/"*.ts "$here/ts/tsconfig.json" "$ts/"
# Its own Redocly config (.ci/publish-check/ts/redocly.yaml says why).
generated=$("$ts/node_modules/.bin/openapi-typescript" "$spec_yaml" -o "$ts/stamps.ts" \
  --redocly "$here/ts/redocly.yaml" 2>&1) ||
  die "openapi-typescript failed: $generated"
echo "$generated"
# Its banner and the "→ stamps.ts" line aside, anything it prints is a diagnostic.
if grep -v -e '^✨ openapi-typescript' -e '→' <<<"$generated" | grep -Eiq 'warn|error'; then
  die "openapi-typescript reported problems (see above)"
fi

step "TypeScript: type-check the generated types and the typed wrapper (tsc --noEmit, strict)"
(cd "$ts" && ./node_modules/.bin/tsc --noEmit -p .)

step "TypeScript: calls against the fake server"
(cd "$ts" && ./node_modules/.bin/tsc -p . && node out/check.js)

step "Done: the spec generates working Python and TypeScript clients"
