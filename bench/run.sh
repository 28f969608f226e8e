#!/usr/bin/env bash
# The performance benchmark: plansite against the Markdown floor, side by
# side on the same generated corpora, on tmpfs.
#
#   bench/run.sh [N ...]        (default: 100 1000 10000)
#   RUNS=5 bench/run.sh 1000    (runs per size after a warm-up; default 5)
#
# For each N it prints the median wall time with its min and max, pages per
# second, peak resident memory, and the plansite / floor ratio of each pair
# of runs (the two run alternately, so machine noise hits both). Then: a
# one-plan edit while `serve` runs on the 1,000-plan corpus (write to
# served page, median of 20), and a build with 52 weekly snapshots of 100
# plans against the same build without history (archived weeks reused from
# the previous build, as they are from one build to the next), and once cold.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
runs=${RUNS:-5}
source bench/lib.sh
declare -A ratio per_plan peak

echo "plansite benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $runs runs per size after a warm-up, on $work"
printf '%-7s | %-26s | %-9s | %-9s | %-26s | %-22s\n' "plans" "plansite median (min-max)" "pages/s" "peak RSS" "floor median (min-max)" "ratio median (min-max)"
for n in "${sizes[@]}"; do
  corpus=$work/corpus-$n
  [ -d "$corpus/content" ] || "$gen" --plans "$n" --out "$corpus" > /dev/null
  rm -f "$work"/p-$n.* "$work"/f-$n.*
  "$bin" build --root "$corpus" --as-of 2025-03-10 --output "$work/site-$n" > /dev/null 2>&1
  "$floor" "$corpus/content" "$work/floor-$n" > /dev/null
  for _ in $(seq "$runs"); do
    timed "$work/p-$n" "$bin" build --root "$corpus" --as-of 2025-03-10 --output "$work/site-$n"
    rm -rf "$work/floor-$n"
    timed "$work/f-$n" "$floor" "$corpus/content" "$work/floor-$n"
  done
  ratios "$work/p-$n" "$work/f-$n" > "$work/r-$n"
  read -r pm pmin pmax <<< "$(stats "$work/p-$n.wall")"
  read -r fm fmin fmax <<< "$(stats "$work/f-$n.wall")"
  read -r rm rmin rmax <<< "$(stats "$work/r-$n")"
  pages=$(grep -o '[0-9]* pages' "$work/p-$n.log" | grep -o '[0-9]*')
  rss=$(sort -g "$work/p-$n.rss" | tail -1)
  printf '%-7s | %-26s | %-9s | %-9s | %-26s | %-22s\n' "$n" "$pm s ($pmin-$pmax)" "$(awk "BEGIN{printf \"%.0f\", $pages/$pm}")" "$((rss / 1024)) MB" "$fm s ($fmin-$fmax)" "$rm ($rmin-$rmax)"
  awk "BEGIN{printf \"        time per plan: %.3f ms\n\", 1000*$pm/$n}"
  ratio[$n]=$rm; per_plan[$n]=$(awk "BEGIN{printf \"%.5f\", $pm/$n}"); peak[$n]=$rss
done

# serve_edits SITE AS_OF LABEL: one plan edited 20 times while `serve`
# runs on a copy of SITE, from the write to the page served.
serve_edits() {
  local edit=$work/serve-edit port plan sm smin smax
  rm -rf "$edit" && cp -r "$1" "$edit" && rm -rf "$edit/public"
  port=$((20000 + RANDOM % 20000))
  "$bin" serve --root "$edit" --port "$port" --as-of "$2" > "$work/serve.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  plan=$edit/content/plan-00000.md
  rm -f "$work/serve.ms"
  for i in $(seq 20); do
    sed -i "1s/.*/# Edited plan, edit $i/" "$plan"
    start=$(date +%s%N)
    # The page is fetched whole before it is searched: `curl | grep -q`
    # under pipefail fails whenever grep stops reading first (curl then
    # dies of SIGPIPE), and the loop polled again after a page that was
    # already served.
    until [[ "$(curl -sf "http://127.0.0.1:$port/plans/plan-00000/index.html")" == *"Edited plan, edit $i<"* ]]; do sleep 0.005; done
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/serve.ms"
  done
  local rss peak
  rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$server/status" 2>/dev/null || echo "?")
  peak=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$server/status" 2>/dev/null || echo "?")
  kill $server 2>/dev/null || true
  read -r sm smin smax <<< "$(stats "$work/serve.ms")"
  echo "serve, $3, one plan edited: median ${sm} ms (min $smin, max $smax) from write to page served, 20 edits"
  echo "        memory after the edits: $rss MB (peak $peak MB)"
  serve_ms=$sm
}
corpus=$work/corpus-1000
[ -d "$corpus/content" ] || "$gen" --plans 1000 --out "$corpus" > /dev/null
serve_edits "$corpus" 2025-03-10 "1000 plans"
serve_1000=$serve_ms

# History: 52 weekly snapshots of 100 plans, against no history.
hist=$work/history-100
if [ ! -f "$hist/archive/2025-W52/manifest.json" ]; then
  rm -rf "$hist"
  for week in $(seq 1 52); do
    "$gen" --plans 100 --out "$hist" --week "$week" > /dev/null
    "$bin" snapshot --root "$hist" --week "$(printf '2025-W%02d' "$week")" > /dev/null 2>&1
  done
fi
plain=$work/plain-100
rm -rf "$plain" && mkdir -p "$plain" && cp -r "$hist/content" "$plain/"
rm -f "$work"/h.* "$work"/n.* "$work"/c.*
# Cold: no previous site, every archived week rendered (this also leaves
# the site the warm builds below reuse).
rm -rf "$work/site-h"
timed "$work/c" "$bin" build --root "$hist" --as-of 2025-12-29 --output "$work/site-h"
for _ in $(seq "$runs"); do
  timed "$work/h" "$bin" build --root "$hist" --as-of 2025-12-29 --output "$work/site-h"
  timed "$work/n" "$bin" build --root "$plain" --as-of 2025-12-29 --output "$work/site-n"
done
ratios "$work/h" "$work/n" > "$work/hr"
read -r hm hmin hmax <<< "$(stats "$work/h.wall")"
read -r nm _ _ <<< "$(stats "$work/n.wall")"
read -r hrm hrmin hrmax <<< "$(stats "$work/hr")"
echo "history, 100 plans x 52 weeks: median $hm s ($hmin-$hmax) against $nm s without history: ratio $hrm ($hrmin-$hrmax)"
echo "        the same with no previous site to reuse (every week rendered, once): $(cat "$work/c.wall") s, peak $(( $(cat "$work/c.rss") / 1024 )) MB"
serve_edits "$hist" 2025-12-29 "100 plans with 52 weeks of history"

# The issue's targets, each checked against this run's medians.
echo
echo "targets, from this run's medians:"
for n in 1000 10000; do
  if [ -n "${ratio[$n]:-}" ]; then
    verdict "full build at most 3x the floor, $n plans" "${ratio[$n]}x" "$(le "${ratio[$n]}" 3)"
  fi
done
if [ -n "${per_plan[1000]:-}" ] && [ -n "${per_plan[10000]:-}" ]; then
  growth=$(awk "BEGIN{printf \"%.2f\", ${per_plan[10000]}/${per_plan[1000]}}")
  verdict "growth: time per plan at 10000 at most 1.2x that at 1000" "${growth}x" "$(le "$growth" 1.2)"
fi
if [ -n "${peak[10000]:-}" ]; then
  mb=$((peak[10000] / 1024))
  verdict "memory: peak at 10000 plans under 1 GiB" "$mb MB" "$(le "$mb" 1024)"
  if [ -n "${peak[1000]:-}" ]; then
    grows=$(awk "BEGIN{printf \"%.1f\", ${peak[10000]}/${peak[1000]}}")
    verdict "memory grows no faster than the corpus (10x the plans)" "${grows}x" "$(le "$grows" 10)"
  fi
fi
verdict "serve: one edit in a 1000-plan site, median under 100 ms" "$serve_1000 ms" "$(awk "BEGIN{print ($serve_1000 < 100) ? 1 : 0}")"
verdict "history: 52 weeks of 100 plans at most 3x no history" "${hrm}x" "$(le "$hrm" 3)"
echo "  (faster than the peers: bench/peers.sh)"
