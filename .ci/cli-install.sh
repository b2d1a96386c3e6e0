#!/usr/bin/env bash
# cli/README.md's command-line flow, as a new user runs it: `cargo install --path cli`
# (debug, into target/, reusing this run's build), `stamps fake &`, then calls with the
# environment it prints. Fails on any non-zero exit or unexpected answer.
set -euo pipefail
cd "$(dirname "$0")/.."

root=target/ci-install
CARGO_TARGET_DIR=target cargo install --quiet --locked --debug --path cli --root "$root"
stamps="$root/bin/stamps"
out=$(mktemp)
"$stamps" fake >"$out" 2>/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^STAMPS_USER_MEMBER_ID=' "$out" && break; sleep 0.1; done
# shellcheck disable=SC2046
export $(cat "$out")

"$stamps" get-member-details --user alice@example.com | grep -q '"balance":1000'
"$stamps" credit-balance --user alice@example.com --amount 1000 --store 1 | grep -q '"balance":2000'
"$stamps" list-member-transactions --user alice@example.com --all >/dev/null
"$stamps" list-rewards --store 1 --all | grep -q '"name":"Free coffee"'
set +e
"$stamps" get-member-details --user nobody@example.com 2>/dev/null
code=$?
set -e
[ "$code" = 3 ] || { echo "an unknown member exits $code, not 3" >&2; exit 1; }
echo "cargo install --path cli, stamps fake and cli/README.md's calls: ok"
