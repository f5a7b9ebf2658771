#!/usr/bin/env bash
# `rampart serve --backup-dir DIR --backup-every 1s --backup-keep 2`: backups are written while it
# serves (and takes writes), each with its .sha256; only the newest two are kept; each verifies
# and restores. Then the start-up checks a backup operator meets: `backup` refuses an existing
# file, `restore` a database that is not empty.   tests/cli/serve_backup_test.sh RAMPART_BINARY
source "$(dirname "$0")/serve_lib.sh" "$1"

"$bin" init --db "$dir/r.db" --org "Backup test" >/dev/null || fail "init"
"$bin" serve --db "$dir/r.db" --listen 127.0.0.1:0 --backup-every 0s --backup-dir "$dir/b" \
  >"$dir/bad" 2>&1 && fail "--backup-every 0s was accepted"
grep -q "backup-every must be a whole number" "$dir/bad" || fail "no message for 0s: $(cat "$dir/bad")"
start_serve --backup-dir "$dir/backups" --backup-every 1s --backup-keep 2
# Writes go on while backups are taken (each a sign-in attempt: an audit event).
for i in $(seq 40); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"username":"nobody","password":"wrong"}' "$url/api/v1/auth/login"
  sleep 0.1
done
for _ in $(seq 100); do
  [ "$(grep -c 'backup .* written' "$dir/out")" -ge 3 ] && break; sleep 0.1
done
[ "$(grep -c 'backup .* written' "$dir/out")" -ge 3 ] || fail "fewer than three backups were written"
kill -TERM "$pid"
timeout 30 tail --pid="$pid" -f /dev/null || fail "the server did not stop"
wait "$pid" || fail "serve exited with $?"
pid=""
count=$(ls "$dir/backups"/rampart-*.backup | wc -l)
[ "$count" -eq 2 ] || fail "$count backups kept, not 2: $(ls "$dir/backups")"
[ "$(ls "$dir/backups"/*.sha256 | wc -l)" -eq 2 ] || fail "not one .sha256 per backup"
grep -q "removed (--backup-keep 2)" "$dir/out" || fail "no backup was removed"
newest=$(ls "$dir/backups"/rampart-*.backup | tail -1)
(cd "$dir/backups" && sha256sum -c --quiet "$(basename "$newest").sha256") || fail "sha256sum -c"
"$bin" backup verify "$newest" >"$dir/verify" 2>&1 || fail "verify: $(cat "$dir/verify")"
grep -q "match its manifest" "$dir/verify" && grep -q "matches .*sha256" "$dir/verify" \
  || fail "verify said: $(cat "$dir/verify")"
"$bin" restore --from "$newest" --db "$dir/restored.db" >"$dir/restore" 2>&1 \
  || fail "restore: $(cat "$dir/restore")"
"$bin" audit verify --db "$dir/restored.db" | grep -q "Audit trail intact" || fail "restored chain"
"$bin" restore --from "$newest" --db "$dir/restored.db" >"$dir/again" 2>&1 \
  && fail "a restore into a database that is not empty was accepted"
grep -q "not empty" "$dir/again" || fail "restore into a full database said: $(cat "$dir/again")"
"$bin" backup --db "$dir/r.db" --to "$newest" >"$dir/exists" 2>&1 && fail "a backup replaced a file"
grep -q "a backup never replaces a file" "$dir/exists" || fail "said: $(cat "$dir/exists")"
echo "1 passed, 0 failed"
