"""docs/ is exactly what `make docs` makes: the pages from the contracts and samples, the lifecycle from the world's table."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from zomro_testkit import scripts

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["index.html", "control-api.html"]
# One worker for the module: the pages are rendered once (Redocly, seconds a page), not once per worker.
pytestmark = pytest.mark.xdist_group("docs_drift")


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
    # `make docs` runs the script; its main() here, without a Python of its own to start.
    assert scripts.load(ROOT / "docs" / "lifecycle.py", "docs_lifecycle").main([str(fresh)]) == 0
    assert fresh.read_bytes() == (ROOT / "docs" / "lifecycle.svg").read_bytes(), (
        "docs/lifecycle.svg has drifted from zomro_mock.world.LIFECYCLE: run `make docs` and commit it"
    )
