#!/usr/bin/env bash
# Generator matrix: swagger-typescript-api (its fetch HttpClient). Run from the repo root by the driver
# with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL; see setup.json.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

npm_ci tsconfig.json main.ts
cd "$MATRIX_OUT"
NO_COLOR=1 node_modules/.bin/swagger-typescript-api generate --path "$CONTRACT" --output client --name api.ts --silent
node_modules/.bin/tsc -p tsconfig.json
node js/main.js
