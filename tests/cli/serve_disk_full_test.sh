#!/usr/bin/env bash
# Disk full (issue 17): on a small tmpfs, a write that finds no room is answered 507
# insufficient_storage, saying so; reads go on; once space returns, writes work again without a
# restart. Afterwards every acknowledged record is there exactly once, the database passes
# integrity_check and the audit chain verifies.   serve_disk_full_test.sh RAMPART_BINARY
source "$(dirname "$0")/serve_lib.sh" "$1"
if [ "$(id -u)" != 0 ]; then echo "SKIP: mounting a tmpfs needs root"; exit 77; fi
mnt="$dir/mnt"
mkdir -p "$mnt"
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  umount "$mnt" 2>/dev/null
  rm -rf "$dir"
}

# The database is made outside, then put on a tmpfs with 2 MiB to spare.
"$bin" init --db "$dir/r.db" --org "Disk test" >/dev/null || fail "init"
"$bin" user add --db "$dir/r.db" --username writer --role isms_manager --org "Disk test" \
  --password-stdin <<<"a long enough passphrase" >/dev/null || fail "user add"
token=$("$bin" token create --db "$dir/r.db" --user writer --org "Disk test" | tail -1)
size_kib=$(( $(stat -c %s "$dir/r.db") / 1024 + 2048 ))
mount -t tmpfs -o "size=${size_kib}k" tmpfs "$mnt" || { echo "SKIP: cannot mount a tmpfs here"; exit 77; }
cp "$dir/r.db" "$mnt/r.db"
db="$mnt/r.db"
start_serve

post() {  # post TITLE: prints the HTTP status, the body in "$dir/answer"
  curl -s -o "$dir/answer" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"title\":\"$1\",\"kind\":\"internal\",\"description\":\"$filler\"}" \
    "$url/api/v1/context-issues"
}
filler=$(head -c 3000 /dev/urandom | base64 -w0)
: >"$dir/acknowledged"
full=""
for i in $(seq 1000); do
  code=$(post "issue $i")
  if [ "$code" = 201 ]; then echo "issue $i" >>"$dir/acknowledged"; continue; fi
  [ "$code" = 507 ] || fail "issue $i answered $code: $(cat "$dir/answer")"
  full=$i
  break
done
[ -n "$full" ] || fail "the disk never filled"
[ "$(wc -l <"$dir/acknowledged")" -ge 5 ] || fail "fewer than 5 writes before the disk was full"
grep -q '"code":"insufficient_storage"' "$dir/answer" || fail "507 said: $(cat "$dir/answer")"
grep -q 'full: nothing was written; free space and try again' "$dir/answer" \
  || fail "507 said: $(cat "$dir/answer")"
# Another write while still full: the same answer; the server did not fall over.
[ "$(post "still full")" = 507 ] || fail "a second write while full: $(cat "$dir/answer")"
# Reads go on.
code=$(curl -s -o "$dir/list" -w '%{http_code}' -H "Authorization: Bearer $token" \
  "$url/api/v1/context-issues?limit=200")
[ "$code" = 200 ] || fail "a read while full answered $code"
[ "$(curl -s "$url/healthz")" = '{"status":"ok"}' ] || fail "/healthz while full"
code=$(curl -s -o "$dir/ready" -w '%{http_code}' "$url/readyz")
[ "$code" = 503 ] && grep -q '"disk":"only 0 MiB free' "$dir/ready" \
  || fail "/readyz while full answered $code: $(cat "$dir/ready")"

# Space returns: writes work again, without a restart.
mount -o remount,size=64m "$mnt" || fail "remount"
code=$(post "after space returned")
[ "$code" = 201 ] || fail "after space returned: $code $(cat "$dir/answer")"
echo "after space returned" >>"$dir/acknowledged"
kill -TERM "$pid"
timeout 30 tail --pid="$pid" -f /dev/null || fail "the server did not stop"
pid=""

[ "$(sqlite3 "$mnt/r.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
sqlite3 "$mnt/r.db" "SELECT title FROM context_issues ORDER BY title" >"$dir/present"
sort "$dir/acknowledged" >"$dir/expected"
diff "$dir/expected" "$dir/present" >"$dir/diff" || fail "records differ from acknowledged: $(cat "$dir/diff")"
"$bin" audit verify --db "$mnt/r.db" >"$dir/verify" 2>&1 || fail "audit verify: $(cat "$dir/verify")"
grep -q "Audit trail intact" "$dir/verify" || fail "audit verify said: $(cat "$dir/verify")"
echo "1 passed, 0 failed"
