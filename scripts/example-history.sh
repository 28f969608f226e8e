#!/usr/bin/env bash
# Writes archive/ for the example site: eight weekly snapshots of the plans
# in content/ as they might have stood in the weeks before (fewer tasks
# checked the further back, and the dated plan starting two weeks earlier
# in the oldest four weeks, so its milestones slip), so that the site the
# README's first command builds shows the history, the forecast and the
# milestone trend. Run from anywhere; it replaces archive/ whole.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/plansite
work=$(mktemp -d "${TMPDIR:-/tmp}/example-history.XXXXXX")
trap 'rm -rf "$work"' EXIT
weeks=(2026-W40 2026-W41 2026-W42 2026-W43 2026-W44 2026-W45 2026-W46 2026-W47)
rm -rf "$here/archive"
mkdir -p "$work/site/content"
cp "$here/site.toml" "$work/site/"
for i in "${!weeks[@]}"; do
  week=${weeks[$i]}
  n=$((i + 1))
  head=0
  for plan in "$here"/content/*.md; do
    # Keep the first (n + head) / (9 + head) of the checked boxes checked,
    # in file order: each plan had done a different share eight weeks
    # ago, so each keeps its own pace.
    awk -v n="$n" -v head="$head" '
      FNR == NR { if ($0 ~ /^[[:space:]]*- \[[xX]\]/) done++; next }
      /^[[:space:]]*- \[[xX]\]/ { seen++; if (seen > int(done * (n + head) / (9 + head))) sub(/- \[[xX]\]/, "- [ ]") }
      { print }
    ' "$plan" "$plan" > "$work/site/content/$(basename "$plan")"
    if [ "$n" -le 4 ]; then
      # The oldest weeks planned a start two weeks earlier.
      sed -i 's/^start: 2025-02-17$/start: 2025-02-03/' "$work/site/content/$(basename "$plan")"
    fi
    head=$((head + 5))
  done
  SOURCE_DATE_EPOCH=$(date -d "$(date -d "${week%-W*}-01-04" +%F) +$(( (10#${week#*-W} - 1) * 7 )) days" +%s) \
    "$bin" snapshot --root "$work/site" --week "$week" --note "example week $n of 8" > /dev/null 2>&1
done
mv "$work/site/archive" "$here/archive"
echo "wrote $here/archive: ${#weeks[@]} weeks (${weeks[0]} to ${weeks[-1]})"
