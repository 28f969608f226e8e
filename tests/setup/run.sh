#!/usr/bin/env bash
# Tests for scripts/setup-plansite.sh (the action's Linux/macOS installer)
# against a stand-in release in a temporary folder, served by file:// URLs.
# The stand-in binary is a shell script printing "plansite 9.8.7", packed as
# the release workflow packs the real one (see action.yml). Needs bash, curl,
# tar, gzip, sha256sum (or shasum). Prints one line per case and a closing
# "N passed, N failed"; exits 1 when any case failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
script="$here/../../scripts/setup-plansite.sh"
[ -f "$script" ] || { echo "tests/setup/run.sh: $script not found" >&2; exit 2; }
for tool in curl tar gzip; do
  command -v "$tool" >/dev/null || { echo "tests/setup/run.sh: $tool is required" >&2; exit 2; }
done
if command -v sha256sum >/dev/null; then
  sha256() { sha256sum <"$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null; then
  sha256() { shasum -a 256 <"$1" | cut -d' ' -f1; }
else
  echo "tests/setup/run.sh: sha256sum or shasum is required" >&2
  exit 2
fi

root="$(mktemp -d "${TMPDIR:-/tmp}/plansite-setup-test.XXXXXX")"
trap 'rm -rf "$root"' EXIT

target=x86_64-unknown-linux-musl

# make_release DIR VERSION PRINTED [TARGET]: a release vVERSION under DIR
# whose TARGET (default Linux X64) binary prints "plansite PRINTED", with
# SHA256SUMS (a decoy line for another target comes first, so the right line
# must be picked). The stand-in runs here whatever target it is named for.
make_release() {
  local dir="$1" version="$2" printed="$3" target="${4:-$target}"
  local tag="v$version"
  local folder="plansite-$tag-$target"
  local stage="$root/stage-$RANDOM$RANDOM"
  mkdir -p "$stage/$folder" "$dir/$tag"
  printf '#!/bin/sh\necho "plansite %s"\n' "$printed" >"$stage/$folder/plansite"
  chmod +x "$stage/$folder/plansite"
  echo "stand-in README" >"$stage/$folder/README.md"
  echo "stand-in MIT license" >"$stage/$folder/LICENSE-MIT"
  echo "stand-in Apache license" >"$stage/$folder/LICENSE-APACHE"
  tar -czf "$dir/$tag/$folder.tar.gz" -C "$stage" "$folder"
  rm -rf "$stage"
  {
    printf '%s  %s\n' "$(printf 'decoy' | sha256sum_stdin)" "plansite-$tag-aarch64-unknown-linux-musl.tar.gz"
    printf '%s  %s\n' "$(sha256 "$dir/$tag/$folder.tar.gz")" "$folder.tar.gz"
  } >"$dir/$tag/SHA256SUMS"
}
sha256sum_stdin() {
  local f="$root/stdin-$RANDOM$RANDOM"
  cat >"$f"
  sha256 "$f"
  rm -f "$f"
}

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   - $1"; }
flunk() {
  failed=$((failed + 1))
  echo "FAIL - $1: $2"
  if [ -n "${case_dir:-}" ]; then
    sed 's/^/       stdout: /' "$case_dir/stdout" 2>/dev/null || true
    sed 's/^/       stderr: /' "$case_dir/stderr" 2>/dev/null || true
  fi
}

# run_setup NAME [VAR=VALUE...]: runs the script in a clean environment with
# its own RUNNER_TEMP (a path with a space), GITHUB_PATH and GITHUB_OUTPUT;
# RUNNER_OS=Linux RUNNER_ARCH=X64 unless given. Sets case_dir and rc.
run_setup() {
  case_dir="$root/case-$1"
  mkdir -p "$case_dir/runner temp"
  : >"$case_dir/github_path"
  : >"$case_dir/github_output"
  shift
  rc=0
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    RUNNER_TEMP="$case_dir/runner temp" \
    GITHUB_PATH="$case_dir/github_path" \
    GITHUB_OUTPUT="$case_dir/github_output" \
    RUNNER_OS=Linux RUNNER_ARCH=X64 \
    "$@" bash "$script" >"$case_dir/stdout" 2>"$case_dir/stderr" || rc=$?
}

# expect_success NAME VERSION [TARGET]: the run succeeded and installed
# VERSION for TARGET (default Linux X64).
expect_success() {
  local name="$1" version="$2" target="${3:-$target}"
  local dest="$case_dir/runner temp/plansite/$version/$target"
  if [ "$rc" -ne 0 ]; then flunk "$name" "exit $rc"; return; fi
  if [ "$(cat "$case_dir/github_path")" != "$dest" ]; then
    flunk "$name" "GITHUB_PATH holds '$(cat "$case_dir/github_path")', expected '$dest'"
    return
  fi
  local said
  said="$(PATH="$(cat "$case_dir/github_path"):$PATH" plansite --version)" || { flunk "$name" "installed plansite did not run"; return; }
  if [ "$said" != "plansite $version" ]; then flunk "$name" "installed plansite printed '$said'"; return; fi
  local want
  want="$(printf 'version=%s\npath=%s\n' "$version" "$dest/plansite")"
  if [ "$(cat "$case_dir/github_output")" != "$want" ]; then
    flunk "$name" "GITHUB_OUTPUT holds '$(cat "$case_dir/github_output")', expected '$want'"
    return
  fi
  for f in README.md LICENSE-MIT LICENSE-APACHE; do
    [ -f "$dest/$f" ] || { flunk "$name" "$f not installed beside the binary"; return; }
  done
  pass "$name"
}

# expect_failure NAME PATTERN: exit 1, stderr matches PATTERN (grep -E),
# nothing added to GITHUB_PATH or GITHUB_OUTPUT, RUNNER_TEMP left empty.
expect_failure() {
  local name="$1" pattern="$2"
  if [ "$rc" -ne 1 ]; then flunk "$name" "exit $rc, expected 1"; return; fi
  if ! grep -Eq -- "$pattern" "$case_dir/stderr"; then flunk "$name" "stderr does not match /$pattern/"; return; fi
  if [ -s "$case_dir/github_path" ]; then flunk "$name" "GITHUB_PATH was written"; return; fi
  if [ -s "$case_dir/github_output" ]; then flunk "$name" "GITHUB_OUTPUT was written"; return; fi
  if [ -n "$(ls -A "$case_dir/runner temp")" ]; then flunk "$name" "RUNNER_TEMP is not left empty: $(ls -A "$case_dir/runner temp")"; return; fi
  pass "$name: $(tail -n 1 "$case_dir/stderr" | sed 's/^setup-plansite: error: //')"
}

rel="$root/release"
make_release "$rel" 9.8.7 9.8.7
url="file://$rel"

run_setup ok-v PLANSITE_VERSION=v9.8.7 PLANSITE_BASE_URL="$url"
expect_success "installs v9.8.7 (GITHUB_PATH, binary runs, outputs)" 9.8.7

run_setup ok-plain PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="$url/"
expect_success "version without v (9.8.7) and a base URL ending in /" 9.8.7

run_setup ok-ref PLANSITE_ACTION_REF=v9.8.7 PLANSITE_BASE_URL="$url"
expect_success "no version input: the action's ref v9.8.7 is used" 9.8.7

if [ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ]; then
  run_setup ok-uname RUNNER_OS= RUNNER_ARCH= PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="$url"
  expect_success "RUNNER_OS/RUNNER_ARCH unset: uname gives Linux x86_64" 9.8.7
else
  echo "skip - RUNNER_OS/RUNNER_ARCH unset (this host is not Linux x86_64)"
fi

run_setup ok-again PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="$url"
run_setup ok-again PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="$url"
expect_success "a second install over the first" 9.8.7

mac="$root/macos"
make_release "$mac" 9.8.7 9.8.7 aarch64-apple-darwin
run_setup macos RUNNER_OS=macOS RUNNER_ARCH=ARM64 PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="file://$mac"
expect_success "macOS ARM64 takes the aarch64-apple-darwin archive" 9.8.7 aarch64-apple-darwin

# The macOS way of hashing: a PATH of links to the tools the script uses,
# without sha256sum, so that it falls back to shasum -a 256.
shim=
if command -v shasum >/dev/null; then
  shim="$root/no-sha256sum-bin"
  mkdir -p "$shim"
  for tool in bash env curl tar gzip awk tr cut head mkdir mktemp rm mv chmod dirname cat sh shasum perl uname; do
    if command -v "$tool" >/dev/null; then ln -s "$(command -v "$tool")" "$shim/$tool"; fi
  done
  run_setup shasum PATH="$shim" PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="$url"
  expect_success "no sha256sum: hashed with shasum -a 256" 9.8.7
else
  echo "skip - no sha256sum (shasum is not installed here)"
fi

bad="$root/bad-sum"
make_release "$bad" 9.8.7 9.8.7
sed -i.orig -E "s/^[0-9a-f]{64}(  plansite-v9\.8\.7-$target)/$(printf '0%.0s' {1..64})\1/" "$bad/v9.8.7/SHA256SUMS"
run_setup bad-sum PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="file://$bad"
expect_failure "wrong checksum" "checksum mismatch.*expected 0{64}.*actual [0-9a-f]{64}.*was not installed"
if [ -n "${shim:-}" ]; then
  run_setup shasum-bad PATH="$shim" PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="file://$bad"
  expect_failure "wrong checksum, hashed with shasum" "checksum mismatch.*expected 0{64}.*actual [0-9a-f]{64}.*was not installed"
fi

run_setup arm RUNNER_OS=Linux RUNNER_ARCH=ARM PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="$url"
expect_failure "Linux ARM (32-bit)" "platform Linux ARM has no plansite release binary\. Supported: Linux X64, Linux ARM64, macOS X64, macOS ARM64"

run_setup windows RUNNER_OS=Windows RUNNER_ARCH=X64 PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="$url"
expect_failure "Windows on the bash script" "platform Windows X64: .*setup-plansite\.ps1"

gone="$root/no-archive"
make_release "$gone" 9.8.7 9.8.7
rm "$gone/v9.8.7/plansite-v9.8.7-$target.tar.gz"
run_setup no-archive PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="file://$gone"
expect_failure "archive missing from the release" "could not download .*/v9\.8\.7/plansite-v9\.8\.7-$target\.tar\.gz"

run_setup no-release PLANSITE_VERSION=1.0.0 PLANSITE_BASE_URL="$url"
expect_failure "no such release" "could not download .*/v1\.0\.0/SHA256SUMS"

noline="$root/no-line"
make_release "$noline" 9.8.7 9.8.7
sed -i.orig "/plansite-v9\.8\.7-$target/d" "$noline/v9.8.7/SHA256SUMS"
run_setup no-line PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="file://$noline"
expect_failure "archive's line missing from SHA256SUMS" "SHA256SUMS of v9\.8\.7 has no line for plansite-v9\.8\.7-$target\.tar\.gz"

liar="$root/other-version"
make_release "$liar" 9.8.7 1.2.3
run_setup other-version PLANSITE_VERSION=9.8.7 PLANSITE_BASE_URL="file://$liar"
expect_failure "binary prints another version" "printed 'plansite 1\.2\.3', expected 'plansite 9\.8\.7'; not installed"

run_setup branch-ref PLANSITE_ACTION_REF=main PLANSITE_BASE_URL="$url"
expect_failure "no version input, action ref main" "the action's ref 'main' is not a release tag vX\.Y\.Z; set the input version"

run_setup no-version PLANSITE_BASE_URL="$url"
expect_failure "no version at all" "no version given"

run_setup bad-version PLANSITE_VERSION="9.8.7/../x" PLANSITE_BASE_URL="$url"
expect_failure "malformed version" "version '9\.8\.7/\.\./x' is not X\.Y\.Z"

case_dir=
echo "setup-plansite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
