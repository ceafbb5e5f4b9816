#!/usr/bin/env bash
# openapi-core, the request/response validator: a venv of its own (requirements.txt, pinned with hashes), mypy --strict
# main.py (the project's mypy), then main.py: the four calls validated against $CONTRACT before and after they go to
# $ZOMRO_MOCK_URL, wrong requests and answers that must be refused, and the exchanges of the set-ups run before this one
# ($MATRIX_RECORDED, when the driver gives it: setup.json's "validates": "recorded").
# Run from the repo root by the matrix driver (clients/matrix/run.py) with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and
# ZOMRO_MOCK_URL set.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
UV=$ROOT/.cache/bootstrap/bin/uv  # the project's uv (tools/uv-requirements.txt), which `make setup` installs

step "venv"
python3 -m venv --without-pip "$MATRIX_OUT/venv"
UV_PYTHON_DOWNLOADS=never "$UV" pip install --quiet --python "$MATRIX_OUT/venv/bin/python" --require-hashes -r "$HERE/requirements.txt"
echo "ok: venv with $("$MATRIX_OUT/venv/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("openapi-core", "openapi-spec-validator", "jsonschema", "httpx")))')"
cp "$HERE/main.py" "$MATRIX_OUT/main.py"
# zomro_contract (the catalogue that picks an operation from `func`/`sok`) is used from the repo, as the mock uses it.
step "mypy --strict"
MYPYPATH=$ROOT/contract "$ROOT/.venv/bin/python" -m mypy --strict --follow-imports=silent \
  --python-executable "$MATRIX_OUT/venv/bin/python" --cache-dir "$MATRIX_OUT/mypy-cache" "$MATRIX_OUT/main.py"
echo "ok: mypy --strict main.py ($("$ROOT/.venv/bin/python" -m mypy --version | cut -d' ' -f1-2))"
step "main.py"
PYTHONPATH=$ROOT/contract "$MATRIX_OUT/venv/bin/python" "$MATRIX_OUT/main.py"
