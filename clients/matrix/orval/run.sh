#!/usr/bin/env bash
# Generator matrix: orval 7 (its fetch client). Run from the repo root by the driver with ROOT,
# CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL; see setup.json.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTRACT="${CONTRACT:-$ROOT/openapi.yaml}"
: "${MATRIX_OUT:?}" "${FIXTURES:?}" "${ZOMRO_MOCK_URL:?}"

cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/tsconfig.json" "$HERE/main.ts" "$HERE/orval.config.cjs" "$MATRIX_OUT/"
npm ci --prefix "$MATRIX_OUT" --no-audit --no-fund --loglevel=error
cd "$MATRIX_OUT"
node_modules/.bin/orval --config orval.config.cjs
node_modules/.bin/tsc -p tsconfig.json
node js/main.js
