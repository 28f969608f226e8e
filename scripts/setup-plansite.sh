#!/usr/bin/env bash
# Install a plansite release binary on a Linux or macOS machine (the
# action.yml at the repository root runs this; it also runs by hand).
#
# Release assets expected (the release workflow publishes exactly these).
# For version X.Y.Z the tag is vX.Y.Z and each asset is at
#   <base-url>/vX.Y.Z/<asset>
#   plansite-vX.Y.Z-x86_64-unknown-linux-musl.tar.gz    Linux X64
#   plansite-vX.Y.Z-aarch64-unknown-linux-musl.tar.gz   Linux ARM64
#   plansite-vX.Y.Z-x86_64-apple-darwin.tar.gz          macOS X64
#   plansite-vX.Y.Z-aarch64-apple-darwin.tar.gz         macOS ARM64
#   plansite-vX.Y.Z-x86_64-pc-windows-msvc.zip          Windows X64 (setup-plansite.ps1)
#   SHA256SUMS   "<sha256>  <asset name>" lines (sha256sum format)
# Each archive holds one folder plansite-vX.Y.Z-<target>/ with the binary
# (plansite / plansite.exe), README.md and the LICENSE files.
#
# Environment:
#   PLANSITE_VERSION     X.Y.Z or vX.Y.Z; when empty, PLANSITE_ACTION_REF is
#                        used if it is a tag vX.Y.Z
#   PLANSITE_BASE_URL    default https://github.com/$PLANSITE_ACTION_REPOSITORY/releases/download
#                        (http(s):// or file://)
#   RUNNER_OS, RUNNER_ARCH   default from uname -s / uname -m
#   RUNNER_TEMP          where it installs (default: a new mktemp -d folder)
#   GITHUB_PATH, GITHUB_OUTPUT   optional; when set, the binary's folder is
#                        appended to GITHUB_PATH and outputs version, path written
#
# It installs to $RUNNER_TEMP/plansite/X.Y.Z/<target>/plansite only after the
# archive's SHA-256 matches SHA256SUMS and `plansite --version` prints
# "plansite X.Y.Z"; on any failure it exits 1 and changes neither
# GITHUB_PATH nor GITHUB_OUTPUT.
set -euo pipefail

fail() {
  printf 'setup-plansite: error: %s\n' "$*" >&2
  exit 1
}
note() {
  printf 'setup-plansite: %s\n' "$*"
}

supported="Linux X64, Linux ARM64, macOS X64, macOS ARM64 (this script); Windows X64 (setup-plansite.ps1)"
semver_re='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

# --- version -----------------------------------------------------------
version="${PLANSITE_VERSION:-}"
if [ -z "$version" ]; then
  ref="${PLANSITE_ACTION_REF:-}"
  if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    version="$ref"
  elif [ -n "$ref" ]; then
    fail "no version given and the action's ref '$ref' is not a release tag vX.Y.Z; set the input version (for example version: 0.1.0)"
  else
    fail "no version given (input version / PLANSITE_VERSION is empty and the action's ref is unknown); set the input version (for example version: 0.1.0)"
  fi
fi
version="${version#v}"
[[ "$version" =~ $semver_re ]] || fail "version '$version' is not X.Y.Z or vX.Y.Z"
tag="v$version"

# --- base URL ----------------------------------------------------------
base_url="${PLANSITE_BASE_URL:-}"
if [ -z "$base_url" ]; then
  repo="${PLANSITE_ACTION_REPOSITORY:-}"
  [ -n "$repo" ] || fail "no base URL given (input base-url / PLANSITE_BASE_URL is empty and the action's repository is unknown)"
  base_url="https://github.com/$repo/releases/download"
fi
base_url="${base_url%/}"

# --- platform ----------------------------------------------------------
os="${RUNNER_OS:-}"
if [ -z "$os" ]; then
  case "$(uname -s)" in
    Linux) os=Linux ;;
    Darwin) os=macOS ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os=Windows ;;
    *) os="$(uname -s)" ;;
  esac
fi
arch="${RUNNER_ARCH:-}"
if [ -z "$arch" ]; then
  case "$(uname -m)" in
    x86_64 | amd64) arch=X64 ;;
    aarch64 | arm64) arch=ARM64 ;;
    armv6* | armv7* | armv8l | arm) arch=ARM ;;
    i386 | i486 | i586 | i686 | x86) arch=X86 ;;
    *) arch="$(uname -m)" ;;
  esac
fi
case "$os/$arch" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/*) fail "platform $os $arch: this script is for Linux and macOS; on Windows use scripts/setup-plansite.ps1 (the action does). Supported: $supported" ;;
  *) fail "platform $os $arch has no plansite release binary. Supported: $supported" ;;
esac

asset="plansite-$tag-$target.tar.gz"
folder="plansite-$tag-$target"
note "plansite $version for $os $arch ($target) from $base_url/$tag/"

# --- tools -------------------------------------------------------------
command -v curl >/dev/null || fail "curl is required"
command -v tar >/dev/null || fail "tar is required"
if command -v sha256sum >/dev/null; then
  sha256_of() { sha256sum <"$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null; then
  sha256_of() { shasum -a 256 <"$1" | cut -d' ' -f1; }
else
  fail "sha256sum or shasum is required"
fi

# --- download and verify -----------------------------------------------
temp="${RUNNER_TEMP:-}"
if [ -z "$temp" ]; then
  temp="$(mktemp -d)"
fi
mkdir -p "$temp"
work="$(mktemp -d "$temp/plansite-setup.XXXXXX")"
trap 'rm -rf "$work"' EXIT

download() { # url dest
  curl -fsSL --retry 3 --retry-delay 2 --proto '=https,http,file' -o "$2" "$1" ||
    fail "could not download $1 (curl exit $?)"
}

download "$base_url/$tag/SHA256SUMS" "$work/SHA256SUMS"
# Lines are "<hash>  <name>" ("<hash> *<name>" in binary mode); CRs dropped.
expected="$(tr -d '\r' <"$work/SHA256SUMS" |
  awk -v n="$asset" '$2 == n || $2 == "*" n { print tolower($1); exit }')"
[ -n "$expected" ] || fail "SHA256SUMS of $tag has no line for $asset (no release binary for $target in $tag?)"
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || fail "SHA256SUMS of $tag has a malformed line for $asset: '$expected'"

download "$base_url/$tag/$asset" "$work/$asset"
actual="$(sha256_of "$work/$asset")"
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $asset: expected $expected (SHA256SUMS), actual $actual; the download was not installed"
fi
note "checksum OK: $asset sha256 $actual"

mkdir "$work/x"
tar -xzf "$work/$asset" -C "$work/x" || fail "could not extract $asset"
[ -f "$work/x/$folder/plansite" ] || fail "$asset has no $folder/plansite"
chmod +x "$work/x/$folder/plansite"

# --- check the binary --------------------------------------------------
said="$("$work/x/$folder/plansite" --version 2>&1)" ||
  fail "plansite --version failed (exit $?): $said; not installed"
said="$(printf '%s\n' "$said" | head -n 1 | tr -d '\r')"
[ "$said" = "plansite $version" ] ||
  fail "plansite --version printed '$said', expected 'plansite $version'; not installed"

# --- install -----------------------------------------------------------
dest="$temp/plansite/$version/$target"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$work/x/$folder" "$dest"
bin="$dest/plansite"

if [ -n "${GITHUB_PATH:-}" ]; then
  printf '%s\n' "$dest" >>"$GITHUB_PATH"
else
  note "GITHUB_PATH is not set: add $dest to PATH yourself"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    printf 'version=%s\n' "$version"
    printf 'path=%s\n' "$bin"
  } >>"$GITHUB_OUTPUT"
fi
note "installed $said at $bin"
