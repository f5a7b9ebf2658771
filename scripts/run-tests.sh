#!/usr/bin/env bash
# Runs the test suites of a build tree with CTest against a throwaway PostgreSQL cluster:
#   scripts/run-tests.sh BUILD_DIR [ctest arguments...]
# Starts the cluster (scripts/pg-test-cluster.sh) in a fresh directory under /tmp, runs CTest
# with RAMPART_TEST_PG_URL naming it and RAMPART_TEST_PG_DIR its directory (for the test that
# restarts it: tests/api/instances_test.cc), then stops the cluster and removes the directory,
# whether the tests pass, fail or are interrupted. Exits with CTest's status.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [ctest arguments...]" >&2; exit 2; }
build_dir=$1
shift
cluster=$(cd "$(dirname "$0")" && pwd)/pg-test-cluster.sh

pg_dir=$(mktemp -d /tmp/rampart-pg.XXXXXX)
cleanup() { "$cluster" stop "$pg_dir" || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=$("$cluster" start "$pg_dir")
cd "$build_dir"
RAMPART_TEST_PG_URL=$url RAMPART_TEST_PG_DIR=$pg_dir ctest "$@"
