#!/usr/bin/env bash
# Render the reference into self-contained HTML pages: `docs/build.sh OUTDIR`.
# OUTDIR/index.html is openapi.yaml, OUTDIR/control-api.html the mock's control API; each with its
# code samples (docs/pages.yaml, samples/) and images (docs/lifecycle.svg) put in by docs/bundle.py.
# Used by `make docs` and by the test that keeps docs/ in step with its sources.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
bundles="$(mktemp -d "${TMPDIR:-/tmp}/zomro-docs-XXXXXX")"
trap 'rm -rf "$bundles"' EXIT
mkdir -p "$out"
"$root/.venv/bin/python" "$root/docs/bundle.py" "$bundles" > "$bundles/pages.tsv"
while IFS=$'\t' read -r page title; do
  # --inlineBundle: Redoc's script goes into the page, not fetched from a CDN; the template's
  # Content-Security-Policy stops the rest (Redoc's logo and telemetry) from leaving the machine.
  log=$("$root/node_modules/.bin/redocly" build-docs "$bundles/$page.json" \
    --inlineBundle \
    --template "$root/docs/template.hbs" \
    --openapi "$bundles/$page.options.json" \
    --title "$title" \
    --output "$out/$page.html" 2>&1) || {
    echo "$log" >&2
    echo "redocly build-docs failed for $page (above)" >&2
    exit 1
  }
done < "$bundles/pages.tsv"
