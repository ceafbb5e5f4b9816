#!/usr/bin/env bash
# Generator matrix: openapi-zod-client (zod schemas and a zodios client on axios). Run from the repo
# root by the driver with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL; see setup.json.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

npm_ci tsconfig.json main.ts
cd "$MATRIX_OUT"
mkdir -p client
node_modules/.bin/openapi-zod-client "$CONTRACT" --output client/api.ts --export-schemas
node_modules/.bin/tsc -p tsconfig.json
node js/main.js
