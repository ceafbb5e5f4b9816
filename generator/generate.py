"""Generate the Python client from openapi.yaml: `python generator/generate.py OUTPUT_DIR [CONTRACT]`.

The one way the client is generated, used by `make generate` and by the drift
test, so that both run the same generator, config, templates and formatter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from zomro_contract.operations import secret_refs

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_DIR = ROOT / "generator"


CONTRACT = ROOT / "openapi.yaml"


def templates(into: Path, contract: Path = CONTRACT) -> Path:
    """The custom templates, with secrets.jinja written from the contract."""
    shutil.copytree(GENERATOR_DIR / "templates", into, dirs_exist_ok=True)
    spec = yaml.safe_load(contract.read_text(encoding="utf-8"))
    # model.py.jinja keeps fields that point to a secret schema out of a model's repr; it sees inline
    # schemas itself, but cannot follow a `$ref`.
    (into / "secrets.jinja").write_text(f"{{% set refs = {json.dumps(secret_refs(spec))} %}}\n", encoding="utf-8")
    return into


def generate(output: Path, contract: Path = CONTRACT) -> None:
    with tempfile.TemporaryDirectory(prefix="zomro-templates-") as folder:
        _generate(output, templates(Path(folder), contract), contract)


def _generate(output: Path, template_dir: Path, contract: Path) -> None:
    bin_dir = Path(sys.executable).parent
    # The post-hooks run `ruff` from PATH: put the pinned one of this environment first.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "RUFF_NO_CACHE": "true"}
    command = [
        str(bin_dir / "openapi-python-client"),
        "generate",
        "--path", str(contract),
        "--config", str(GENERATOR_DIR / "config.yaml"),
        "--custom-template-path", str(template_dir),
        "--meta", "uv",
        "--output-path", str(output),
        "--overwrite",
        "--fail-on-warning",
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"openapi-python-client failed:\n{result.stdout}{result.stderr}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit("usage: python generator/generate.py OUTPUT_DIR [CONTRACT]")
    generate(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve() if len(sys.argv) == 3 else CONTRACT)
