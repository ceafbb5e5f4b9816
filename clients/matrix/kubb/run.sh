#!/usr/bin/env bash
# Generator matrix: Kubb 4 (@kubb/plugin-client with its fetch client). Run from the repo root by the driver
# with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL; see setup.json.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Kubb's CLI posts anonymous usage data to otlp.kubb.dev unless told not to (its documented switch; DO_NOT_TRACK
# works too). Its check for a newer release, a GET of registry.npmjs.org/@kubb/cli/latest, has no switch.
export KUBB_DISABLE_TELEMETRY=1
npm_ci tsconfig.json main.ts kubb.config.ts
cd "$MATRIX_OUT"
node_modules/.bin/kubb generate --config kubb.config.ts
node_modules/.bin/tsc -p tsconfig.json
node js/main.js
