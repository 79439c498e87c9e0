#!/usr/bin/env bash
# README command 2: set up, build everything, and run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -d ../shared/realdata/har ]; then
  echo "note: ../shared/realdata not found: the tests that read real third-party files will be skipped" >&2
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "== clang-format check"
  git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror
fi
# A throwaway PostgreSQL cluster for the store's PostgreSQL tests (each test
# makes and drops its own database in it), stopped however ctest ends.
pg_dir=$(mktemp -d)
chmod 755 "$pg_dir"  # the cluster runs as the postgres user when we are root
trap 'bash scripts/pg_cluster.sh stop "$pg_dir/cluster"; rm -rf "$pg_dir"' EXIT
BLINDSPOT_TEST_PG=$(bash scripts/pg_cluster.sh start "$pg_dir/cluster")
export BLINDSPOT_TEST_PG
(cd build/release && ctest --output-on-failure -j"$(nproc)")
