#Requires -Version 7.0
# Install a plansite release binary on Windows with PowerShell 7 (the
# action.yml at the repository root runs this; it also runs by hand).
# scripts/setup-plansite.sh does the same on Linux and macOS.
#
# Release assets expected (the release workflow publishes exactly these).
# For version X.Y.Z the tag is vX.Y.Z and each asset is at
#   <base-url>/vX.Y.Z/<asset>
#   plansite-vX.Y.Z-x86_64-unknown-linux-musl.tar.gz    Linux X64 (setup-plansite.sh)
#   plansite-vX.Y.Z-aarch64-unknown-linux-musl.tar.gz   Linux ARM64 (setup-plansite.sh)
#   plansite-vX.Y.Z-x86_64-apple-darwin.tar.gz          macOS X64 (setup-plansite.sh)
#   plansite-vX.Y.Z-aarch64-apple-darwin.tar.gz         macOS ARM64 (setup-plansite.sh)
#   plansite-vX.Y.Z-x86_64-pc-windows-msvc.zip          Windows X64
#   SHA256SUMS   "<sha256>  <asset name>" lines (sha256sum format)
# Each archive holds one folder plansite-vX.Y.Z-<target>/ with the binary
# (plansite / plansite.exe), README.md and the LICENSE files.
#
# Environment (as for setup-plansite.sh):
#   PLANSITE_VERSION     X.Y.Z or vX.Y.Z; when empty, PLANSITE_ACTION_REF is
#                        used if it is a tag vX.Y.Z
#   PLANSITE_BASE_URL    default https://github.com/$PLANSITE_ACTION_REPOSITORY/releases/download
#                        (https:// or file:///C:/path; file:// is copied, since
#                        Invoke-WebRequest in PowerShell 7 has no file scheme)
#   RUNNER_OS, RUNNER_ARCH   default from the running system
#   RUNNER_TEMP          where it installs (default: a new folder in the temp folder)
#   GITHUB_PATH, GITHUB_OUTPUT   optional, as in setup-plansite.sh
#
# It installs to $RUNNER_TEMP\plansite\X.Y.Z\<target>\plansite.exe only after
# the archive's SHA-256 matches SHA256SUMS and `plansite --version` prints
# "plansite X.Y.Z"; on any failure it exits 1 and changes neither
# GITHUB_PATH nor GITHUB_OUTPUT.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSNativeCommandUseErrorActionPreference = $false

$script:work = $null

function Fail([string]$Message) {
    [Console]::Error.WriteLine("setup-plansite: error: $Message")
    if ($script:work -and (Test-Path -LiteralPath $script:work)) {
        Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
    }
    exit 1
}
function Note([string]$Message) {
    Write-Output "setup-plansite: $Message"
}

$supported = 'Linux X64, Linux ARM64, macOS X64, macOS ARM64 (setup-plansite.sh); Windows X64 (this script)'
$semverRe = '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

try {
    # --- version -------------------------------------------------------
    $version = "$env:PLANSITE_VERSION"
    if (-not $version) {
        $ref = "$env:PLANSITE_ACTION_REF"
        if ($ref -cmatch '^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$') {
            $version = $ref
        } elseif ($ref) {
            Fail "no version given and the action's ref '$ref' is not a release tag vX.Y.Z; set the input version (for example version: 0.1.0)"
        } else {
            Fail "no version given (input version / PLANSITE_VERSION is empty and the action's ref is unknown); set the input version (for example version: 0.1.0)"
        }
    }
    if ($version.StartsWith('v')) { $version = $version.Substring(1) }
    if ($version -cnotmatch $semverRe) { Fail "version '$version' is not X.Y.Z or vX.Y.Z" }
    $tag = "v$version"

    # --- base URL ------------------------------------------------------
    $baseUrl = "$env:PLANSITE_BASE_URL"
    if (-not $baseUrl) {
        $repo = "$env:PLANSITE_ACTION_REPOSITORY"
        if (-not $repo) { Fail "no base URL given (input base-url / PLANSITE_BASE_URL is empty and the action's repository is unknown)" }
        $baseUrl = "https://github.com/$repo/releases/download"
    }
    $baseUrl = $baseUrl.TrimEnd('/')

    # --- platform ------------------------------------------------------
    $os = "$env:RUNNER_OS"
    if (-not $os) {
        $os = if ($IsWindows) { 'Windows' } elseif ($IsMacOS) { 'macOS' } elseif ($IsLinux) { 'Linux' } else { 'unknown' }
    }
    $arch = "$env:RUNNER_ARCH"
    if (-not $arch) {
        $arch = switch ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString()) {
            'X64' { 'X64' }
            'Arm64' { 'ARM64' }
            'X86' { 'X86' }
            'Arm' { 'ARM' }
            default { $_ }
        }
    }
    if ($os -ceq 'Windows' -and $arch -ceq 'X64') {
        $target = 'x86_64-pc-windows-msvc'
    } elseif ($os -ceq 'Linux' -or $os -ceq 'macOS') {
        Fail "platform $os ${arch}: this script is for Windows; on Linux and macOS use scripts/setup-plansite.sh (the action does). Supported: $supported"
    } else {
        Fail "platform $os $arch has no plansite release binary. Supported: $supported"
    }

    $asset = "plansite-$tag-$target.zip"
    $folder = "plansite-$tag-$target"
    Note "plansite $version for $os $arch ($target) from $baseUrl/$tag/"

    # --- download and verify -------------------------------------------
    $temp = "$env:RUNNER_TEMP"
    if (-not $temp) {
        $temp = Join-Path ([System.IO.Path]::GetTempPath()) ("plansite-" + [guid]::NewGuid().ToString('N'))
    }
    New-Item -ItemType Directory -Force -Path $temp | Out-Null
    $script:work = Join-Path $temp ("plansite-setup." + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null

    function Get-Asset([string]$Url, [string]$Dest) {
        try {
            $uri = [System.Uri]::new($Url)
            if ($uri.IsFile) {
                Copy-Item -LiteralPath $uri.LocalPath -Destination $Dest
            } else {
                Invoke-WebRequest -Uri $uri -OutFile $Dest -MaximumRetryCount 3 -RetryIntervalSec 2
            }
        } catch {
            Fail "could not download $Url ($($_.Exception.Message))"
        }
    }

    $sums = Join-Path $script:work 'SHA256SUMS'
    Get-Asset "$baseUrl/$tag/SHA256SUMS" $sums
    # Lines are "<hash>  <name>" ("<hash> *<name>" in binary mode).
    $expected = $null
    foreach ($line in Get-Content -LiteralPath $sums) {
        $fields = $line.Trim() -split '\s+', 2
        if ($fields.Count -ne 2) { continue }
        $name = $fields[1]
        if ($name.StartsWith('*')) { $name = $name.Substring(1) }
        if ($name -ceq $asset) { $expected = $fields[0].ToLowerInvariant(); break }
    }
    if (-not $expected) { Fail "SHA256SUMS of $tag has no line for $asset (no release binary for $target in $tag?)" }
    if ($expected -cnotmatch '^[0-9a-f]{64}$') { Fail "SHA256SUMS of $tag has a malformed line for ${asset}: '$expected'" }

    $archive = Join-Path $script:work $asset
    Get-Asset "$baseUrl/$tag/$asset" $archive
    $actual = (Get-FileHash -LiteralPath $archive -Algorithm SHA256).Hash.ToLowerInvariant()
    if ($actual -cne $expected) {
        Fail "checksum mismatch for ${asset}: expected $expected (SHA256SUMS), actual $actual; the download was not installed"
    }
    Note "checksum OK: $asset sha256 $actual"

    $x = Join-Path $script:work 'x'
    try {
        Expand-Archive -LiteralPath $archive -DestinationPath $x
    } catch {
        Fail "could not extract $asset ($($_.Exception.Message))"
    }
    $exe = [System.IO.Path]::Combine($x, $folder, 'plansite.exe')
    if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) { Fail "$asset has no $folder/plansite.exe" }

    # --- check the binary ----------------------------------------------
    $ErrorActionPreference = 'Continue'
    try {
        $out = & $exe --version 2>&1
        $code = $LASTEXITCODE
    } catch {
        Fail "could not run plansite --version ($($_.Exception.Message)); not installed"
    } finally {
        $ErrorActionPreference = 'Stop'
    }
    $said = (@($out | ForEach-Object { "$_" }) + @('') | Select-Object -First 1).Trim()
    if ($code -ne 0) { Fail "plansite --version failed (exit $code): $said; not installed" }
    if ($said -cne "plansite $version") { Fail "plansite --version printed '$said', expected 'plansite $version'; not installed" }

    # --- install -------------------------------------------------------
    $dest = [System.IO.Path]::Combine($temp, 'plansite', $version, $target)
    if (Test-Path -LiteralPath $dest) { Remove-Item -LiteralPath $dest -Recurse -Force }
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $dest) | Out-Null
    Move-Item -LiteralPath (Join-Path $x $folder) -Destination $dest
    $bin = Join-Path $dest 'plansite.exe'
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
    $script:work = $null

    if ($env:GITHUB_PATH) {
        Add-Content -LiteralPath $env:GITHUB_PATH -Value $dest -Encoding utf8
    } else {
        Note "GITHUB_PATH is not set: add $dest to PATH yourself"
    }
    if ($env:GITHUB_OUTPUT) {
        Add-Content -LiteralPath $env:GITHUB_OUTPUT -Value @("version=$version", "path=$bin") -Encoding utf8
    }
    Note "installed $said at $bin"
} catch {
    Fail "$($_.Exception.Message)"
}
