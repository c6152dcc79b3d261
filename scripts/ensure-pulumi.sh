#!/usr/bin/env bash
# Provides the pinned Pulumi CLI, built from Pulumi's Go modules (its installer and the `pulumi` npm
# wrapper download binaries, which these machines cannot). Prints the bin directory as its last line.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.248.0}"
# pulumi-language-nodejs is its own untagged module: pinned by the commit of release 3.248.0.
LANGUAGE_HOST_COMMIT="${PULUMI_LANGUAGE_HOST_COMMIT:-dc7edd58bc13}"

CACHE_DIR="${PULUMI_POSTMARK_CACHE:-$HOME/.cache/pulumi-postmark}"
BUILD_DIR="$CACHE_DIR/pulumi-v$PULUMI_VERSION"
BIN_DIR="$BUILD_DIR/bin"
WRAPPER_DIR="$BUILD_DIR/wrapper"

log() { echo "ensure-pulumi: $*" >&2; }

is_complete() {
  local dir="$1"
  [ -x "$dir/pulumi" ] && [ -x "$dir/pulumi-language-nodejs" ] && [ -x "$dir/pulumi-resource-pulumi-nodejs" ] &&
    [ "$("$dir/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]
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

log "building Pulumi CLI v$PULUMI_VERSION from the Go module proxy into $BIN_DIR"
log "a cold build downloads several hundred MB of modules and takes 5 to 15 minutes on 2 cores; later runs reuse it"

mkdir -p "$WRAPPER_DIR" "$BIN_DIR"
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

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
)
GOSRC

export GOFLAGS="-mod=mod"
# Explicit versions everywhere: a bare `go get` would upgrade to the newest release.
go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" \
       "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" \
       "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$LANGUAGE_HOST_COMMIT" >&2

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
    -o "$1" "$2" >&2
}
build "$BIN_DIR/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build "$BIN_DIR/pulumi-language-nodejs.tmp" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3

# Dynamic providers run through this small shell script shipped in the sdk module (read-only in the cache).
sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$BIN_DIR/pulumi-resource-pulumi-nodejs"
mv "$BIN_DIR/pulumi-language-nodejs.tmp" "$BIN_DIR/pulumi-language-nodejs"
mv "$BIN_DIR/pulumi.tmp" "$BIN_DIR/pulumi"

is_complete "$BIN_DIR" || { log "built, but $BIN_DIR/pulumi version is not v$PULUMI_VERSION"; exit 1; }
log "built $("$BIN_DIR/pulumi" version)"
echo "$BIN_DIR"
