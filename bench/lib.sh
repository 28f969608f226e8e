# Helpers shared by the benchmark scripts (sourced from the repository's
# root, after `sizes` and `runs` are set): the work folder on tmpfs, the
# release binaries, and the timing helpers.

work=${BENCH_DIR:-/dev/shm/plansite-bench}
mkdir -p "$work"
cargo build --release --quiet --bins --examples
bin=$PWD/target/release/plansite
gen=$PWD/target/release/examples/gen_corpus
floor=$PWD/target/release/examples/floor

# stats FILE: "median min max" of the numbers in FILE (one per line).
stats() { sort -g "$1" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f %.3f %.3f", m, a[1], a[NR]}'; }

# timed OUT_PREFIX CMD...: appends wall seconds (from the clock, in
# nanoseconds: GNU time rounds to 10 ms) and peak KB (from GNU time) to
# OUT_PREFIX.{wall,rss}; the command's output goes to OUT_PREFIX.log.
timed() {
  local out=$1; shift
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$out.t" "$@" > "$out.log" 2>&1
  end=$(date +%s%N)
  awk "BEGIN{printf \"%.4f\n\", ($end - $start) / 1e9}" >> "$out.wall"
  cat "$out.t" >> "$out.rss"
}

# verdict TEXT FIGURE MET: one line of the target summary; MET is 1 or 0.
verdict() { printf '  %-62s %-22s %s\n' "$1" "$2" "$( [ "$3" = 1 ] && echo met || echo 'NOT MET')"; }

# le A B: 1 if A <= B (decimals), else 0.
le() { awk "BEGIN{print ($1 <= $2) ? 1 : 0}"; }

# ratios A B: per pair of runs, A's wall time over B's, one per line.
ratios() { paste "$1.wall" "$2.wall" | awk '{printf "%.3f\n", $1/$2}'; }

[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time)" >&2; exit 2; }
