#!/usr/bin/env bash
# Runs `plansite check` over the reference plan and the corpus of real plans
# (../shared/seeds and ../shared/corpus/real, when they exist) and reports,
# per file, what the model found: phases, tasks done/total, budget, warnings,
# and any crash (a panic or a signal). Exits 1 if any file crashed the tool.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED:-$here/../shared}
cargo build --release --quiet --manifest-path "$here/Cargo.toml" || exit 2
bin=$here/target/release/plansite
crashed=0
files=()
for dir in "$shared/seeds" "$shared/corpus/real"; do
  [ -d "$dir" ] || continue
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$dir" -maxdepth 1 -name '*.md' ! -name SOURCES.md -print0 | sort -z)
done
if [ ${#files[@]} -eq 0 ]; then
  echo "corpus-check: no plans found under $shared" >&2
  exit 0
fi
err=$(mktemp "${TMPDIR:-/tmp}/corpus-check.XXXXXX")
trap 'rm -f "$err"' EXIT
for f in "${files[@]}"; do
  code=0
  out=$("$bin" check "$f" 2>"$err") || code=$?
  name=$(basename "$f")
  if [ "$code" -gt 3 ] || grep -q "panicked" "$err"; then
    echo "CRASH  $name (exit $code)"; sed -n 1,5p "$err"
    crashed=1
    continue
  fi
  line=${out%%$'\n'*}
  summary=${line#*: }
  if [ "$code" -eq 1 ]; then
    summary="ERROR: $(grep -m1 '^error' "$err" || true)"
  fi
  printf '%-60s %s\n' "$name" "$summary"
done
exit $crashed
