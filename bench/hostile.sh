#!/usr/bin/env bash
# Hostile single plans, each under 1 MB: spans of billions of weeks or days,
# tens of thousands of warnings, amounts past any sane bound, thousands of
# phases or tasks. Each is built by `plansite build` RUNS times on tmpfs;
# the table gives the wall time and the peak memory (median, min and max),
# then one verdict per input against the bound SECURITY.md states: no
# single input of under 1 MB takes more than a few seconds (5 s here) or
# 1 GB.
#
#   bench/hostile.sh            (RUNS=5; BIN=path to time another binary)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=""
runs=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/dev/shm/plansite-hostile}
# shellcheck source=bench/lib.sh
source bench/lib.sh
bin=${BIN:-$bin}
# Each build runs under a 4 GB address-space limit and a 120 s timeout, so
# an older binary that runs away is stopped (and shows as NOT MET) instead
# of taking the machine with it.
# timed OUT_PREFIX CMD...: as bench/lib.sh's, but the peak memory is GNU
# time's last line (it adds a line before it when the command fails).
timed() {
  local out=$1; shift
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$out.t" "$@" > "$out.log" 2>&1 || true
  end=$(date +%s%N)
  awk "BEGIN{printf \"%.4f\n\", ($end - $start) / 1e9}" >> "$out.wall"
  tail -n 1 "$out.t" >> "$out.rss"
}
guarded=(timeout 120 sh -c 'ulimit -v 4000000; exec "$0" "$@"')

# plan NAME: writes the hostile plan NAME to stdout.
plan() {
  case $1 in
    week-span)
      printf '# Long\n\n## Week 1-4294967295: Forever\n\n**Budget:** $1,000\n\n- [ ] task\n' ;;
    day-spans)
      printf -- '---\nstart: 2025-01-06\n---\n# Days\n\n'
      for i in $(seq 100); do printf '## Day 4000000000\n\n- [ ] task %d\n\n' "$i"; done ;;
    days-in-bound)
      printf -- '---\nstart: 2025-01-06\n---\n# Days\n\n'
      for i in $(seq 20000); do printf '## Day 3650\n'; done ;;
    warnings)
      # Budget rows that name no phase: one warning each.
      printf '# Warnings\n\n## Week 1: Only\n\n- [ ] task\n\n| Phase | Budget |\n| --- | --- |\n'
      for i in $(seq 40000); do printf '| Ghost %d | $1 |\n' "$i"; done ;;
    unreadable-money)
      printf '# Money\n\n## Week 1: Only\n\n| Phase | Budget |\n| --- | --- |\n'
      for i in $(seq 40000); do printf '| Week 1 | $1,2,3 |\n'; done ;;
    huge-money)
      printf -- '---\nbudget: 1e308\n---\n# Money\n\n## Week 1: One\n\n**Budget:** $50,000,000,000,000,000\n\n## Week 2: Two\n\n**Budget:** $50,000,000,000,000,000\n\n| Phase | Budget | Actual |\n| --- | --- | --- |\n| Week 1 | $50,000,000,000,000,000 | $50,000,000,000,000,000 |\n| Week 2 | $50,000,000,000,000,000 | $50,000,000,000,000,000 |\n' ;;
    many-phases)
      printf -- '---\nstart: 2025-01-06\n---\n# Phases\n\n'
      for i in $(seq 520); do printf '## Week %d: Step %d\n\n**Budget:** $1,000\n\n- [x] done\n- [ ] open\n\n' "$i" "$i"; done ;;
    many-tasks)
      printf -- '---\nstart: 2025-01-06\n---\n# Tasks\n\n## Week 1-2: All\n\n**Budget:** $1,000\n\n'
      for i in $(seq 60000); do printf -- '- [ ] t%d\n' "$i"; done ;;
    controls)
      printf '# Title \001 with \033]0;x\007 controls\n\n## Week 1: \033[31mred\n\n'
      for i in $(seq 20000); do printf -- '- [ ] \001\002\033[2J task\n'; done ;;
  esac
}

inputs="week-span day-spans days-in-bound warnings unreadable-money huge-money many-phases many-tasks controls"
echo "hostile plans, $(date -u +%Y-%m-%d), $(nproc) cores, $runs runs each, on $work"
printf '%-17s | %-9s | %-28s | %-28s | %s\n' input bytes "wall s: median (min-max)" "peak MB: median (min-max)" "exit"
summary=()
for name in $inputs; do
  site=$work/$name
  rm -rf "$site" && mkdir -p "$site/content"
  plan "$name" > "$site/content/plan.md"
  bytes=$(stat -c %s "$site/content/plan.md")
  rm -f "$work/$name.wall" "$work/$name.rss"
  for _ in $(seq "$runs"); do
    timed "$work/$name" "${guarded[@]}" "$bin" build --root "$site" --as-of 2025-03-10 || true
  done
  code=0
  "${guarded[@]}" "$bin" build --root "$site" --as-of 2025-03-10 > /dev/null 2>&1 || code=$?
  read -r wm wmin wmax <<< "$(stats "$work/$name.wall")"
  awk '{printf "%.1f\n", $1 / 1024}' "$work/$name.rss" > "$work/$name.mb"
  read -r rm_ rmin rmax <<< "$(stats "$work/$name.mb")"
  printf '%-17s | %-9s | %-28s | %-28s | %s\n' "$name" "$bytes" "$wm ($wmin-$wmax)" "$rm_ ($rmin-$rmax)" "$code"
  ok=$(( $(le "$wmax" 5) && $(le "$rmax" 1024) && bytes < 1048576 ))
  summary+=("$name|max ${wmax} s, ${rmax} MB|$ok")
done
echo
echo "bound: under 1 MB of input, at most 5 s and 1 GB (worst of the runs)"
for line in "${summary[@]}"; do
  IFS='|' read -r name figure ok <<< "$line"
  verdict "$name" "$figure" "$ok"
done
