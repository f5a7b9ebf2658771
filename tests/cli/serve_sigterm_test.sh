#!/usr/bin/env bash
# `rampart serve` stops gracefully on SIGTERM: it stops accepting, answers the request in flight
# (with Connection: close) and exits 0.   tests/cli/serve_sigterm_test.sh RAMPART_BINARY
set -uo pipefail
bin=$1
dir=$(mktemp -d /tmp/rampart-sigterm.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- server output:"; cat "$dir/out"; echo "0 passed, 1 failed"; exit 1; }

"$bin" init --db "$dir/r.db" --org "Signal test" >/dev/null || fail "init"
"$bin" serve --db "$dir/r.db" --listen 127.0.0.1:0 >"$dir/out" 2>&1 &
pid=$!
for _ in $(seq 200); do grep -q "serving on" "$dir/out" && break; sleep 0.05; done
port=$(sed -n 's#.*serving on http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$dir/out")
[ -n "$port" ] || fail "the server did not start"

body='{"username":"nobody","password":"not the password"}'
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
  "${#body}" "${body:0:12}" >&3
sleep 0.5
kill -TERM "$pid"
sleep 0.5
kill -0 "$pid" 2>/dev/null || fail "the server exited with a request in flight"
printf '%s' "${body:12}" >&3
response=$(timeout 10 cat <&3)
exec 3<&-
rc=0
timeout 15 tail --pid="$pid" -f /dev/null || fail "the server did not exit after SIGTERM"
wait "$pid" || rc=$?
pid=""
[[ "$response" == "HTTP/1.1 401"* ]] || fail "the request in flight got: ${response:0:200}"
grep -qi "^Connection: close" <<<"${response//$'\r'/}" || fail "no Connection: close in: $response"
[ "$rc" -eq 0 ] || fail "exit status $rc"
grep -q "stopped" "$dir/out" || fail "no 'stopped' line"
echo "1 passed, 0 failed"
