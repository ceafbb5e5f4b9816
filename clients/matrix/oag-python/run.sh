#!/usr/bin/env bash
# OpenAPI Generator python: generate from $CONTRACT, install its runtime (requirements.txt, pinned with hashes) in
# a venv of its own, mypy --strict main.py (the project's mypy), run main.py against $ZOMRO_MOCK_URL.
# Run from the repo root by the matrix driver (clients/matrix/run.py, issue 15) with ROOT, CONTRACT,
# MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL set.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
UV=$ROOT/.cache/bootstrap/bin/uv  # the project's uv (tools/uv-requirements.txt), which `make setup` installs

oag_generate python "$MATRIX_OUT/client"
# The client's runtime in a venv of its own (the machine's python3, as the project's), every package pinned with
# its hash. The generated package is used from its folder (PYTHONPATH): installing it would build it with an
# unpinned setuptools.
python3 -m venv --without-pip "$MATRIX_OUT/venv"
UV_PYTHON_DOWNLOADS=never "$UV" pip install --quiet --python "$MATRIX_OUT/venv/bin/python" --require-hashes -r "$HERE/requirements.txt"
echo "ok: venv with $("$MATRIX_OUT/venv/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("pydantic", "urllib3", "python-dateutil", "typing-extensions")))')"
cp "$HERE/main.py" "$MATRIX_OUT/main.py"
# mypy --strict on the program, against the generated package and the venv's pydantic. The generated package
# itself is followed but its own errors are not reported: it is not written for --strict (about 140 errors,
# untyped helpers in api_client.py and the models' from_dict/to_dict).
MYPYPATH=$MATRIX_OUT/client "$ROOT/.venv/bin/python" -m mypy --strict --follow-imports=silent \
  --python-executable "$MATRIX_OUT/venv/bin/python" --cache-dir "$MATRIX_OUT/mypy-cache" "$MATRIX_OUT/main.py"
echo "ok: mypy --strict main.py ($("$ROOT/.venv/bin/python" -m mypy --version | cut -d' ' -f1-2))"
FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL PYTHONPATH=$MATRIX_OUT/client "$MATRIX_OUT/venv/bin/python" "$MATRIX_OUT/main.py"
