#!/usr/bin/env bash
# oag-go: OpenAPI Generator's `go` client, built with Debian's Go 1.19 in GOPATH mode (its one dependency,
# gopkg.in/validator.v2, is Debian's golang-gopkg-validator.v2-dev: no module download), vetted, and
# main.go run against the mock. As generated: no option beyond the package's name.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DEBS=(golang-go golang-gopkg-validator.v2-dev)
step "Debian packages"
debs "${DEBS[@]}"

export GOPATH="$MATRIX_OUT/gopath:/usr/share/gocode" GO111MODULE=off GOFLAGS='' GOCACHE="$MATRIX_OUT/gocache"
SRC="$MATRIX_OUT/gopath/src"

step "generate (OpenAPI Generator, go)"
oag_generate go "$SRC/zomrorescue" \
  --additional-properties=packageName=zomrorescue,isGoSubmodule=false,withGoMod=true

step "go build and vet the generated client ($(go version | cut -d' ' -f3))"
(cd "$SRC/zomrorescue" && go build . && go vet .)

step "gofmt, go vet and build main.go"
mkdir -p "$SRC/zomrocheck"
cp "$HERE/main.go" "$SRC/zomrocheck/"
unformatted="$(gofmt -l "$SRC/zomrocheck")"
[ -z "$unformatted" ] || { echo "FAIL: gofmt would change $unformatted" >&2; exit 1; }
(cd "$SRC/zomrocheck" && go vet . && go build -o "$MATRIX_OUT/go-check" .)

step "run against $ZOMRO_MOCK_URL"
FIXTURES="$FIXTURES" ZOMRO_MOCK_URL="$ZOMRO_MOCK_URL" "$MATRIX_OUT/go-check"
step "done"
