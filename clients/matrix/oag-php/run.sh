#!/usr/bin/env bash
# OpenAPI Generator php: generate from $CONTRACT, `php -l` every generated file, run main.php against $ZOMRO_MOCK_URL
# with Debian's PHP and Guzzle (packagist is out of reach). Run from the repo root by the matrix driver (issue 15)
# with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL set.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# Debian 12: PHP 8.2, Guzzle 7.4.5, PSR-7 2.4.5; curl and mbstring are the extensions the generated composer.json asks for.
DEBS=(php-cli php-curl php-mbstring php-guzzlehttp-guzzle php-guzzlehttp-psr7)

debs "${DEBS[@]}"
echo "ok: $(php -r 'echo "PHP ", PHP_VERSION;'), Guzzle $(dpkg-query -W -f='${Version}' php-guzzlehttp-guzzle)"

oag_generate php "$MATRIX_OUT/client"
# php -l on every generated file (lib/, test/, the php-cs-fixer config), two at a time.
find "$MATRIX_OUT/client" -name '*.php' -print0 | xargs -0 -n 1 -P 2 php -l >"$MATRIX_OUT/php-lint.log" 2>&1 ||
  { grep -v '^No syntax errors detected' "$MATRIX_OUT/php-lint.log" >&2; echo "FAIL: php -l" >&2; exit 1; }
echo "ok: php -l on $(grep -c '^No syntax errors detected' "$MATRIX_OUT/php-lint.log") generated files"
cp "$HERE/main.php" "$MATRIX_OUT/main.php"
php -l "$MATRIX_OUT/main.php" >/dev/null
FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL php "$MATRIX_OUT/main.php"
