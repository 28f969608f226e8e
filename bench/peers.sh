#!/usr/bin/env bash
# plansite beside the peers that install on this machine, on the same
# generated corpora, on tmpfs: Hugo (Debian's package: `apt-get install
# hugo`) and mdBook (`cargo install mdbook --locked`). Zola is not in the
# registries this machine reaches, so it is not run.
#
#   bench/peers.sh [N ...]        (default: 1000 10000)
#   RUNS=5 bench/peers.sh 1000    (runs per size after a warm-up)
#   MDBOOK_MAX=1000               (mdBook only up to this many plans)
#
# Every tool writes into an empty folder each run (the folder is removed
# before the clock starts), and the tools run in turn, so machine noise
# hits them all. The peers render each plan as a plain page with a minimal
# template (title and body) plus one index page listing every plan;
# plansite does its whole job (model, checks, charts, report pages,
# dashboard). Each run's page count is checked, so a peer that renders
# nothing cannot look fast.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-5}
mdbook_max=${MDBOOK_MAX:-1000}
source bench/lib.sh
declare -A peer_ratio

tools=(plansite floor)
command -v hugo > /dev/null && tools+=(hugo) || echo "peers: hugo not found (apt-get install hugo): not run"
command -v mdbook > /dev/null && tools+=(mdbook) || echo "peers: mdbook not found (cargo install mdbook --locked): not run"

# setup TOOL N: the tool's project for the N-plan corpus (sources shared).
setup() {
  local tool=$1 n=$2 corpus=$work/corpus-$2/content dir=$work/$1-project-$2
  rm -rf "$dir" && mkdir -p "$dir"
  case $tool in
    hugo)
      mkdir -p "$dir/layouts/_default"
      cat > "$dir/hugo.toml" <<TOML
baseURL = "https://example.org/plans/"
title = "Plans"
contentDir = "$corpus"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
TOML
      echo '<!doctype html><html><head><meta charset="utf-8"><title>{{ .File.BaseFileName }}</title></head><body>{{ .Content }}</body></html>' > "$dir/layouts/_default/single.html"
      echo '<!doctype html><html><head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head><body><ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .File.BaseFileName }}</a></li>{{ end }}</ul></body></html>' > "$dir/layouts/_default/list.html"
      ;;
    mdbook)
      mkdir -p "$dir/src" "$dir/theme"
      ln -s "$corpus" "$dir/src/p"
      printf '[book]\ntitle = "Plans"\nsrc = "src"\n\n[output.html.search]\nenable = false\n' > "$dir/book.toml"
      echo '<!doctype html><html><head><meta charset="utf-8"><title>{{ title }}</title></head><body>{{{ content }}}</body></html>' > "$dir/theme/index.hbs"
      { echo "# Summary"; echo; for f in "$corpus"/*.md; do
          b=$(basename "$f" .md); echo "- [$b](p/$b.md)"; done; } > "$dir/src/SUMMARY.md"
      ;;
  esac
}

# command_for TOOL N OUT: sets `cmd` to one build of the N-plan corpus into OUT.
command_for() {
  local tool=$1 n=$2 out=$3
  case $tool in
    plansite) cmd=("$bin" build --root "$work/corpus-$n" --as-of 2025-03-10 --output "$out") ;;
    floor) cmd=("$floor" "$work/corpus-$n/content" "$out") ;;
    hugo) cmd=(hugo --quiet --source "$work/hugo-project-$n" --destination "$out") ;;
    mdbook) cmd=(mdbook build "$work/mdbook-project-$n" --dest-dir "$out") ;;
  esac
}

echo "plansite and its peers, $(date -u +%Y-%m-%d), $(nproc) cores, $runs runs per size after a warm-up, on $work"
"$bin" --version
command -v hugo > /dev/null && hugo version
command -v mdbook > /dev/null && mdbook --version
printf '%-7s | %-9s | %-26s | %-9s | %-9s | %-9s | %-24s\n' "plans" "tool" "median (min-max)" "pages" "pages/s" "peak RSS" "tool / plansite, per pair"
for n in "${sizes[@]}"; do
  [ -d "$work/corpus-$n/content" ] || "$gen" --plans "$n" --out "$work/corpus-$n" > /dev/null
  these=()
  for tool in "${tools[@]}"; do
    [ "$tool" = mdbook ] && [ "$n" -gt "$mdbook_max" ] && continue
    these+=("$tool")
    setup "$tool" "$n"
    rm -f "$work/peer-$tool-$n".*
    out=$work/peer-out-$tool-$n
    command_for "$tool" "$n" "$out"
    rm -rf "$out" && "${cmd[@]}" > /dev/null 2>&1   # warm-up
  done
  for _ in $(seq "$runs"); do
    for tool in "${these[@]}"; do
      out=$work/peer-out-$tool-$n
      rm -rf "$out"
      command_for "$tool" "$n" "$out"
      timed "$work/peer-$tool-$n" "${cmd[@]}"
      find "$out" -name '*.html' | wc -l >> "$work/peer-$tool-$n.pages"
    done
  done
  for tool in "${these[@]}"; do
    read -r m mn mx <<< "$(stats "$work/peer-$tool-$n.wall")"
    pages=$(sort -g "$work/peer-$tool-$n.pages" | head -1)
    [ "$pages" -ge "$n" ] || { echo "peers: $tool wrote $pages pages for $n plans: its run failed (see $work/peer-$tool-$n.log)" >&2; exit 1; }
    ratios "$work/peer-$tool-$n" "$work/peer-plansite-$n" > "$work/peer-$tool-$n.ratio"
    read -r rm rmin rmax <<< "$(stats "$work/peer-$tool-$n.ratio")"
    rss=$(sort -g "$work/peer-$tool-$n.rss" | tail -1)
    printf '%-7s | %-9s | %-26s | %-9s | %-9s | %-9s | %-24s\n' "$n" "$tool" "$m s ($mn-$mx)" "$pages" \
      "$(awk "BEGIN{printf \"%.0f\", $pages/$m}")" "$((rss / 1024)) MB" "$rm ($rmin-$rmax)"
    case $tool in plansite | floor) ;; *) peer_ratio["$tool $n"]=$rm ;; esac
  done
done

# The issue's last target: plansite ahead of each peer, side by side.
echo
echo "targets, from this run's medians (tool / plansite above 1: plansite is faster):"
for key in "${!peer_ratio[@]}"; do
  r=${peer_ratio[$key]}
  verdict "faster than ${key% *}, ${key#* } plans" "${r}x" "$(awk "BEGIN{print ($r > 1) ? 1 : 0}")"
done | sort
for n in "${sizes[@]}"; do
  printf '  %-62s %-22s %s\n' "faster than Zola, $n plans" "not run" "unverified: not installable here"
done
