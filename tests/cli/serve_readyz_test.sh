#!/usr/bin/env bash
# `rampart serve --log-format json --metrics-token-file F`: /readyz says ready with each check
# "ok" and 503 naming what is wrong (here a schema migrated past this Rampart's while it serves);
# /metrics needs its token and passes promtool; every output line is a JSON object; each
# request's line carries its X-Request-Id (the client's when safe, else a new one); no query
# value, cookie or credential reaches the log.   serve_readyz_test.sh RAMPART_BINARY
source "$(dirname "$0")/serve_lib.sh" "$1"

"$bin" init --db "$dir/r.db" --org "Readiness test" >/dev/null || fail "init"
# /metrics needs a token of 16 characters or more, read from a file.
echo short >"$dir/short-token"
"$bin" serve --db "$dir/r.db" --listen 127.0.0.1:0 --metrics-token-file "$dir/short-token" \
  >"$dir/bad" 2>&1 && fail "a metrics token of 5 characters was accepted"
grep -q 'shorter than 16 characters' "$dir/bad" || fail "said: $(cat "$dir/bad")"
echo "metrics-token-of-the-operator" >"$dir/metrics-token"
"$bin" serve --db "$dir/r.db" --listen 127.0.0.1:0 --log-format yaml >"$dir/bad" 2>&1 \
  && fail "--log-format yaml was accepted"
grep -q 'log-format is text or json' "$dir/bad" || fail "said: $(cat "$dir/bad")"
start_serve --log-format json --metrics-token-file "$dir/metrics-token"

ready=$(curl -s -D "$dir/h1" "$url/readyz")
[ "$ready" = '{"checks":{"database":"ok","disk":"ok","schema":"ok","writable":"ok"},"status":"ready"}' ] \
  || fail "/readyz said $ready"
grep -qi '^X-Request-Id: [0-9a-f]\{16\}' "$dir/h1" || fail "no X-Request-Id: $(cat "$dir/h1")"
curl -s -o /dev/null -D "$dir/h2" -H 'X-Request-Id: trace-42.a' \
  -H 'Cookie: rampart_session=SECRETCOOKIE' -H 'Authorization: Bearer SECRETTOKEN' \
  "$url/api/v1/risks?q=SECRETQUERY"
grep -qi '^X-Request-Id: trace-42.a' "$dir/h2" || fail "the client's id was not kept: $(cat "$dir/h2")"
long=$(printf 'x%.0s' $(seq 65))
curl -s -o /dev/null -D "$dir/h3" -H "X-Request-Id: $long" "$url/healthz"
grep -qi "^X-Request-Id: $long" "$dir/h3" && fail "an id of 65 characters was kept"
grep -qi '^X-Request-Id: [0-9a-f]\{16\}' "$dir/h3" || fail "no new id for a long one"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"username":"alice","password":"SECRETPASSWORD"}' "$url/api/v1/auth/login"

# A newer Rampart migrated the database meanwhile: this instance is no longer ready.
sqlite3 "$dir/r.db" "INSERT INTO schema_migrations VALUES (9999, '9999_future', '2030-01-01T00:00:00Z')"
code=$(curl -s -o "$dir/notready" -D "$dir/h4" -w '%{http_code}' "$url/readyz")
[ "$code" = 503 ] || fail "/readyz answered $code after the schema moved on"
grep -q '"schema":"at version 9999, this Rampart' "$dir/notready" || fail "said: $(cat "$dir/notready")"
grep -q '"status":"not ready"' "$dir/notready" || fail "said: $(cat "$dir/notready")"
grep -qi '^Retry-After: 5' "$dir/h4" || fail "no Retry-After"
[ "$(curl -s "$url/healthz")" = '{"status":"ok"}' ] || fail "/healthz is about the process only"
# /metrics: without the token, the measurement metrics' page (sign in first); with it, what
# promtool accepts, with the start-up's reminder pass counted and the 503 of /readyz above.
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/metrics")" = 303 ] || fail "/metrics without the token"
curl -s -H "Authorization: Bearer metrics-token-of-the-operator" "$url/metrics" >"$dir/metrics"
promtool check metrics <"$dir/metrics" >"$dir/promtool" 2>&1 || fail "promtool: $(cat "$dir/promtool")"
grep -q '^rampart_scheduler_runs_total{job="reminders",outcome="ok"} [1-9]' "$dir/metrics" \
  || fail "no reminder pass counted: $(grep scheduler "$dir/metrics")"
grep -q '^rampart_http_requests_total{method="GET",route="/readyz",status="503"} 1$' "$dir/metrics" \
  || fail "/readyz's 503 not counted: $(grep readyz "$dir/metrics")"
kill -TERM "$pid"
timeout 15 tail --pid="$pid" -f /dev/null || fail "the server did not stop"
pid=""

grep -q SECRET "$dir/out" && fail "a secret reached the log: $(grep SECRET "$dir/out")"
python3 - "$dir/out" <<'PY' || fail "the log is not JSON lines as described"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "no output"
access = []
for line in lines:
    entry = json.loads(line)  # every line is one JSON object
    assert {"time", "level", "message"} <= entry.keys(), entry
    if "status" in entry:
        access.append(entry)
ids = {e["path"]: e["request_id"] for e in access}
assert ids["/api/v1/risks"] == "trace-42.a", ids
assert len(ids["/readyz"]) == 16, ids
statuses = [e["status"] for e in access if e["path"] == "/readyz"]
assert statuses == [200, 503], statuses
assert all(isinstance(e["ms"], (int, float)) and "?" not in e["path"] for e in access), access
PY
echo "1 passed, 0 failed"
