#!/usr/bin/env bash
# Fails when `nbdev-export` or `nbdev-clean` would change tracked files (notebooks and package out of sync, or unclean notebooks).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
before=$(git status --porcelain -- nbs prism_nb | sort; git diff -- nbs prism_nb | md5sum)
"$BIN/nbdev-export"
"$BIN/nbdev-clean"
after=$(git status --porcelain -- nbs prism_nb | sort; git diff -- nbs prism_nb | md5sum)
if [ "$before" != "$after" ]; then
  echo "nbdev-export / nbdev-clean changed files: run them and commit the result." >&2
  git status --porcelain -- nbs prism_nb >&2
  exit 1
fi
echo "notebooks and package in sync; notebooks clean"
