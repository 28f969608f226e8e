#!/usr/bin/env bash
# Builds the same three sites with two plansite binaries and compares them
# file by file: 1,000 generated plans, the reference plan with the corpus of
# real plans (../shared, when it exists), and 100 generated plans with 52
# weekly snapshots. For changes meant to leave the output as it was.
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY
#
# Works on tmpfs (WORK, default /dev/shm/plansite-same). Exits 1 if any
# site differs, printing the first differences.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED:-$here/../shared}
work=${WORK:-/dev/shm/plansite-same}
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus
gen=$here/target/release/examples/gen_corpus
mkdir -p "$work"

# The inputs, made once (the archive with the old binary).
[ -d "$work/c1000/content" ] || "$gen" --plans 1000 --out "$work/c1000" > /dev/null
if [ ! -f "$work/hist/archive/2025-W52/manifest.json" ]; then
  rm -rf "$work/hist"
  for week in $(seq 1 52); do
    "$gen" --plans 100 --out "$work/hist" --week "$week" > /dev/null
    "$old" snapshot --root "$work/hist" --week "$(printf '2025-W%02d' "$week")" > /dev/null 2>&1
  done
fi
rm -rf "$work/real" && mkdir -p "$work/real/content"
for f in "$shared"/seeds/*.md "$shared"/corpus/real/*.md; do
  [ -f "$f" ] && [ "$(basename "$f")" != SOURCES.md ] && cp "$f" "$work/real/content/"
done
printf 'title = "Real plans"\nbase_url = "https://example.org/plans/"\n' > "$work/real/site.toml"

differ=0
site() { # NAME ROOT AS_OF
  local name=$1 root=$2 as_of=$3 which bin
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    rm -rf "$work/out-$name-$which"
    code=0
    "$bin" build --root "$root" --as-of "$as_of" --output "$work/out-$name-$which" \
      > "$work/$name-$which.out" 2> "$work/$name-$which.err" || code=$?
    echo "exit $code" >> "$work/$name-$which.err"
    # The timing in the summary line is the one thing meant to differ.
    sed -i -e 's/ in [0-9.]* s ->/ in _ s ->/' -e "s|out-$name-$which|out|g" "$work/$name-$which.out" "$work/$name-$which.err"
  done
  # The reuse keys of archived weeks (.plansite-cache.json) change with
  # what goes into a key; such a change is reported apart.
  keys=""
  cache=.plansite-cache.json
  if [ -f "$work/out-$name-old/$cache" ] && ! cmp -s "$work/out-$name-old/$cache" "$work/out-$name-new/$cache"; then
    masked() { sed -E 's/"key":"[0-9a-f]+"/"key":_/g' "$1"; }
    if diff <(masked "$work/out-$name-old/$cache") <(masked "$work/out-$name-new/$cache") > /dev/null; then
      keys="; the reuse keys differ"
      cp "$work/out-$name-old/$cache" "$work/out-$name-new/$cache"
    fi
  fi
  if diff -r "$work/out-$name-old" "$work/out-$name-new" > "$work/$name.diff" \
     && diff "$work/$name-old.out" "$work/$name-new.out" >> "$work/$name.diff" \
     && diff "$work/$name-old.err" "$work/$name-new.err" >> "$work/$name.diff"; then
    echo "same:   $name ($(find "$work/out-$name-new" -type f | wc -l) files$keys)"
  else
    echo "DIFFER: $name (see $work/$name.diff)"
    diff -rq "$work/out-$name-old" "$work/out-$name-new" | head -10 || true
    differ=1
  fi
}
site c1000 "$work/c1000" 2025-03-10
site real "$work/real" 2026-12-02
site hist "$work/hist" 2025-12-29
exit $differ
