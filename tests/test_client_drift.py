"""generated/python is exactly what the pinned generator makes from openapi.yaml."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.generate import ROOT, generate

COMMITTED = ROOT / "generated" / "python"


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_committed_client_matches_a_fresh_generation(tmp_path: Path) -> None:
    fresh = tmp_path / "python"
    generate(fresh)
    expected, actual = _files(fresh), _files(COMMITTED)
    diff = []
    for name in sorted(expected.keys() | actual.keys()):
        old = actual.get(name, b"").decode(errors="replace").splitlines(keepends=True)
        new = expected.get(name, b"").decode(errors="replace").splitlines(keepends=True)
        diff += difflib.unified_diff(old, new, f"committed/{name}", f"generated/{name}")
    assert not diff, "generated/python has drifted from openapi.yaml; run `make generate` and commit:\n" + "".join(diff)
