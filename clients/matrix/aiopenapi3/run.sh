#!/usr/bin/env bash
# aiopenapi3: no code generated; main.py loads $CONTRACT at run time. Its runtime (requirements.txt, pinned with
# hashes) in a venv of its own, mypy --strict main.py (the project's mypy), main.py run against $ZOMRO_MOCK_URL.
# Run from the repo root by the matrix driver (clients/matrix/run.py) with ROOT, CONTRACT, MATRIX_OUT, FIXTURES
# and ZOMRO_MOCK_URL set.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
UV=$ROOT/.cache/bootstrap/bin/uv  # the project's uv (tools/uv-requirements.txt), which `make setup` installs

python3 -m venv --without-pip "$MATRIX_OUT/venv"
UV_PYTHON_DOWNLOADS=never "$UV" pip install --quiet --python "$MATRIX_OUT/venv/bin/python" --require-hashes -r "$HERE/requirements.txt"
echo "ok: venv with $("$MATRIX_OUT/venv/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("aiopenapi3", "httpx2", "yarl", "pydantic")))')"
cp "$HERE/main.py" "$MATRIX_OUT/main.py"
# mypy --strict on the program, against the venv's packages. aiopenapi3 0.11.0 ships no py.typed marker (its
# classifiers say "Typing :: Typed"): --follow-untyped-imports reads its annotated source all the same (the
# plugin classes, OpenAPI, createRequest), and --follow-imports=silent keeps its own errors out of the report.
# The models aiopenapi3 builds from the contract exist only at run time: the program reads them as Any.
"$ROOT/.venv/bin/python" -m mypy --strict --follow-untyped-imports --follow-imports=silent \
  --python-executable "$MATRIX_OUT/venv/bin/python" --cache-dir "$MATRIX_OUT/mypy-cache" "$MATRIX_OUT/main.py"
echo "ok: mypy --strict main.py ($("$ROOT/.venv/bin/python" -m mypy --version | cut -d' ' -f1-2))"
CONTRACT=$CONTRACT FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL "$MATRIX_OUT/venv/bin/python" "$MATRIX_OUT/main.py"
