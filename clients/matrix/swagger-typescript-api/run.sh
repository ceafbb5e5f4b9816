#!/usr/bin/env bash
# Generator matrix: swagger-typescript-api (its fetch HttpClient). Run from the repo root by the driver
# with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL; see setup.json.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONTRACT="${CONTRACT:-$ROOT/openapi.yaml}"
: "${MATRIX_OUT:?}" "${FIXTURES:?}" "${ZOMRO_MOCK_URL:?}"

cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/tsconfig.json" "$HERE/main.ts" "$MATRIX_OUT/"
npm ci --prefix "$MATRIX_OUT" --no-audit --no-fund --loglevel=error
cd "$MATRIX_OUT"
NO_COLOR=1 node_modules/.bin/swagger-typescript-api generate --path "$CONTRACT" --output client --name api.ts --silent
node_modules/.bin/tsc -p tsconfig.json
node js/main.js
