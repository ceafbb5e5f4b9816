# shellcheck shell=bash
# What the set-ups' run.sh share, sourced first thing by each (after `set -euo pipefail`):
#   source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# The driver (clients/matrix/run.py) runs a run.sh from the repo root with ROOT, CONTRACT, MATRIX_OUT, FIXTURES
# and ZOMRO_MOCK_URL set; clients/matrix/README.md says what a set-up must do.

# The four variables every set-up needs, checked here so a hand run without one stops at once with its name.
: "${ROOT:?}" "${MATRIX_OUT:?}" "${FIXTURES:?}" "${ZOMRO_MOCK_URL:?}"
# The contract, exported: some generators' configs read it from the environment (orval.config.cjs).
export CONTRACT="${CONTRACT:-$ROOT/openapi.yaml}"
# The set-up's own folder (the run.sh that sourced this), for its program, package.json and templates.
HERE="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
# The PyPI package openapi-generator-cli==7.26.0 (uv.lock), which `make setup` installs: OpenAPI Generator's set-ups.
GENERATOR="$ROOT/.venv/bin/openapi-generator-cli"

# Every WARN/ERROR line OpenAPI Generator prints must match one of these extended regexps, each followed by its
# reason; any other line fails the set-up, so a contract change that a generator reads badly shows in the matrix.
OAG_KNOWN_WARNINGS=(
  'OpenAPI 3\.1 support is still in beta'
  "the generator prints it for every OpenAPI 3.1 document, and 3.1 is the contract's version (the issue asks for it)"
  'ModelUtils - Failed to get the schema name: null'
  "an inline oneOf/anyOf (a one-or-many list, the success/error choice) has no \$ref to take a name from: the model is named after its property"
  'func \(reserved word\) cannot be used as parameter name\. Renamed to func_'
  "\`func\` is the wire's own field name, fixed by the API; Go's generator renames its parameter to func_"
  'AbstractRustCodegen - __[a-z]* cannot be used as a field/variable name\. Renamed to dollar'
  "BILLmanager's keys start with a dollar sign (\$, \$type, \$name...), which no Rust name can; Rust's generator names the fields dollar_*, and serde keeps the wire's key"
  'AbstractRustCodegen - ApplicationJson cannot be used as a model name\. Renamed to ApplicationSlashJson'
  "Rust's generator reserves the name it derives from the media type application/json; no schema of the contract has it"
)

# A step's name and the seconds since the start, so a slow step shows in the driver's log.
step() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }

# debs [APT-OPTION...] PACKAGE...: install the Debian packages not yet installed (options, such as
# --no-install-recommends, go to apt-get). Debian's are the only system packages in reach
# (no Maven Central, rubygems, packagist, proxy.golang.org). Other set-ups may be installing at the same time: wait
# for dpkg's lock rather than fail; the package lists may be stale or absent: `apt-get update` once, then retry
# (as the Makefile did for regen-others).
debs() {
  local deb options=() missing=()
  while [[ "${1:-}" == -* ]]; do options+=("$1"); shift; done
  for deb in "$@"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$deb")
  done
  ((${#missing[@]})) || return 0
  echo "installing Debian's ${missing[*]}"
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${options[@]}" "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${options[@]}" "${missing[@]}" >/dev/null; }
}

# oag_generate GENERATOR_NAME OUTPUT [options...]: OpenAPI Generator's `generate` from $CONTRACT. Its log goes to
# $MATRIX_OUT/generate.log (it is long); shown whole when it fails, and its WARN/ERROR lines that are not known
# (OAG_KNOWN_WARNINGS) fail the set-up: a generator that "succeeds" with a new warning often wrote a wrong model.
oag_generate() {
  local log="$MATRIX_OUT/generate.log" known="" i
  "$GENERATOR" generate -i "$CONTRACT" -g "$1" -o "$2" "${@:3}" >"$log" 2>&1 ||
    { cat "$log" >&2; echo "FAIL: openapi-generator $1 failed" >&2; exit 1; }
  for ((i = 0; i < ${#OAG_KNOWN_WARNINGS[@]}; i += 2)); do known+="${known:+|}${OAG_KNOWN_WARNINGS[i]}"; done
  if grep -E ' WARN |ERROR' "$log" | grep -vE "$known" >&2; then
    echo "FAIL: openapi-generator $1 printed the unexpected warnings above (known ones: OAG_KNOWN_WARNINGS in ${BASH_SOURCE[0]#"$ROOT"/})" >&2
    exit 1
  fi
  echo "ok: generated $1 ($("$GENERATOR" version)) into ${2#"$ROOT"/}"
  oag_known_seen "$log"
}

# oag_known_seen LOG: each known warning the log holds, how many times, and why it is harmless, so the driver's
# log says why the warnings it shows were let through.
oag_known_seen() {
  local i count
  for ((i = 0; i < ${#OAG_KNOWN_WARNINGS[@]}; i += 2)); do
    count="$(grep -E ' WARN |ERROR' "$1" | grep -cE "${OAG_KNOWN_WARNINGS[i]}" || true)"
    ((count == 0)) || echo "   known warning x$count, ${OAG_KNOWN_WARNINGS[i]//\\/}: ${OAG_KNOWN_WARNINGS[i + 1]}"
  done
}

# npm_ci [FILE...]: the set-up's package.json + package-lock.json (and FILEs, e.g. tsconfig.json and the program)
# copied into $MATRIX_OUT, then `npm ci` there: exact versions from the lock file, node_modules kept out of the
# repo and away from the other set-ups'.
npm_ci() {
  local file
  for file in package.json package-lock.json "$@"; do cp "$HERE/$file" "$MATRIX_OUT/"; done
  npm ci --prefix "$MATRIX_OUT" --no-audit --no-fund --loglevel=error
}
