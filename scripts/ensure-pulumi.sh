#!/usr/bin/env bash
# Provides the pinned Pulumi CLI, built from Pulumi's Go modules (its installer and the `pulumi` npm
# wrapper download binaries, which these machines cannot). Prints the bin directory as its last line.
set -euo pipefail

PULUMI_VERSION="3.248.0"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Pulumi's own pulumi-language-nodejs module is refused by the Go module proxy here (403 "This module
# version is not available." for its version list and for commits dc7edd58bc13 and a05d88f24d05), so the
# language host is our own small one, built against sdk/v3's gRPC contract: see language-host/main.go.
LANGUAGE_HOST_SRC="$SCRIPT_DIR/language-host/main.go"
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
    [ "$(cat "$dir/.language-host.sha256" 2>/dev/null)" = "$LANGUAGE_HOST_SUM" ]
}

if is_complete "$BIN_DIR"; then
  echo "$BIN_DIR"
  exit 0
fi

# A pulumi of the pinned version already on PATH, with its language host beside it, will do.
if on_path="$(command -v pulumi 2>/dev/null)"; then
  path_dir="$(dirname "$(readlink -f "$on_path")")"
  if is_complete "$path_dir"; then
    echo "$path_dir"
    exit 0
  fi
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

is_complete "$BIN_DIR" || { log "built, but $BIN_DIR is incomplete or its pulumi is not v$PULUMI_VERSION"; exit 1; }
log "ready: $("$BIN_DIR/pulumi" version) in $BIN_DIR"
echo "$BIN_DIR"
