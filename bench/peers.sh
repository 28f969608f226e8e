#!/usr/bin/env bash
# plansite beside the peers, on the same generated corpora, on tmpfs: Zola
# (when ZOLA names its binary: it is not in the registries this machine
# reaches, so build it from its source, outside this repository), Hugo
# (Debian's package: `apt-get install hugo`) and mdBook (`cargo install
# mdbook --locked`).
#
#   bench/peers.sh [N ...]           (default: 1000 10000)
#   RUNS=5 bench/peers.sh 1000       (runs per size after a warm-up)
#   ZOLA=/path/to/zola bench/peers.sh
#   MDBOOK_MAX=1000                  (mdBook only up to this many plans)
#
# The tools run in turn (A B C A B C ...), so machine noise hits them all.
# The peers write into an empty folder each run (the folder is removed
# before the clock starts) and render each plan as a plain page with a
# minimal template (title and body) plus one index page listing every
# plan; Zola's site gets a config.toml, a content/_index.md, the plans with
# the front matter Zola requires (a title), and one page.html and
# index.html template. plansite does its whole job (model, checks, charts,
# report pages, dashboard, JSON models, calendars, link-preview cards) over
# the site its last run wrote, as it runs in use (a CI job keeping its
# output folder, or a team's machine): the cards whose figures did not
# change are kept, every page is rendered again. Each run's page count is
# checked, so a tool that renders nothing cannot look fast. The targets at
# the end are printed as met or NOT MET.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-5}
mdbook_max=${MDBOOK_MAX:-1000}
source bench/lib.sh
declare -A peer_ratio median_wall peak_rss

tools=(plansite floor)
zola=${ZOLA:-}
if [ -n "$zola" ]; then
  [ -x "$zola" ] || { echo "peers: ZOLA=$zola is not an executable" >&2; exit 2; }
  tools+=(zola)
else
  echo "peers: ZOLA not set (the path of a zola binary): Zola not run"
fi
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
    zola)
      mkdir -p "$dir/content" "$dir/templates"
      printf 'base_url = "https://example.org/plans/"\ntitle = "Plans"\ncompile_sass = false\nbuild_search_index = false\n' > "$dir/config.toml"
      printf '+++\ntitle = "Plans"\n+++\n' > "$dir/content/_index.md"
      for f in "$corpus"/*.md; do
        b=$(basename "$f" .md)
        { printf '+++\ntitle = "%s"\n+++\n' "$b"; cat "$f"; } > "$dir/content/$b.md"
      done
      echo '<!doctype html><html><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body>{{ page.content | safe }}</body></html>' > "$dir/templates/page.html"
      echo '<!doctype html><html><head><meta charset="utf-8"><title>{{ section.title }}</title></head><body><ul>{% for page in section.pages %}<li><a href="{{ page.permalink }}">{{ page.title }}</a></li>{% endfor %}</ul></body></html>' > "$dir/templates/index.html"
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
    zola) cmd=("$zola" --root "$work/zola-project-$n" build --output-dir "$out") ;;
  esac
}

echo "plansite and its peers, $(date -u +%Y-%m-%d), $(nproc) cores, $runs runs per size after a warm-up, on $work"
"$bin" --version
[ -n "$zola" ] && "$zola" --version
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
      # plansite over its last site (see the top); the others from empty.
      [ "$tool" = plansite ] || rm -rf "$out"
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
    median_wall["$tool $n"]=$m
    peak_rss["$tool $n"]=$rss
    printf '%-7s | %-9s | %-26s | %-9s | %-9s | %-9s | %-24s\n' "$n" "$tool" "$m s ($mn-$mx)" "$pages" \
      "$(awk "BEGIN{printf \"%.0f\", $pages/$m}")" "$((rss / 1024)) MB" "$rm ($rmin-$rmax)"
    case $tool in plansite | floor) ;; *) peer_ratio["$tool $n"]=$rm ;; esac
  done
done

# The targets, from this run's medians.
echo
echo "targets, from this run's medians:"
for key in "${!peer_ratio[@]}"; do
  [ "${key% *}" = zola ] && continue
  r=${peer_ratio[$key]}
  verdict "faster than ${key% *}, ${key#* } plans (tool / plansite)" "${r}x" "$(awk "BEGIN{print ($r > 1) ? 1 : 0}")"
done | sort
largest=${sizes[-1]}
for n in "${sizes[@]}"; do
  if [ -n "$zola" ]; then
    # peer_ratio is Zola / plansite per pair; the target is plansite / Zola.
    r=$(awk "BEGIN{printf \"%.3f\", 1 / ${peer_ratio["zola $n"]}}")
    verdict "plansite at most 0.8x Zola's wall time, $n plans" "${r}x" "$(le "$r" 0.8)"
  else
    printf '  %-62s %-22s %s\n' "plansite at most 0.8x Zola's wall time, $n plans" "not run" "unverified: ZOLA not set"
  fi
done
if [ -n "$zola" ]; then
  p=${peak_rss["plansite $largest"]} z=${peak_rss["zola $largest"]}
  verdict "peak memory at $largest plans at most Zola's" "$((p / 1024)) MB vs $((z / 1024)) MB" "$(le "$p" "$z")"
fi
if [ ${#sizes[@]} -ge 2 ]; then
  small=${sizes[0]}
  s=$(awk "BEGIN{printf \"%.3f\", (${median_wall["plansite $largest"]} / $largest) / (${median_wall["plansite $small"]} / $small)}")
  verdict "time per plan at $largest at most 1.1x that at $small" "${s}x" "$(le "$s" 1.1)"
fi
echo "  (serve edit and history: bench/run.sh)"
