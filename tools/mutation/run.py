"""`make mutation`: mutmut over sdk/ and mock/ with the fast tests ([tool.mutmut] in pyproject.toml), then the score.

Run from the checkout's root, as a module (it imports tools.figures):

    python -m tools.mutation.run              one mutant in five, in every function (SAMPLE)
    python -m tools.mutation.run all          every mutant
    python -m tools.mutation.run PATTERN...   the mutants whose names match (mutmut's globs: 'zomro_mock.router.*')
    python -m tools.mutation.run --record     and write the score into the README (`make mutation RECORD=1`; the sample or all only)

mutmut names a module by its path from where it runs, and puts the mutants in mutants/ there: so it
runs in build/mutation, where src/zomro_rescue and src/zomro_mock are links to the packages, beside
links to the tests and to pyproject.toml. The tests' own processes (the mock, the `zomro-rescue`
command) get the mutants through PYTHONPATH, and tell mutmut what they run (mutmut_subprocesses.py);
the mocks share one Prism (prism_forwarder.py). Nothing outside build/mutation is written, temporary files included,
but the figures (build/figures/mutation.json) and, when asked to, the README's block "mutation" (tools/figures.py).
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from tools import figures
from tools.mutation.summary import not_checked, others, rows, statuses, summary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORK = ROOT / "build" / "mutation"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "openapi.yaml"


def _lay_out() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "src").mkdir(parents=True)
    # Made before mutmut starts: Python never looks again in a folder of PYTHONPATH that was missing at start.
    (WORK / "mutants" / "src").mkdir(parents=True)
    # mutmut ends each mutant's process with os._exit: what the tests would remove at exit stays, here (TMPDIR).
    (WORK / "tmp").mkdir()
    for link, target in (("pyproject.toml", "../../pyproject.toml"), ("tests", "../../tests")):
        (WORK / link).symlink_to(target)
    for package in ("sdk/zomro_rescue", "mock/zomro_mock"):
        (WORK / "src" / Path(package).name).symlink_to(Path("../../..") / package)
    # The tests run in mutants/, from a copy of tests/: what they read from the checkout's root is linked there.
    for name in ("examples", "tools", "package.json", "package-lock.json", "README.md"):
        (WORK / "mutants" / name).symlink_to(Path("../../..") / name)
    # The mock looks for Prism in node_modules/.bin from its folder up.
    forwarder = WORK / "mutants" / "node_modules" / ".bin" / "prism"
    forwarder.parent.mkdir(parents=True)
    forwarder.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "{HERE / "prism_forwarder.py"}" "$@"\n')
    forwarder.chmod(0o755)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_prism(port: int) -> subprocess.Popen[bytes]:
    command = [str(PRISM), "mock", str(SPEC), "--host", "127.0.0.1", "--port", str(port), "--verboseLevel", "warn"]
    prism = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and prism.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return prism
        except OSError:
            time.sleep(0.1)
    os.killpg(prism.pid, signal.SIGKILL)
    raise SystemExit("make mutation: Prism did not start")


# One mutant in five, in every function: those numbered 1, 6, 11, 16... (mutmut numbers a function's mutants from 1).
SAMPLE = ["*__mutmut_*1", "*__mutmut_*6"]


def _sample(which: list[str]) -> str:
    if not which:
        return "one in five in every function (those numbered 1, 6, 11 and so on)"
    return "all of them" if which == ["all"] else f"those named {' '.join(which)}"


def main(argv: list[str]) -> int:
    record = "--record" in argv
    which = [name for name in argv if name != "--record"]
    if record and which not in ([], ["all"]):
        print("make mutation: RECORD=1 writes the score of the default sample or of MUTANTS=all, not of a part", file=sys.stderr)
        return 2
    names = SAMPLE if not which else [] if which == ["all"] else which
    measurement = figures.Measurement()  # the commit, and whether the checkout had changes, at the start
    _lay_out()
    port = _free_port()
    prism = _start_prism(port)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(WORK / "mutants" / "src"), str(HERE)]),
        "TMPDIR": str(WORK / "tmp"),
        "MUTATION_PRISM_PORT": str(port),
        "MUTATION_PRISM_SPEC": str(SPEC),
        "MUTATION_REAL_PRISM": str(PRISM),
    }
    started = time.monotonic()
    try:
        code = subprocess.run(
            [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", "2", *names], cwd=WORK, env=env
        ).returncode
    finally:
        os.killpg(prism.pid, signal.SIGTERM)
        prism.wait()
    minutes = (time.monotonic() - started) / 60
    if code != 0:
        print(f"make mutation: mutmut failed (exit {code}) after {minutes:.0f} min", file=sys.stderr)
        return code

    # mutmut ends with 0 when it is interrupted (Ctrl-C) too: a run is whole when every mutant it was given ran.
    unrun = [name for name in not_checked(WORK) if not names or any(fnmatch.fnmatchcase(name, pattern) for pattern in names)]
    if unrun:
        print(f"make mutation: {len(unrun)} of the mutants asked for did not run (interrupted?), {unrun[0]} first", file=sys.stderr)
        return 1
    report = summary(WORK) + f"\nmutmut ran {minutes:.0f} min; the results stay in {WORK.relative_to(ROOT)}.\n"
    (WORK / "summary.txt").write_text(report)
    print(report, end="")
    measurement.finish()
    other = others(WORK)
    counts = sum(statuses(WORK).values(), Counter())
    total, unrun = sum(counts.values()), counts["not checked"]
    measurement.conditions = f"{total - unrun:,} of the {total:,} mutants run, {_sample(which)}; mutmut ran {minutes:.0f} min" + (
        f"; also {other}" if other else ""
    )
    table = rows(WORK)
    figures.save("mutation", {"measurement": asdict(measurement), "rows": table, "minutes": minutes, "mutants": which or "sample"})
    print(measurement.line())
    if record:
        figures.write([figures.Block("mutation", table, measurement)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
