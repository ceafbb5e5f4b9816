#!/usr/bin/env bash
# OpenAPI Generator typescript-axios: generate from $CONTRACT, tsc --strict, run main.ts against $ZOMRO_MOCK_URL.
# Run from the repo root by the matrix driver (clients/matrix/run.py, issue 15) with ROOT, CONTRACT,
# MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL set.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
TSC=$ROOT/node_modules/.bin/tsc  # typescript 5.9.3 (the repo's package-lock.json)

[[ $("$TSC" --version) == "Version 5.9.3" ]] || { echo "FAIL: want TypeScript 5.9.3 in $TSC (make setup)" >&2; exit 1; }
oag_generate typescript-axios "$MATRIX_OUT/client"
# axios, pinned with its dependencies in package.json + package-lock.json, installed beside the generated client
# and the program.
npm_ci main.ts
echo "ok: npm ci (axios $(node -p "require('$MATRIX_OUT/node_modules/axios/package.json').version"))"
# The generated client and the program together, strict (no tsconfig: every option is here).
"$TSC" --strict --noEmitOnError --target es2022 --module commonjs --moduleResolution node10 \
  --lib es2022,dom --types node --typeRoots "$ROOT/node_modules/@types" \
  --rootDir "$MATRIX_OUT" --outDir "$MATRIX_OUT/js" "$MATRIX_OUT/main.ts"
echo "ok: tsc --strict on the generated client and main.ts"
FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL node "$MATRIX_OUT/js/main.js"
