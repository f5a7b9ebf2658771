#!/usr/bin/env bash
# `rampart serve --config FILE` (issue 17, the packaged unit's /etc/rampart/rampart.conf): the
# file's settings are read (db, listen, log-format, backup-dir, a flag), the command line and the
# environment override them, and an unknown setting, a refused value, a setting given twice, a
# section, a missing --db and a missing file are each a message naming them with a non-zero
# exit. Then a server started from a file serves with the file's settings and the command line's
# --listen.   serve_config_test.sh RAMPART_BINARY
source "$(dirname "$0")/../cli/serve_lib.sh" "$1"
for v in $(env | sed -n 's/^\(RAMPART_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

# expect CODE TEXT [ENV=VALUE...] -- ARGS...: `rampart serve ARGS` exits CODE, saying TEXT.
expect() {
  local code=$1 text=$2 envs=()
  shift 2
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$bin" serve "$@" >"$dir/said" 2>&1
  local got=$?
  [ "$got" -eq "$code" ] || fail "serve $* exited $got, not $code: $(cat "$dir/said")"
  grep -qF -- "$text" "$dir/said" || fail "serve $* said: $(cat "$dir/said") (expected: $text)"
}
conf() { printf '%s\n' "$@" >"$dir/r.conf"; }

# The file's db is read; the command line's and then the environment's override it.
conf '# a comment' 'db = "'"$dir"'/from-file.db"  # after a value too' 'listen = "127.0.0.1:0"'
expect 3 "there is no Rampart database at $dir/from-file.db" -- --config "$dir/r.conf"
expect 3 "there is no Rampart database at $dir/from-flag.db" -- --config "$dir/r.conf" --db "$dir/from-flag.db"
expect 3 "there is no Rampart database at $dir/from-env.db" RAMPART_DB="$dir/from-env.db" -- --config "$dir/r.conf"
# Values go through the option's checks; the command line's value stands instead.
conf 'db = "'"$dir"'/none.db"' 'log-format = "yaml"' 'listen = "nowhere"'
expect 2 "--listen must be HOST:PORT" -- --config "$dir/r.conf"
expect 2 "log-format is text or json" -- --config "$dir/r.conf" --listen 127.0.0.1:0
expect 3 "there is no Rampart database at $dir/none.db" -- --config "$dir/r.conf" --listen 127.0.0.1:0 --log-format text
conf 'db = "'"$dir"'/none.db"' 'max-upload-mb = 0'
expect 2 "the setting \"max-upload-mb\" in the configuration file $dir/r.conf is refused" -- --config "$dir/r.conf"
conf 'db = "'"$dir"'/none.db"' 'trust-proxy = perhaps'
expect 2 "the setting \"trust-proxy\" in the configuration file $dir/r.conf is refused" -- --config "$dir/r.conf"
# What the file may not hold.
conf 'db = "'"$dir"'/none.db"' 'lisen = "127.0.0.1:0"'
expect 2 "unknown setting \"lisen\" in the configuration file $dir/r.conf" -- --config "$dir/r.conf"
conf 'db = "'"$dir"'/none.db"' 'config = "/etc/other.conf"'
expect 2 "unknown setting \"config\"" -- --config "$dir/r.conf"
conf 'listen = "127.0.0.1:0"' 'db = "a.db"' 'listen = "127.0.0.1:1"'
expect 2 "the setting \"listen\" appears twice in the configuration file $dir/r.conf" -- --config "$dir/r.conf"
conf '[serve]' 'db = "'"$dir"'/none.db"'
expect 2 "has a section ([serve])" -- --config "$dir/r.conf"
conf 'listen = "127.0.0.1:0"'
expect 2 "--db is required: give it on the command line, in RAMPART_DB, or as \`db = ...\`" -- --config "$dir/r.conf"
expect 3 "the configuration file $dir/missing.conf does not exist" -- --config "$dir/missing.conf" --db "$dir/none.db"

# Serving from a file: JSON log lines and the scheduled backup as the file says, on the
# command line's --listen (start_serve's port 0) instead of the file's port 1.
"$bin" init --db "$db" --org "Config test" >/dev/null || fail "init"
conf 'db = "'"$db"'"' 'listen = "127.0.0.1:1"' 'log-format = "json"' \
  'backup-dir = "'"$dir"'/backups"' 'backup-every = "24h"' 'backup-keep = 2' 'trust-proxy = true'
start_serve --config "$dir/r.conf"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ] || fail "/readyz"
for _ in $(seq 200); do ls "$dir"/backups/*.backup.sha256 >/dev/null 2>&1 && break; sleep 0.05; done
ls "$dir"/backups/rampart-*.backup >/dev/null 2>&1 || fail "no backup in the file's backup-dir"
kill -TERM "$pid"
timeout 15 tail --pid="$pid" -f /dev/null || fail "the server did not stop"
pid=""
python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$dir/out" \
  || fail "the log is not the file's JSON lines"
echo "1 passed, 0 failed"
