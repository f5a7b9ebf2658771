#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suites, from Debian's postgresql-15 package.
#   scripts/pg-test-cluster.sh start DIR  - creates a cluster in DIR (created if absent), starts it
#                                           listening only on a Unix socket in DIR, creates the
#                                           database `rampart` and prints its connection string
#                                           (libpq keywords) on stdout; everything else goes to
#                                           stderr. The server log is DIR/server.log.
#   scripts/pg-test-cluster.sh stop DIR   - stops the server (immediately: the data is thrown
#                                           away) and removes DIR; also after a start that failed
#                                           half-way, or when nothing was started.
# Run as root, the server runs as the unprivileged `postgres` user (PostgreSQL refuses root).
# Durability is off (fsync, synchronous_commit, full_page_writes): the cluster lives for one run.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
MARKER=.rampart-pg-test-cluster  # marks a directory this script may remove

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

# Runs a command as the server's user: `postgres` when we are root, ourselves otherwise.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

on_start_failure() {
  local rc=$?
  [ $rc -ne 0 ] || return 0
  echo "could not start the PostgreSQL test cluster in $failed_dir (exit $rc)" >&2
  [ -f "$failed_dir/server.log" ] && tail -n 30 "$failed_dir/server.log" >&2
  as_server_user "$PG_BIN/pg_ctl" stop -D "$failed_dir/data" -m immediate >/dev/null 2>&1 || true
}

start() {
  local dir=$1
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "$PG_BIN/initdb not found: install postgresql-15 (scripts/install-deps.sh test)" >&2
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)  # the socket directory must be absolute
  if [ -e "$dir/data" ]; then
    echo "$dir already holds a cluster; stop it first: $0 stop $dir" >&2
    exit 1
  fi
  # A Unix socket path is limited to 107 bytes: DIR/.s.PGSQL.5432 must fit.
  if [ $((${#dir} + 17)) -gt 107 ]; then
    echo "$dir is too long for a Unix socket directory; use a short one (mktemp -d /tmp/pg.XXXXXX)" >&2
    exit 1
  fi
  touch "$dir/$MARKER"
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "no 'postgres' user to run the server as (it comes with postgresql-common)" >&2
      exit 1
    fi
    chown postgres: "$dir"
  fi
  chmod 0755 "$dir"  # other local users may connect through the socket; data/ stays 0700

  # Whatever fails from here on, leave no server running; DIR stays for `stop` (and the log).
  # (A global: the trap runs after the function's locals are gone.)
  failed_dir=$dir
  trap on_start_failure EXIT

  # The superuser is `postgres` whoever runs this, so the connection string is always the same;
  # trust authentication, as only the socket (mode 0777 in DIR) accepts connections.
  as_server_user "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF

# scripts/pg-test-cluster.sh: a throwaway cluster for tests
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
dynamic_shared_memory_type = mmap
log_min_messages = warning
log_min_error_statement = panic
EOF
  as_server_user "$PG_BIN/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 >&2

  local ready=0
  for _ in $(seq 1 100); do
    if "$PG_BIN/pg_isready" -q -h "$dir" -U postgres -d postgres; then
      ready=1
      break
    fi
    sleep 0.1
  done
  if [ $ready -ne 1 ]; then
    echo "the server in $dir does not accept connections" >&2
    exit 1
  fi
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U postgres -d postgres \
    -c 'CREATE DATABASE rampart' >&2
  trap - EXIT
  echo "host=$dir dbname=rampart user=postgres"
}

stop() {
  local dir=$1
  [ -e "$dir" ] || exit 0
  if [ ! -d "$dir" ]; then
    echo "$dir is not a directory" >&2
    exit 1
  fi
  dir=$(cd "$dir" && pwd -P)
  # Refuse to remove a directory this script did not make its own (unless it is empty: the
  # caller's mktemp -d before a start that never ran).
  if [ ! -e "$dir/$MARKER" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "$dir is not a test cluster directory (no $MARKER); not removing it" >&2
    exit 1
  fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "$PG_BIN/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null 2>&1 || {
      # pg_ctl failed (a stale or half-written pid file, or it timed out): end the postmaster
      # named by the pid file, if it is still a postgres process.
      local pid
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = postgres ]; then
        kill -QUIT "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
          kill -0 "$pid" 2>/dev/null || break
          sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
      fi
    }
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || usage
[ -n "$2" ] || usage
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
