#!/usr/bin/env bash
# The crash test on both backends: scripts/crash.sh RAMPART_BINARY KILLS
# SQLite in a temporary file, PostgreSQL in a throwaway cluster (scripts/pg-test-cluster.sh),
# removed afterwards. Writes build/crash-sqlite.json and build/crash-postgres.json.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 RAMPART_BINARY KILLS" >&2; exit 2; }
bin=$1
kills=$2
here=$(cd "$(dirname "$0")/.." && pwd)
cluster=$here/scripts/pg-test-cluster.sh
pg_dir=$(mktemp -d /tmp/rampart-pg.XXXXXX)
cleanup() { "$cluster" stop "$pg_dir" || true; }
trap cleanup EXIT
url=$("$cluster" start "$pg_dir")
mkdir -p "$here/build"
rc=0
python3 "$here/tests/crash/crash_test.py" --bin "$bin" --kills "$kills" --backend sqlite \
  --json "$here/build/crash-sqlite.json" || rc=1
python3 "$here/tests/crash/crash_test.py" --bin "$bin" --kills "$kills" --backend postgres \
  --pg-url "$url" --json "$here/build/crash-postgres.json" || rc=1
exit $rc
