"""`make lint`'s Redocly CLI (tools/redocly.mjs): the pinned CLI, without the box it prints on every run under Node.js 20,
and with everything else it says and its exit status."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOX = "Node.js 20 support is ending"
ENV = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}


def _lint(command: list[str], document: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command, "lint", "--format=stylish", str(document)], cwd=ROOT, env=ENV, capture_output=True, text=True)


def test_the_node_20_box_is_left_out_and_the_rest_is_said(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: {}\n")  # no info: an error
    wrapped = _lint(["node", "tools/redocly.mjs"], broken)
    said = wrapped.stdout + wrapped.stderr
    assert wrapped.returncode == 1 and "info" in said and "Validation failed" in said, said
    assert BOX not in said
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    if node.startswith("v20."):  # the CLI itself still prints the box the wrapper looks for (a new wording would show here)
        raw = _lint([str(ROOT / "node_modules" / ".bin" / "redocly")], broken)
        assert raw.returncode == 1 and BOX in raw.stdout + raw.stderr
