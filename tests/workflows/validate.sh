#!/usr/bin/env bash
# Schema check of GitHub Actions files with action-validator (the version
# pinned in tests/workflows/package-lock.json):
#   - every .github/workflows/*.yml (and *.yaml) of this repository,
#   - action.yml (or action.yaml) at the repository root, when there is one,
#   - the workflows `plansite init` writes, as the debug binary writes them
#     into a temporary folder (built with `cargo build` when missing or
#     older than the sources).
# With FILE arguments, checks those files instead (a file named action.yml
# or action.yaml as an action, anything else as a workflow).
#
# Prints one line per file (ok or FAIL, with the validator's findings under
# a failure) and exits 1 when any file fails, 2 when it cannot run.
#
# Needs Node.js 20 or later; runs `npm ci` in tests/workflows when its
# node_modules is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

command -v node >/dev/null || { echo "validate.sh: node (Node.js 20 or later) is required" >&2; exit 2; }
validator="$here/node_modules/@action-validator/cli/cli.mjs"
if [ ! -f "$validator" ]; then
  echo "validate.sh: installing the validator: (cd tests/workflows && npm ci --ignore-scripts)" >&2
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund >&2)
fi

failed=0
checked=0
# check LABEL FILE: validates FILE, printing LABEL.
check() {
  local label="$1" file="$2" out
  checked=$((checked + 1))
  if out="$(node "$validator" "$file" 2>&1)"; then
    echo "ok    $label"
  else
    failed=$((failed + 1))
    echo "FAIL  $label"
    printf '%s\n' "$out" | sed 's/^/      /'
  fi
}

if [ $# -gt 0 ]; then
  for file in "$@"; do
    check "$file" "$file"
  done
else
  shopt -s nullglob
  for file in .github/workflows/*.yml .github/workflows/*.yaml; do
    check "$file" "$file"
  done
  shopt -u nullglob
  for file in action.yml action.yaml; do
    if [ -f "$file" ]; then check "$file" "$file"; fi
  done

  # The workflows `plansite init` writes.
  bin="${CARGO_TARGET_DIR:-target}/debug/plansite"
  if [ ! -x "$bin" ] || [ -n "$(find src Cargo.toml Cargo.lock -newer "$bin" -print -quit)" ]; then
    echo "validate.sh: building $bin (cargo build)" >&2
    cargo build --quiet >&2
  fi
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$bin" init "$tmp/site" >/dev/null
  shopt -s nullglob
  init=("$tmp"/site/.github/workflows/*.yml)
  shopt -u nullglob
  if [ ${#init[@]} -eq 0 ]; then
    echo "FAIL  plansite init: wrote no .github/workflows/*.yml"
    failed=$((failed + 1))
  fi
  for file in "${init[@]}"; do
    check "plansite init: .github/workflows/$(basename "$file")" "$file"
  done
fi

if [ "$failed" -gt 0 ]; then
  echo "validate.sh: $failed of $checked files failed"
  exit 1
fi
echo "validate.sh: $checked files valid"
