#!/bin/sh
# Runs the browser test (flow.mjs) with node: exit 77 (skipped) when node is
# missing outside CI, 1 under CI (env CI). Usage: run.sh PATH_TO_BLINDSPOT
here=$(dirname "$0")
if ! command -v node >/dev/null 2>&1; then
  if [ -n "$CI" ]; then
    echo "browser test: node is not installed (required under CI; scripts/setup.sh installs it)" >&2
    exit 1
  fi
  echo "browser test skipped: node is not installed" >&2
  exit 77
fi
exec node "$here/flow.mjs" "$@"
