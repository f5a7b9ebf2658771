#!/usr/bin/env bash
# Start-up's page check and the clean stop (issue 17): `serve` checks every page of a SQLite file
# unless the file is exactly as its last clean stop left it (the mark r.db.clean). A stop by
# SIGTERM marks the file; a kill -9 leaves no mark; a file changed after a clean stop (64 KiB
# overwritten) is checked and refused; --check-pages checks every page anyway.
#   tests/cli/serve_clean_stop_test.sh RAMPART_BINARY
source "$(dirname "$0")/serve_lib.sh" "$1"

"$bin" init --db "$db" --org "Clean stop test" >/dev/null || fail "init"
[ -e "$db.clean" ] && fail "init left a clean-stop mark"

stop() {  # SIGTERM, and the exit status must be 0
  kill -TERM "$pid"
  local rc=0
  timeout 20 tail --pid="$pid" -f /dev/null || fail "the server did not exit after SIGTERM"
  wait "$pid" || rc=$?
  pid=""
  [ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM"
}

start_serve
grep -q "every page of $db checked" "$dir/out" || fail "the first start did not check every page"
curl -sf "$url/healthz" >/dev/null || fail "healthz"
stop
[ -s "$db.clean" ] || fail "a clean stop left no mark"
[ -e "$db-wal" ] && [ -s "$db-wal" ] && fail "a clean stop left a write-ahead log"

start_serve
grep -q "is as its clean stop left it" "$dir/out" || fail "the second start checked every page"
[ -e "$db.clean" ] && fail "the mark stayed while serving"
stop

start_serve --check-pages
grep -q "every page of $db checked" "$dir/out" || fail "--check-pages did not check every page"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=""
[ -e "$db.clean" ] && fail "a killed server left a mark"

start_serve
grep -q "every page of $db checked" "$dir/out" || fail "the start after a kill did not check"
stop
[ -s "$db.clean" ] || fail "no mark after the second clean stop"

# Written behind Rampart's back after the clean stop: the mark no longer matches, every page is
# checked, and the damage is found.
size=$(stat -c %s "$db")
head -c 65536 /dev/urandom | dd of="$db" bs=4096 seek=$((size / 2 / 4096)) conv=notrunc status=none
rc=0
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$dir/out" 2>&1 || rc=$?
[ "$rc" -eq 4 ] || fail "a file changed after its clean stop served (exit $rc)"
grep -q "the database $db is damaged" "$dir/out" || fail "the refusal does not say the file is damaged"
[ -e "$db.clean" ] && fail "the mark stayed after it was found stale"
echo "1 passed, 0 failed"
