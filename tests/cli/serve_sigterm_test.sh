#!/usr/bin/env bash
# `rampart serve` stops gracefully on SIGTERM: it stops accepting, answers the request in flight
# (with Connection: close) and exits 0.   tests/cli/serve_sigterm_test.sh RAMPART_BINARY
source "$(dirname "$0")/serve_lib.sh" "$1"

"$bin" init --db "$dir/r.db" --org "Signal test" >/dev/null || fail "init"
start_serve

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
