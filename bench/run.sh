#!/usr/bin/env bash
# bench/run.sh BUILD_DIR [list_load options...]: runs the load scenario and the micro-benchmarks
# of a Release build configured with -DRAMPART_BENCH=ON, writing the results to stdout.
# Loopback only; everything stops by itself. See docs/performance.md.
set -euo pipefail

build="${1:-build-bench}"
shift || true
bin="$build/bench"
for exe in "$bin/list_load" "$bin/register_bench"; do
  [[ -x "$exe" ]] || { echo "run.sh: $exe is missing; build with -DRAMPART_BENCH=ON" >&2; exit 1; }
done

echo "== machine"
echo "cores: $(nproc)   cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "kernel: $(uname -r)   commit: $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo

echo "== list_load"
rampart_args=()
[[ -x "$build/src/rampart" ]] && rampart_args=(--rampart "$build/src/rampart")
"$bin/list_load" "${rampart_args[@]}" "$@"
echo

echo "== register_bench"
# Debian 12's Google Benchmark 1.7 takes --benchmark_min_time in seconds without a unit.
"$bin/register_bench" --benchmark_min_time=0.2
