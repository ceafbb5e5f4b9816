"""Generate the Python client from openapi.yaml: `python generator/generate.py OUTPUT_DIR`.

The one way the client is generated, used by `make generate` and by the drift
test, so that both run the same generator, config, templates and formatter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_DIR = ROOT / "generator"


def generate(output: Path) -> None:
    bin_dir = Path(sys.executable).parent
    # The post-hooks run `ruff` from PATH: put the pinned one of this environment first.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "RUFF_NO_CACHE": "true"}
    command = [
        str(bin_dir / "openapi-python-client"),
        "generate",
        "--path", str(ROOT / "openapi.yaml"),
        "--config", str(GENERATOR_DIR / "config.yaml"),
        "--custom-template-path", str(GENERATOR_DIR / "templates"),
        "--meta", "uv",
        "--output-path", str(output),
        "--overwrite",
        "--fail-on-warning",
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"openapi-python-client failed:\n{result.stdout}{result.stderr}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python generator/generate.py OUTPUT_DIR")
    generate(Path(sys.argv[1]).resolve())
