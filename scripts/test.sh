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
cd build/release
ctest --output-on-failure -j"$(nproc)"
