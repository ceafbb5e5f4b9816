"""The measured figures of the README and the guide are what their runs write (tools/figures.py), never typed by hand.

Each block between `<!-- figures NAME: begin ... -->` and its end is checked to be exactly what the
writer renders from what it reads back: its columns, its rows, and the line saying when, at which
commit and at what load it was measured. And a run writes into the README only when asked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import figures
from tools.mutation import summary

ROOT = Path(__file__).resolve().parent.parent
# The README and the guide's pages, where the blocks are.
DOCS = "\n".join(page.read_text(encoding="utf-8") for page in figures.documents())
IN_README = figures.blocks(DOCS)


def test_every_block_is_in_the_docs_once() -> None:
    names = [re.match(r"<!-- figures ([a-z-]+):", block).group(1) for block in IN_README]  # type: ignore[union-attr]
    assert sorted(names) == sorted(figures.BLOCKS)
    assert DOCS.count("<!-- figures ") == 2 * len(figures.BLOCKS), "a marker without its pair"


@pytest.mark.parametrize("text", IN_README, ids=lambda text: text.split(":")[0].removeprefix("<!-- figures "))
def test_a_block_is_what_its_writer_writes(text: str) -> None:
    block = figures.parse(text)
    assert block.render() == text, "edited by hand, or by an older writer: run its writer again"
    if block.measurement is None:
        assert all(row[-1] == "-" for row in block.rows), "figures with no measurement line"
    else:
        assert block.rows, "a measurement line with no figures"


def test_the_make_targets_table_names_every_target_of_the_makefile() -> None:
    (table,) = [figures.parse(text) for text in IN_README if "figures make-targets:" in text]
    named = {row[0].strip("`").removeprefix("make ") for row in table.rows}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):.*## ", makefile, flags=re.M)) - {"help"}
    assert named == targets


def _run_parts(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tools.run_parts", *args], capture_output=True, text=True, cwd=ROOT)


def test_run_parts_times_each_part_and_writes_nothing_unless_asked(tmp_path: Path) -> None:
    before = [page.read_bytes() for page in figures.documents()]
    name = f"test-run-{tmp_path.name}"
    try:
        done = _run_parts("--name", name, "quick=true", "failing=exit 3", "after a failure=true")
        assert done.returncode == 1, done.stdout + done.stderr
        assert re.search(r"^  quick +\d+\.\d s  ok$", done.stdout, flags=re.M), done.stdout
        assert re.search(r"^  failing +\d+\.\d s  FAILED \(exit 3\)$", done.stdout, flags=re.M), done.stdout
        assert "parts: 2 passed, 1 failed" in done.stdout
        saved = json.loads((figures.SAVED / f"{name}.json").read_text())
        assert [(part["label"], part["ok"]) for part in saved["parts"]] == [("quick", True), ("failing", False), ("after a failure", True)]
        assert figures.MEASURED.fullmatch(figures.Measurement(**saved["measurement"]).line())
    finally:
        (figures.SAVED / f"{name}.json").unlink(missing_ok=True)
    assert [page.read_bytes() for page in figures.documents()] == before
    refused = _run_parts("--name", name, "--record", "quick=true")
    assert refused.returncode == 2 and "--record needs --name, one of the docs' blocks" in refused.stderr


def test_a_written_block_reads_back_the_same(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n\n{figures.Block('make-test', [], None).render()}\n\nafter\n", encoding="utf-8")
    data = {
        "measurement": {
            "date": "2026-12-01 14:05 UTC",
            "commit": "1de8c14",
            "dirty": False,
            "cores": 2,
            "load_start": 0.5,
            "load_end": 2.25,
        },
        "parts": [{"label": "ruff (hand-written Python)", "seconds": 0.31, "ok": True}, {"label": "tests", "seconds": 75.0, "ok": True}],
        "total": 75.31,
    }
    figures.write([figures.parts_block("make-test", data)], readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("before\n\n<!-- figures make-test: begin") and text.endswith("<!-- figures make-test: end -->\n\nafter\n")
    (block,) = figures.blocks(text)
    assert figures.parse(block).rows == [["ruff (hand-written Python)", "0.3 s"], ["tests", "1 min 15 s"], ["total", "1 min 15 s"]]
    assert "Measured 2026-12-01 14:05 UTC at commit 1de8c14, on 2 cores, load average 0.50 at the start and 2.25 at the end." in block


def test_nothing_in_ci_writes_the_readme_but_when_asked_after_its_check() -> None:
    # make takes RECORD from the environment too: make test, make bench and make mutation write only with it set.
    dry = subprocess.run(
        ["make", "-n", "test", "bench", "mutation"], cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    )
    assert dry.returncode == 0 and "--record" not in dry.stdout, dry.stdout + dry.stderr
    asked = subprocess.run(["make", "-n", "test", "RECORD=1"], cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert "tools.run_parts --name make-test --record" in asked.stdout
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "unset RECORD" in ci
    check, record = ci.index('"no committed file changed='), ci.index("tools/figures.py record")
    assert check < record and 'if [ -n "$RECORD_FIGURES" ]' in ci[check:record]


def test_ci_fills_the_time_column_of_the_make_targets_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    (table,) = [text for text in IN_README if "figures make-targets:" in text]
    readme.write_text(table + "\n", encoding="utf-8")
    data = {
        "measurement": {
            "date": "2026-12-01 14:05 UTC",
            "commit": "1de8c14",
            "dirty": False,
            "cores": 2,
            "load_start": 0.5,
            "load_end": 2.25,
        },
        "parts": [{"label": "make test", "seconds": 80.4, "ok": True}, {"label": "make proofs", "seconds": 61.0, "ok": True}],
        "total": 141.4,
    }
    block = figures.parts_block("make-targets", data, readme)
    times = {row[0]: row[2] for row in block.rows}
    assert (times["`make test`"], times["`make proofs`"], times["`make mock`"]) == ("1 min 20 s", "1 min 01 s", "-")
    assert [row[:2] for row in block.rows] == [row[:2] for row in figures.parse(table).rows], "the descriptions are kept as they are"
    assert block.render().endswith(
        "load average 0.50 at the start and 2.25 at the end; `.ci/run` in all: 2 min 21 s.\n<!-- figures make-targets: end -->"
    )


def test_the_mutation_score_is_counted_from_mutmuts_results(tmp_path: Path) -> None:
    # As mutmut leaves them in build/mutation: each module's mutants and their exit codes (None: not in the sample).
    codes = {
        "zomro_rescue": {"a": 1, "b": 1, "c": 36, "d": 0, "e": None, "f": 33},  # 3 killed (1 by a timeout), 1 survived, 1 no tests
        "zomro_mock": {"g": 1, "h": 0, "i": None, "j": None},
    }
    for package, exit_codes in codes.items():
        folder = tmp_path / "mutants" / "src" / package
        folder.mkdir(parents=True)
        (folder / "module.py.meta").write_text(
            json.dumps({"exit_code_by_key": {f"{package}.module.x_f__mutmut_{k}": v for k, v in exit_codes.items()}})
        )
    rows = summary.rows(tmp_path)
    assert [row[:2] + row[3:] for row in rows] == [
        ["SDK (`sdk/zomro_rescue`)", "3 / 5", "1", "1", "1"],
        ["mock (`mock/zomro_mock`)", "1 / 2", "1", "0", "0"],
        ["both", "4 / 7", "2", "1", "1"],
    ]
    assert rows[0][2] == "60.0% ± 42.9", "a sample's score, with what all the mutants would give 95 times in 100"
    assert summary.others(tmp_path) == ""
    block = figures.Block("mutation", rows, figures.Measurement(conditions="5 of the 7 mutants run"))
    assert figures.parse(block.render()).render() == block.render()
