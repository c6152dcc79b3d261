#!/usr/bin/env bash
# Builds the SDK generator (scripts/sdkgen) and prints its two binaries' paths, one a line (progress goes to stderr):
# first the build pinned to Pulumi's modules at the CLI's version (TypeScript, Python, Go), then the one pinned as
# pulumi-yaml pins them (YAML examples, .NET). Each is built in the cache, in a module this script writes (nothing
# fetched is kept in the repository), once per change of scripts/sdkgen; later runs print the cached binaries at once.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC_DIR="$SCRIPT_DIR/sdkgen"
# The versions ensure-pulumi.sh builds the CLI and the YAML language host with, read from it (declared once).
version_of() { sed -n "s/^$1=\"\([0-9.]*\)\"$/\1/p" "$SCRIPT_DIR/ensure-pulumi.sh"; }
PULUMI_VERSION="$(version_of PULUMI_VERSION)"
YAML_HOST_VERSION="$(version_of YAML_HOST_VERSION)"
[ -n "$PULUMI_VERSION" ] && [ -n "$YAML_HOST_VERSION" ] || { echo "ensure-sdkgen: no versions in ensure-pulumi.sh" >&2; exit 1; }
SRC_SUM="$(cat "$SRC_DIR"/*.go | sha256sum | cut -d' ' -f1)"
CACHE_DIR="${PULUMI_POSTMARK_CACHE:-$HOME/.cache/pulumi-postmark}/sdkgen"

log() { echo "ensure-sdkgen: $*" >&2; }

# build NAME TAGS MODULE@VERSION...: the generator built with those modules, in $CACHE_DIR/NAME; prints its path.
build() {
  local name="$1" tags="$2" dir="$CACHE_DIR/$1"
  shift 2
  if [ -x "$dir/sdkgen" ] && [ "$(cat "$dir/.source.sha256" 2>/dev/null)" = "$SRC_SUM" ]; then
    echo "$dir/sdkgen"
    return
  fi
  command -v go >/dev/null || { log "Go is required to build the SDK generator (none on PATH)"; exit 1; }
  log "building scripts/sdkgen with $* into $dir (a minute or two; more on a cold module cache)"
  mkdir -p "$dir"
  rm -f "$dir"/*.go "$dir/go.sum"
  cp "$SRC_DIR"/*.go "$dir/"
  printf 'module pulumi-postmark/sdkgen\n\ngo 1.24\n' >"$dir/go.mod"
  (
    cd "$dir"
    export GOFLAGS="-mod=mod"
    go get "$@" >&2
    # Pulumi's pkg and sdk modules at one version, the one asked for (a bare requirement would let Go upgrade them).
    pkg="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
    sdk="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)"
    [ "$pkg" = "$sdk" ] || { log "pkg/v3 resolved to $pkg but sdk/v3 to $sdk"; exit 1; }
    for wanted in "$@"; do
      got="$(go list -m -f '{{.Version}}' "${wanted%@*}")"
      [ "$got" = "${wanted#*@}" ] || { log "${wanted%@*} resolved to $got, not ${wanted#*@}"; exit 1; }
    done
    CGO_ENABLED=0 go build -trimpath -tags "$tags" -o sdkgen.tmp . >&2
    mv sdkgen.tmp sdkgen
  )
  echo "$SRC_SUM" >"$dir/.source.sha256"
  echo "$dir/sdkgen"
}

# Each with the flags its twin in ensure-pulumi.sh is built with (the CLI's tags; pulumi-language-yaml's none), so that Go
# takes the packages the CLI's build compiled from its build cache instead of compiling them again.
build "pkg-v$PULUMI_VERSION" osusergo,grpcnotrace "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
# pulumi-yaml's own requirements choose Pulumi's modules here (v3.206.0 for v1.25.0), as when its host is built.
build "pulumi-yaml-v$YAML_HOST_VERSION" yamlpins "github.com/pulumi/pulumi-yaml@v$YAML_HOST_VERSION"
