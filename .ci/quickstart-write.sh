#!/usr/bin/env bash
# The quickstart's --write as a new user runs it, against the fake as a process
# (`cargo run --example fake_server`): it must write only to the demo member it
# registers, never to the existing customer named by STAMPS_USER.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --locked --example fake_server --example quickstart
out=$(mktemp)
cargo run --quiet --locked --example fake_server >"$out" 2>/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^STAMPS_USER_MEMBER_ID=' "$out" && break; sleep 0.1; done
set -a
# shellcheck disable=SC1090
. "$out"
set +a

# STAMPS_USER's balance and stamps, as the legacy status API reports them.
status() {
  python3 - <<'PY'
import json, os, urllib.request
url = f"{os.environ['STAMPS_BASE_URL']}/api/memberships/status?user={os.environ['STAMPS_USER']}&merchant={os.environ['STAMPS_MERCHANT']}"
req = urllib.request.Request(url, headers={"Authorization": f"Token {os.environ['STAMPS_TOKEN']}"})
body = json.load(urllib.request.urlopen(req))
print(body["balance"], body["stamps"])
PY
}

before=$(status)
cargo run --quiet --locked --example quickstart -- --write
after=$(status)
if [ "$before" != "$after" ]; then
  echo "FAIL: quickstart --write changed STAMPS_USER ($STAMPS_USER): balance and stamps $before -> $after" >&2
  exit 1
fi
echo "quickstart --write left STAMPS_USER ($STAMPS_USER) as it was: balance and stamps $after"
