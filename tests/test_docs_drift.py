"""docs/ is exactly what `make docs` makes: the pages from the contracts and samples, the lifecycle from the world's table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["index.html", "control-api.html"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    subprocess.run([str(ROOT / "docs" / "build.sh"), str(folder)], check=True, timeout=180)
    return folder


@pytest.mark.parametrize("page", PAGES)
def test_committed_reference_matches_a_fresh_render(fresh: Path, page: str) -> None:
    assert (fresh / page).read_bytes() == (ROOT / "docs" / page).read_bytes(), (
        f"docs/{page} has drifted from its contract, its samples or docs/lifecycle.svg: run `make docs` and commit it"
    )


def test_committed_lifecycle_is_drawn_from_the_worlds_table(tmp_path: Path) -> None:
    fresh = tmp_path / "lifecycle.svg"
    subprocess.run([sys.executable, str(ROOT / "docs" / "lifecycle.py"), str(fresh)], check=True, timeout=60)
    assert fresh.read_bytes() == (ROOT / "docs" / "lifecycle.svg").read_bytes(), (
        "docs/lifecycle.svg has drifted from zomro_mock.world.LIFECYCLE: run `make docs` and commit it"
    )
