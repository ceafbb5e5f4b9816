#!/usr/bin/env bash
# datamodel-code-generator: pydantic models from the contract, and a few lines of httpx transport (check.py).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
venv="$MATRIX_OUT/venv"
"$ROOT/.cache/bootstrap/bin/uv" venv --quiet --python python3 "$venv"
VIRTUAL_ENV="$venv" "$ROOT/.cache/bootstrap/bin/uv" pip install --quiet --require-hashes -r "$HERE/requirements.txt"
mkdir -p "$MATRIX_OUT/models"
"$venv/bin/datamodel-codegen" --input "$CONTRACT" --input-file-type openapi \
  --output-model-type pydantic_v2.BaseModel --target-python-version 3.11 \
  --use-annotated --field-constraints --formatters builtin \
  --output "$MATRIX_OUT/models/zomro_models.py"
echo "generated $MATRIX_OUT/models/zomro_models.py"
# mypy --strict with the pydantic plugin, from the project's environment, over the generated models' venv.
MYPYPATH="$MATRIX_OUT/models" "$ROOT/.venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null \
  --python-executable "$venv/bin/python" "$HERE/check.py"
PYTHONPATH="$MATRIX_OUT/models" "$venv/bin/python" "$HERE/check.py"
