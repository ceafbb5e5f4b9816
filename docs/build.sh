#!/usr/bin/env bash
# Render openapi.yaml into one self-contained HTML page: `docs/build.sh OUTPUT.html`.
# Used by `make docs` and by the test that keeps docs/index.html in step with the contract.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
# --inlineBundle: Redoc's script goes into the page, not fetched from a CDN; the template's
# Content-Security-Policy stops the rest (Redoc's logo and telemetry) from leaving the machine.
log=$("$root/node_modules/.bin/redocly" build-docs "$root/openapi.yaml" \
  --inlineBundle \
  --template "$root/docs/template.hbs" \
  --openapi.disableTelemetry=true \
  --openapi.jsonSamplesExpandLevel=all \
  --title "Zomro Cloud VPS rescue API reference" \
  --output "$1" 2>&1) || {
  echo "$log" >&2
  echo "redocly build-docs failed (above)" >&2
  exit 1
}
