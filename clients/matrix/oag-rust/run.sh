#!/usr/bin/env bash
# oag-rust: OpenAPI Generator's `rust` client (library reqwest, async), built offline with Debian's packaged
# crates (reqwest 0.11.13, serde, url, uuid, tokio; the registry under /usr/share/cargo/registry, put in place
# of crates.io by a .cargo/config.toml under MATRIX_OUT), and check/ run against the mock.
#
# What a user copies (setup.json's workaround), -t templates:
# - Cargo.mustache: the generator asks for reqwest ^0.13, url ^2.5 and uuid ^1.8, which Debian 12 does not
#   have; this Cargo.toml names Debian's versions (the generated sources build with them).
# - reqwest/api.mustache: the generator's own, less the `models::` it puts before a parameter type that
#   already has it (`Option<models::models::Confirm>` does not compile: a form field that $refs an enum).
#   This script checks that it differs from the generator's by exactly that.
# - the four one-or-many schemas (`anyOf [X, array of X]`, which the generator flattens into a struct of X's
#   fields, so an array does not parse) mapped to serde_json::Value; the program reads each item as the
#   generated model. Rust's generator in 7.26.0 writes a $ref'd schema's type as `models::` + its model name,
#   which honours --model-name-mappings only (not --schema-mappings, --type-mappings or --import-mappings):
#   --schema-mappings drops the flattened model, --model-name-mappings names the type serde_json::Value, and
#   model_mod.mustache, the generator's own plus `pub(crate) use serde_json;`, makes `models::serde_json::Value` resolve.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
PYTHON="$ROOT/.venv/bin/python"

# Debian 12's crates, by package name. cargo is the machine's toolchain (1.95 here): Debian 12's own cargo
# (rustc 1.63) reads no version-4 Cargo.lock.
command -v cargo >/dev/null || { echo "FAIL: no cargo on PATH (the machine's Rust toolchain)" >&2; exit 1; }
step "Debian packages"
debs --no-install-recommends librust-reqwest-dev librust-serde-dev librust-serde-derive-dev librust-serde-json-dev \
  librust-serde-repr-dev librust-url-dev librust-uuid-dev librust-tokio-dev librust-tokio-macros-dev

step "templates: the generator's own, less or plus exactly the documented lines"
"$PYTHON" - "$HERE/templates" <<'PY'
import sys, zipfile
from pathlib import Path
import openapi_generator_cli
jar = zipfile.ZipFile(Path(openapi_generator_cli.__file__).with_name("openapi-generator.jar"))
ours = Path(sys.argv[1])
theirs = jar.read("rust/reqwest/api.mustache").decode()
prefixed = "{{^isString}}{{^isUuid}}{{^isPrimitiveType}}{{^isContainer}}models::{{/isContainer}}{{/isPrimitiveType}}{{{dataType}}}{{/isUuid}}{{/isString}}"
plain = "{{^isString}}{{^isUuid}}{{{dataType}}}{{/isUuid}}{{/isString}}"
if theirs.count(prefixed) != 2 or theirs.replace(prefixed, plain) != (ours / "reqwest/api.mustache").read_text():
    sys.exit("FAIL: templates/reqwest/api.mustache is no longer the generator's own less the `models::` prefix")
theirs = jar.read("rust/model_mod.mustache").decode()
added = (ours / "model_mod.mustache").read_text().removeprefix(theirs)
if [line for line in added.splitlines() if line.strip() and not line.startswith("//")] != ["pub(crate) use serde_json;"]:
    sys.exit("FAIL: templates/model_mod.mustache is no longer the generator's own plus `pub(crate) use serde_json;`")
PY

step "generate (OpenAPI Generator, rust --library reqwest)"
# The one-or-many schemas, by the names the generator gives them (an inline anyOf gets <Schema>_<property>).
mappings=""
for schema in SelectList_val ErrorDetail_param InstanceListDoc_elem Instance_createdate; do
  mappings+="${mappings:+,}$schema=serde_json::Value"
done
oag_generate rust "$MATRIX_OUT/client" -t "$HERE/templates" \
  --additional-properties=packageName=zomro-rescue \
  --schema-mappings "$mappings" --model-name-mappings "$mappings"

# crates.io is out of reach: Debian's registry takes its place, and cargo never goes online.
mkdir -p "$MATRIX_OUT/.cargo"
cat >"$MATRIX_OUT/.cargo/config.toml" <<'TOML'
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "/usr/share/cargo/registry"

[net]
offline = true
TOML
cp -r "$HERE/check" "$MATRIX_OUT/check"

# Warnings are errors in the generated crate and the program (cargo caps them for Debian's crates).
step "cargo build --locked ($(cargo --version))"
(cd "$MATRIX_OUT/check" && CARGO_HOME="$MATRIX_OUT/cargo-home" CARGO_TARGET_DIR="$MATRIX_OUT/target" RUSTFLAGS="-D warnings" \
  cargo build --locked --quiet)

step "run against $ZOMRO_MOCK_URL"
FIXTURES="$FIXTURES" ZOMRO_MOCK_URL="$ZOMRO_MOCK_URL" "$MATRIX_OUT/target/debug/zomro-rescue-check"
step "done"
