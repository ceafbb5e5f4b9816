#!/usr/bin/env bash
# openapi-python-client, as `make generate` runs it (generator/generate.py: the config and templates), then the program.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="$ROOT/.venv/bin/python"
"$python" "$ROOT/generator/generate.py" "$MATRIX_OUT/client" "$CONTRACT"
echo "generated into $MATRIX_OUT/client"
MYPYPATH="$MATRIX_OUT/client" "$python" -m mypy --strict --no-incremental --cache-dir=/dev/null "$here/check.py"
PYTHONPATH="$MATRIX_OUT/client" "$python" "$here/check.py"
