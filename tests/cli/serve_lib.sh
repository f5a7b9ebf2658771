# Sourced by the tests of `rampart serve` (tests/cli/serve_*_test.sh RAMPART_BINARY): `bin`, a
# temporary directory `dir` (removed on exit, the server killed), `fail MESSAGE` (prints the
# server's output and the failed summary) and `start_serve ARGS...`, which serves "$db" (by
# default "$dir/r.db") on a free port with ARGS, output in "$dir/out", and sets `pid`, `port` and
# `url`.
set -uo pipefail
bin=$1
dir=$(mktemp -d /tmp/rampart-serve.XXXXXX)
db="$dir/r.db"
pid=""
cleanup() { [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- server output:"; cat "$dir/out" 2>/dev/null; echo "0 passed, 1 failed"; exit 1; }
start_serve() {
  # Emptied here, not only by the background job's redirection, which may come after the first
  # look below: the previous server's "serving on" would be read (and its port).
  : >"$dir/out"
  "$bin" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$dir/out" 2>&1 &
  pid=$!
  # Up to 30 s (a sanitizer build on a busy machine starts slowly); stops waiting if it exits.
  local i
  for ((i = 0; i < 600; i++)); do
    grep -q "serving on" "$dir/out" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  port=$(sed -n 's#.*serving on http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$dir/out")
  [ -n "$port" ] || fail "the server did not start"
  url="http://127.0.0.1:$port"
}
