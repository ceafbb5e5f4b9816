#!/usr/bin/env bash
# OpenAPI Generator php: generate from $CONTRACT, `php -l` every generated file, run main.php against $ZOMRO_MOCK_URL
# with Debian's PHP and Guzzle (packagist is out of reach). Run from the repo root by the matrix driver (issue 15)
# with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL set.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${ROOT:?}" "${MATRIX_OUT:?}" "${FIXTURES:?}" "${ZOMRO_MOCK_URL:?}"
CONTRACT=${CONTRACT:-$ROOT/openapi.yaml}
GENERATOR=$ROOT/.venv/bin/openapi-generator-cli  # the PyPI package openapi-generator-cli==7.26.0 (uv.lock)
# Debian 12: PHP 8.2, Guzzle 7.4.5, PSR-7 2.4.5; curl and mbstring are the extensions the generated composer.json asks for.
DEBS=(php-cli php-curl php-mbstring php-guzzlehttp-guzzle php-guzzlehttp-psr7)

# Every WARN/ERROR line the generator prints must be one of these (as clients/generate_others.py does), with why:
# - every OpenAPI 3.1 document gets the "beta" notice;
# - an inline oneOf/anyOf (a one-or-many list, the success/error choice) has no $ref to take a name from:
#   ModelUtils logs it and the model is named after its property.
KNOWN='OpenAPI 3\.1 support is still in beta|ModelUtils - Failed to get the schema name: null'

generate() {  # generate GENERATOR_NAME OUTPUT [options...]
  local log=$MATRIX_OUT/generate.log
  "$GENERATOR" generate -i "$CONTRACT" -g "$1" -o "$2" "${@:3}" >"$log" 2>&1 ||
    { cat "$log" >&2; echo "FAIL: openapi-generator $1 failed" >&2; exit 1; }
  if grep -E ' WARN |ERROR' "$log" | grep -vE "$KNOWN" >&2; then
    echo "FAIL: openapi-generator $1 printed the unexpected warnings above" >&2; exit 1
  fi
  echo "ok: generated $1 ($("$GENERATOR" version)) into ${2#"$ROOT"/}"
}

installed() { dpkg-query -W -f='${Status}\n' "${DEBS[@]}" 2>/dev/null | grep -c '^install ok installed$' | grep -qx "${#DEBS[@]}"; }
if ! installed; then
  echo "installing Debian's ${DEBS[*]}"
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${DEBS[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${DEBS[@]}" >/dev/null; }
fi
echo "ok: $(php -r 'echo "PHP ", PHP_VERSION;'), Guzzle $(dpkg-query -W -f='${Version}' php-guzzlehttp-guzzle)"

generate php "$MATRIX_OUT/client"
# php -l on every generated file (lib/, test/, the php-cs-fixer config), two at a time.
find "$MATRIX_OUT/client" -name '*.php' -print0 | xargs -0 -n 1 -P 2 php -l >"$MATRIX_OUT/php-lint.log" 2>&1 ||
  { grep -v '^No syntax errors detected' "$MATRIX_OUT/php-lint.log" >&2; echo "FAIL: php -l" >&2; exit 1; }
echo "ok: php -l on $(grep -c '^No syntax errors detected' "$MATRIX_OUT/php-lint.log") generated files"
cp "$HERE/main.php" "$MATRIX_OUT/main.php"
php -l "$MATRIX_OUT/main.php" >/dev/null
FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL php "$MATRIX_OUT/main.php"
