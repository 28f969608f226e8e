#!/usr/bin/env bash
# Pathological Markdown: each input at N, 2N and 4N characters, built by
# `plansite build` (median of RUNS runs, on tmpfs). Linear time shows as a
# ratio near 2 per doubling; a ratio near 4 would be quadratic. Then one
# plan of 50 MB, over the 16 MiB cap: refused with a clear error.
#
#   bench/pathological.sh            (N = 40000; RUNS=3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${N:-40000}
runs=${RUNS:-3}
work=${BENCH_DIR:-/dev/shm/plansite-pathological}
cargo build --release --quiet
bin=$PWD/target/release/plansite
mkdir -p "$work"

# body PATTERN SIZE: the Markdown after the heading, about SIZE characters.
body() {
  local size=$2
  case $1 in
    brackets) head -c "$size" /dev/zero | tr '\0' '[' ;;
    comments) head -c "$size" /dev/zero | tr '\0' '!' | sed 's/!!!!/<!--/g' ;;
    quotes) head -c "$size" /dev/zero | tr '\0' '>'; printf ' deep' ;;
    lists) head -c "$size" /dev/zero | tr '\0' '-' | sed 's/-/- /g'; printf 'deep' ;;
    divs) head -c "$size" /dev/zero | tr '\0' '!' | sed 's/!!!!!/<div>/g' ;;
    emphasis) head -c "$size" /dev/zero | tr '\0' '*'; printf 'a' ;;
    links) head -c "$size" /dev/zero | tr '\0' '!' | sed 's/!!!!/[a](/g' ;;
    backticks) head -c "$size" /dev/zero | tr '\0' '`'; printf 'a' ;;
  esac
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

echo "pathological Markdown, $(date -u +%Y-%m-%d), $(nproc) cores, median of $runs runs, on $work"
printf '%-10s | %-10s | %-10s | %-10s | %-13s\n' "input" "N=$n" "2N" "4N" "ratios"
for pattern in brackets comments quotes lists divs emphasis links backticks; do
  times=()
  for size in "$n" $((2 * n)) $((4 * n)); do
    site=$work/$pattern-$size
    rm -rf "$site" && mkdir -p "$site/content"
    { printf '# %s\n\n- [ ] task\n\n' "$pattern"; body "$pattern" "$size"; printf '\n'; } > "$site/content/plan.md"
    for _ in $(seq "$runs"); do
      start=$(date +%s%N)
      "$bin" build --root "$site" --as-of 2025-03-10 > /dev/null 2>&1
      echo $(( ($(date +%s%N) - start) / 1000000 ))
    done | median > "$work/t"
    times+=("$(cat "$work/t")")
  done
  r1=$(awk "BEGIN{printf \"%.1f\", ${times[1]}/(${times[0]}>0?${times[0]}:1)}")
  r2=$(awk "BEGIN{printf \"%.1f\", ${times[2]}/(${times[1]}>0?${times[1]}:1)}")
  printf '%-10s | %-10s | %-10s | %-10s | %-13s\n' "$pattern" "${times[0]} ms" "${times[1]} ms" "${times[2]} ms" "$r1, $r2"
done

big=$work/big
rm -rf "$big" && mkdir -p "$big/content"
{ printf '# Big\n\n'; head -c 52428800 < <(yes '* [ ] a task line that repeats to make the file large'); } > "$big/content/plan.md"
start=$(date +%s%N)
set +e
"$bin" build --root "$big" --as-of 2025-03-10 > /dev/null 2> "$work/big.err"
code=$?
set -e
echo "a 50 MB plan: exit $code in $(( ($(date +%s%N) - start) / 1000000 )) ms: $(grep -m1 'MiB' "$work/big.err" || head -c 200 "$work/big.err")"
