#!/usr/bin/env bash
# Generator matrix: openapi-typescript (types) + openapi-fetch (client). Run from the repo root by the
# driver with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL; see setup.json.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

npm_ci tsconfig.json main.ts
cd "$MATRIX_OUT"
node_modules/.bin/openapi-typescript "$CONTRACT" --output client/schema.d.ts --silent
node_modules/.bin/tsc -p tsconfig.json
node js/main.js
