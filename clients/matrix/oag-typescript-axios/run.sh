#!/usr/bin/env bash
# OpenAPI Generator typescript-axios: generate from $CONTRACT, tsc --strict, run main.ts against $ZOMRO_MOCK_URL.
# Run from the repo root by the matrix driver (clients/matrix/run.py, issue 15) with ROOT, CONTRACT,
# MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL set.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${ROOT:?}" "${MATRIX_OUT:?}" "${FIXTURES:?}" "${ZOMRO_MOCK_URL:?}"
CONTRACT=${CONTRACT:-$ROOT/openapi.yaml}
GENERATOR=$ROOT/.venv/bin/openapi-generator-cli  # the PyPI package openapi-generator-cli==7.26.0 (uv.lock)
TSC=$ROOT/node_modules/.bin/tsc                   # typescript 5.9.3 (the repo's package-lock.json)

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

[[ $("$TSC" --version) == "Version 5.9.3" ]] || { echo "FAIL: want TypeScript 5.9.3 in $TSC (make setup)" >&2; exit 1; }
generate typescript-axios "$MATRIX_OUT/client"
# axios, pinned with its dependencies in package.json + package-lock.json, installed beside the generated client.
cp "$HERE/package.json" "$HERE/package-lock.json" "$MATRIX_OUT/"
npm ci --prefix "$MATRIX_OUT" --no-audit --no-fund --loglevel=error
echo "ok: npm ci (axios $(node -p "require('$MATRIX_OUT/node_modules/axios/package.json').version"))"
cp "$HERE/main.ts" "$MATRIX_OUT/main.ts"
# The generated client and the program together, strict (no tsconfig: every option is here).
"$TSC" --strict --noEmitOnError --target es2022 --module commonjs --moduleResolution node10 \
  --lib es2022,dom --types node --typeRoots "$ROOT/node_modules/@types" \
  --rootDir "$MATRIX_OUT" --outDir "$MATRIX_OUT/js" "$MATRIX_OUT/main.ts"
echo "ok: tsc --strict on the generated client and main.ts"
FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL node "$MATRIX_OUT/js/main.js"
