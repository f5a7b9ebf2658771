#!/usr/bin/env bash
# bench/run.sh BUILD_DIR [list_load options...]: runs the load scenario on SQLite, then on
# PostgreSQL (a throwaway cluster from scripts/pg-test-cluster.sh in /tmp/rampart-pg.XXXXXX,
# stopped and removed on exit), prints the key figures of both side by side, then runs the
# micro-benchmarks. Needs a Release build configured with -DRAMPART_BENCH=ON, and for PostgreSQL
# the postgresql-15 package (scripts/install-deps.sh test). Loopback and a Unix socket only;
# everything stops by itself. See docs/performance.md.
#
#   RAMPART_BENCH_BACKENDS="sqlite postgres"   the backends to run, in this order (default both)
#   RAMPART_RISK_LOAD_ARGS="--risks 2000"      options for risk_load, which runs after list_load
#                                              on each backend (default: 100,000 risks)
#
# The list_load options apply to every backend (--keep-db only with RAMPART_BENCH_BACKENDS=sqlite).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:-build-bench}"
shift || true
bin="$build/bench"
for exe in "$bin/list_load" "$bin/risk_load" "$bin/register_bench"; do
  [[ -x "$exe" ]] || { echo "run.sh: $exe is missing; build with -DRAMPART_BENCH=ON" >&2; exit 1; }
done
read -r -a backends <<<"${RAMPART_BENCH_BACKENDS:-sqlite postgres}"
for b in "${backends[@]}"; do
  case "$b" in
    sqlite) ;;
    postgres)
      pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
      if [[ ! -x "$pg_bin/initdb" ]]; then
        echo "run.sh: $pg_bin/initdb is missing: install postgresql-15 (scripts/install-deps.sh" \
          "test), or run SQLite alone with RAMPART_BENCH_BACKENDS=sqlite" >&2
        exit 1
      fi
      ;;
    *) echo "run.sh: unknown backend '$b' in RAMPART_BENCH_BACKENDS (sqlite, postgres)" >&2; exit 2 ;;
  esac
done

out="$(mktemp -d /tmp/rampart-bench-out.XXXXXX)"
pgdir=""
cleanup() {
  if [[ -n "$pgdir" ]]; then
    "$root/scripts/pg-test-cluster.sh" stop "$pgdir" || echo "run.sh: could not stop the cluster in $pgdir" >&2
  fi
  rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # runs the EXIT trap

echo "== machine"
echo "cores: $(nproc)   cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "kernel: $(uname -r)   commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ has uncommitted changes)')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

rampart_args=()
[[ -x "$build/rampart" ]] && rampart_args=(--rampart "$build/rampart")
results=()
for b in "${backends[@]}"; do
  if [[ "$b" == sqlite ]]; then
    echo "== list_load (SQLite)"
    "$bin/list_load" --backend sqlite "${rampart_args[@]}" "$@" | tee "$out/sqlite.txt"
    results+=("$out/sqlite.txt")
    echo "== risk_load (SQLite)"
    "$bin/risk_load" ${RAMPART_RISK_LOAD_ARGS:-}
  else
    echo "== list_load (PostgreSQL, throwaway cluster)"
    pgdir="$(mktemp -d /tmp/rampart-pg.XXXXXX)"
    url="$("$root/scripts/pg-test-cluster.sh" start "$pgdir" 2>"$out/pg-start.log")" || {
      cat "$out/pg-start.log" >&2
      exit 1
    }
    echo "cluster: $url"
    "$bin/list_load" --backend postgres --pg-url "$url" "${rampart_args[@]}" "$@" |
      tee "$out/postgres.txt"
    echo "== risk_load (PostgreSQL)"
    "$bin/risk_load" --pg-url "$url" ${RAMPART_RISK_LOAD_ARGS:-}
    "$root/scripts/pg-test-cluster.sh" stop "$pgdir"
    pgdir=""
    results+=("$out/postgres.txt")
  fi
  echo
done

if ((${#results[@]} > 1)); then
  echo "== side by side (key figures; the JSON lines above hold all of them)"
  python3 "$here/side_by_side.py" "${results[@]}"
  echo
fi

echo "== register_bench"
# Debian 12's Google Benchmark 1.7 takes --benchmark_min_time in seconds without a unit.
"$bin/register_bench" --benchmark_min_time=0.2
