#!/usr/bin/env bash
# Provides a Pulumi CLI and prints its bin directory as the last line of stdout (progress goes to stderr).
#
# 1. A `pulumi` on PATH is used as it is, with nothing built, when it is v3 at or above the minimum this
#    project supports (the floor of package.json's @pulumi/pulumi range) and has Pulumi's
#    `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` beside it, as every Pulumi install does.
# 2. Otherwise (or with PULUMI_POSTMARK_BUILD_CLI=1) the pinned CLI below is built from Pulumi's Go modules,
#    because its installer and the `pulumi` npm wrapper download binaries, which these machines cannot.
#    A cold build takes about 8 minutes on 2 cores; the cached build is reused in under a second.
set -euo pipefail

PULUMI_VERSION="3.248.0"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$SCRIPT_DIR")"
# Declared once, in package.json ("^3.216.0" -> 3.216.0).
MIN_VERSION="$(sed -n 's/.*"@pulumi\/pulumi": *"[~^]\{0,1\}\([0-9][0-9.]*\)".*/\1/p' "$REPO_DIR/package.json" | head -1)"
[ -n "$MIN_VERSION" ] || { echo "ensure-pulumi: no @pulumi/pulumi version in $REPO_DIR/package.json" >&2; exit 1; }
# Pulumi's own pulumi-language-nodejs module is refused by the Go module proxy here (403 "This module
# version is not available." for its version list and for commits dc7edd58bc13 and a05d88f24d05), so the
# language host is our own small one, built against sdk/v3's gRPC contract: see language-host/main.go.
LANGUAGE_HOST_SRC="$SCRIPT_DIR/language-host/main.go"
# Pulumi's YAML language host is its own module (github.com/pulumi/pulumi-yaml), which the proxy serves: YAML programs
# use the postmark provider plugin.
YAML_HOST_VERSION="1.25.0"
LANGUAGE_HOST_SUM="$(sha256sum "$LANGUAGE_HOST_SRC" | cut -d' ' -f1)"

CACHE_DIR="${PULUMI_POSTMARK_CACHE:-$HOME/.cache/pulumi-postmark}"
BUILD_DIR="$CACHE_DIR/pulumi-v$PULUMI_VERSION"
BIN_DIR="$BUILD_DIR/bin"
WRAPPER_DIR="$BUILD_DIR/wrapper"

log() { echo "ensure-pulumi: $*" >&2; }

cli_ok() { [ -x "$1/pulumi" ] && [ "$("$1/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; }
is_complete() {
  local dir="$1"
  cli_ok "$dir" && [ -x "$dir/pulumi-language-nodejs" ] && [ -x "$dir/pulumi-resource-pulumi-nodejs" ] &&
    [ "$(cat "$dir/.language-host.sha256" 2>/dev/null)" = "$LANGUAGE_HOST_SUM" ] && yaml_host_ok "$dir"
}
yaml_host_ok() { [ -x "$1/pulumi-language-yaml" ] && [ "$(cat "$1/.yaml-host.version" 2>/dev/null)" = "$YAML_HOST_VERSION" ]; }

# "v3.230.1" or "v3.231.0-alpha.x1" -> "3 230 1"; anything else -> nothing.
version_numbers() { sed -n 's/^v\{0,1\}\([0-9]\{1,\}\)\.\([0-9]\{1,\}\)\.\([0-9]\{1,\}\).*/\1 \2 \3/p' <<<"$1"; }
# Why the CLI in $1 (printing version $2) cannot be used, or nothing when it can.
unsuitable_reason() {
  local dir="$1" version="$2" major minor patch min_minor min_patch plugin
  read -r major minor patch <<<"$(version_numbers "$version")"
  read -r _ min_minor min_patch <<<"$(version_numbers "$MIN_VERSION")"
  if [ "$dir" = "$(readlink -f "$BIN_DIR" 2>/dev/null || echo "$BIN_DIR")" ]; then
    echo "it is this script's own build, checked below like any cached build"
  elif [ -z "${major:-}" ]; then
    echo "\`pulumi version\` printed \"$version\", not a version"
  elif [ "$major" != 3 ] || [ "$minor" -lt "$min_minor" ] || { [ "$minor" -eq "$min_minor" ] && [ "$patch" -lt "$min_patch" ]; }; then
    echo "it is $version; this project needs v3, at least v$MIN_VERSION"
  else
    for plugin in pulumi-language-nodejs pulumi-language-yaml pulumi-resource-pulumi-nodejs; do
      [ -x "$dir/$plugin" ] || { echo "it has no $plugin beside it in $dir"; return; }
    done
  fi
}

if [ "${PULUMI_POSTMARK_BUILD_CLI:-}" = 1 ]; then
  log "PULUMI_POSTMARK_BUILD_CLI=1: not looking for a pulumi on PATH"
elif on_path="$(command -v pulumi 2>/dev/null)"; then
  # Through symlinks (e.g. Homebrew's), to the directory where the CLI's plugins are installed beside it.
  path_dir="$(dirname "$(readlink -f "$on_path")")"
  path_version="$(PULUMI_SKIP_UPDATE_CHECK=true "$path_dir/pulumi" version 2>/dev/null | head -1)" || true
  reason="$(unsuitable_reason "$path_dir" "$path_version")"
  if [ -z "$reason" ]; then
    log "using the Pulumi CLI on PATH: $path_version in $path_dir (PULUMI_POSTMARK_BUILD_CLI=1 builds v$PULUMI_VERSION instead)"
    echo "$path_dir"
    exit 0
  fi
  log "not using the pulumi on PATH ($on_path): $reason"
fi

if is_complete "$BIN_DIR"; then
  echo "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null || { log "Go is required to build the Pulumi CLI (none on PATH)"; exit 1; }

mkdir -p "$WRAPPER_DIR/langhost" "$BIN_DIR"
cd "$WRAPPER_DIR"

# A wrapper module outside any git work tree: the pulumi modules' own go.mod files carry
# `replace => ../sdk` directives, so `go install module@version` refuses them.
cat > go.mod <<GOMOD
module pulumi-postmark/pulumi-build

go 1.24
GOMOD
cat > tools.go <<'GOSRC'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GOSRC
cp "$LANGUAGE_HOST_SRC" langhost/main.go

export GOFLAGS="-mod=mod"
if ! cli_ok "$BIN_DIR"; then
  log "building Pulumi CLI v$PULUMI_VERSION from the Go module proxy into $BIN_DIR"
  log "a cold build downloads about 1.3 GB of modules and takes 5 to 15 minutes on 2 cores; later runs reuse it"
fi
# Explicit versions everywhere: a bare `go get` would upgrade to the newest release.
go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2

# pkg and sdk must be the same version, or the CLI and its plugins disagree on the wire.
for mod in pkg sdk; do
  got="$(go list -m -f '{{.Version}}' "github.com/pulumi/pulumi/$mod/v3")"
  [ "$got" = "v$PULUMI_VERSION" ] || { log "$mod/v3 resolved to $got, not v$PULUMI_VERSION"; exit 1; }
done

# Built like Pulumi's releases; without the version string `pulumi version` prints nothing
# and the Automation API refuses the CLI.
build() {
  CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$1.tmp" "$2" >&2
  mv "$1.tmp" "$1"
}
cli_ok "$BIN_DIR" || build "$BIN_DIR/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
log "building pulumi-language-nodejs from scripts/language-host"
build "$BIN_DIR/pulumi-language-nodejs" ./langhost
echo "$LANGUAGE_HOST_SUM" > "$BIN_DIR/.language-host.sha256"

# Dynamic providers run through this small shell script shipped in the sdk module (read-only in the cache).
sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$BIN_DIR/pulumi-resource-pulumi-nodejs"

if ! yaml_host_ok "$BIN_DIR"; then
  # Built on its own, outside the wrapper module: it requires its own versions of Pulumi's modules.
  log "building pulumi-language-yaml v$YAML_HOST_VERSION (github.com/pulumi/pulumi-yaml), about 3 minutes on 2 cores"
  yaml_bin="$(mktemp -d)"
  (cd "$yaml_bin" && GOBIN="$yaml_bin" CGO_ENABLED=0 go install -trimpath "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_HOST_VERSION" >&2)
  mv "$yaml_bin/pulumi-language-yaml" "$BIN_DIR/pulumi-language-yaml"
  rm -rf "$yaml_bin"
  echo "$YAML_HOST_VERSION" > "$BIN_DIR/.yaml-host.version"
fi

is_complete "$BIN_DIR" || { log "built, but $BIN_DIR is incomplete or its pulumi is not v$PULUMI_VERSION"; exit 1; }
log "ready: $("$BIN_DIR/pulumi" version) in $BIN_DIR"
echo "$BIN_DIR"
