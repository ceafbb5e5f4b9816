#!/usr/bin/env bash
# openapi-python-client, as `make generate` runs it (generator/generate.py: the config and templates), then the program.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
python="$ROOT/.venv/bin/python"
"$python" "$ROOT/generator/generate.py" "$MATRIX_OUT/client" "$CONTRACT"
echo "generated into $MATRIX_OUT/client"
MYPYPATH="$MATRIX_OUT/client" "$python" -m mypy --strict --no-incremental --cache-dir=/dev/null "$HERE/check.py"
PYTHONPATH="$MATRIX_OUT/client" "$python" "$HERE/check.py"
