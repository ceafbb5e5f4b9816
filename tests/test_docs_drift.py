"""docs/index.html is exactly what `make docs` renders from openapi.yaml."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_committed_reference_matches_a_fresh_render(tmp_path: Path) -> None:
    fresh = tmp_path / "index.html"
    subprocess.run([str(ROOT / "docs" / "build.sh"), str(fresh)], check=True, timeout=120)
    assert fresh.read_bytes() == (ROOT / "docs" / "index.html").read_bytes(), (
        "docs/index.html has drifted from openapi.yaml: run `make docs` and commit it"
    )
