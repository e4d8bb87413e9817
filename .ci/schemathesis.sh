#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (from PyPI, in a venv) drives a demo
# server with the agency lead's token and with a client member's token, every default check,
# a bounded number of examples per operation and a bounded time. Zero failures, or this fails.
#
#   .ci/schemathesis.sh                  # builds keel (debug) into $CARGO_TARGET_DIR
#   KEEL=path/to/keel .ci/schemathesis.sh
#   EXAMPLES=25 SECONDS_PER_RUN=90 .ci/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/keel-target}"
EXAMPLES="${EXAMPLES:-25}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-90}"
VENV="${SCHEMATHESIS_VENV:-$HOME/.cache/keel-schemathesis-venv}"

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'schemathesis>=4.32,<5'
fi
"$VENV/bin/schemathesis" --version

if [ -z "${KEEL:-}" ]; then
  cargo build -q -p keel
  KEEL="$CARGO_TARGET_DIR/debug/keel"
fi

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db="sqlite://$work/keel.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

"$KEEL" --database "$db" demo >/dev/null
lead=$("$KEEL" --database "$db" token create --user agency@demo.local --name schemathesis | tail -n1 | awk '{print $NF}')
member=$("$KEEL" --database "$db" token create --user member-a@demo.local --name schemathesis | tail -n1 | awk '{print $NF}')
"$KEEL" --database "$db" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

status=0
# The member first: the lead's run may deactivate people of the organization.
for who in member lead; do
  token=$member; [ "$who" = lead ] && token=$lead
  echo "== schemathesis as the $who ($EXAMPLES examples per operation, at most ${SECONDS_PER_RUN}s)"
  timeout $((SECONDS_PER_RUN + 60)) "$VENV/bin/schemathesis" --no-color --config-file .ci/schemathesis.toml run \
    "http://127.0.0.1:$port/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --max-examples "$EXAMPLES" --max-time "$SECONDS_PER_RUN" \
    --seed 14 || status=$?
done
if [ "$status" != 0 ]; then
  echo "--- server log (last 40 lines)"; tail -n 40 "$work/serve.log"
fi
exit "$status"
