"""The generator matrix: a client from each generator set-up, built and run against the mock, its wire checked.

    python clients/matrix/run.py [--only ID,ID] [--contract FILE] [--no-readme]

Each folder of clients/matrix/ with a `setup.json` is one set-up: its `run.sh`
generates a client from the contract, builds or type-checks it, and runs a
program that makes the article's preview, rescue and unrescue, then the same
unrescue again, which the mock's world refuses with BILLmanager's error
document. The program reads every answer through the generated types.

Meanwhile a recording proxy sits between the program and a freshly reset
mock, and this script checks what really went over the wire: four POSTs to
exactly `/`, multipart/form-data, with exactly the article's fields and values.

A set-up works when its program passes and its wire is right. It ends with a
table and `N of M set-ups work`; it fails when a set-up does not do
what its setup.json says (a set-up may say it fails, with the generator's own
issue). The guide's generator table (guide/clients.md) is rewritten from the run, so a table
that no longer tells the truth shows as a changed file in CI.

Each set-up's recorded exchanges are saved as `build/matrix/<id>/exchanges.json`. A set-up whose
setup.json says `"validates": "recorded"` (a validator, such as openapi-core) runs after the others
and is given theirs (MATRIX_RECORDED), to check every request and answer against the contract too.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zomro_contract import CONTRACT
from zomro_contract.operations import load
from zomro_testkit import mock_process, recorder
from zomro_testkit.recorder import Exchange

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "build" / "matrix"
# The guide's page on generating clients holds the table (mkdocs.yml renders it).
README = ROOT / "guide" / "clients.md"
BEGIN, END = "<!-- generator matrix: begin (written by make regen-matrix) -->", "<!-- generator matrix: end -->"
# The program's calls, in order, by the fixture that holds each request.
CALLS = ("preview", "rescue", "unrescue", "unrescue")
STATUSES = {"as generated": "works as generated", "with option": "works with the option shown", "with lines": "works with the lines shown"}
TIMEOUT = 1200  # seconds for one set-up, its first installs included


@dataclass
class Result:
    setup: dict[str, Any]
    ran: bool
    wire: list[str]  # what is wrong with the wire; empty when right
    seconds: float
    log: Path

    @property
    def works(self) -> bool:
        return self.ran and not self.wire

    @property
    def as_claimed(self) -> bool:
        return self.works == (self.setup["status"] != "fails")


def setups(only: set[str]) -> list[dict[str, Any]]:
    found = []
    for path in sorted(HERE.glob("*/setup.json")):
        setup = json.loads(path.read_text(encoding="utf-8"))
        if setup["id"] != path.parent.name:
            raise SystemExit(f"{path}: id {setup['id']!r} is not its folder's name")
        if setup["status"] not in (*STATUSES, "fails"):
            raise SystemExit(f"{path}: status must be one of {[*STATUSES, 'fails']}")
        if setup.get("validates", "recorded") != "recorded":
            raise SystemExit(f"{path}: validates, when given, must be 'recorded' (clients/matrix/README.md)")
        missing = {"generator", "version", "from", "runtime", "takes", "workaround", "issue", "notes"} - set(setup)
        if missing:
            raise SystemExit(f"{path}: no {', '.join(sorted(missing))} (clients/matrix/README.md says what each is)")
        if not only or setup["id"] in only:
            found.append(setup)
    return sorted(found, key=_group)


def _group(setup: dict[str, Any]) -> tuple[int, str]:
    """OpenAPI Generator's set-ups first, then npm's, then PyPI's: as a reader looks for theirs; validators last."""
    source = setup["from"]
    if "validates" in setup:
        return (3, setup["id"])
    return (0 if setup["id"].startswith("oag-") else 1 if source.startswith("npm") else 2, setup["id"])


def save_exchanges(exchanges: list[Exchange], path: Path) -> None:
    """What the proxy saw, for a validator set-up: bodies in base64, byte for byte (secrets too: a file, not a log)."""
    path.write_text(
        json.dumps(
            [
                {
                    "method": exchange.method,
                    "path": exchange.path,
                    "content_type": exchange.content_type,
                    "body": base64.b64encode(exchange.body).decode("ascii"),
                    "status": exchange.status,
                    "answer_type": exchange.answer_type,
                    "answer": base64.b64encode(exchange.answer).decode("ascii"),
                }
                for exchange in exchanges
            ],
            indent=1,
        ),
        encoding="utf-8",
    )


def secrets(fixtures: dict[str, Any]) -> list[str]:
    """The values of the fixtures' secret fields (the contract says which), never printed whole."""
    catalogue = load(CONTRACT)
    hidden = catalogue.all_fields - catalogue.public_fields
    return sorted(
        {str(value) for call in CALLS for name, value in fixtures[call]["request"].items() if name in hidden}, key=len, reverse=True
    )


def masked(text: str, hidden: list[str]) -> str:
    for secret in hidden:
        text = text.replace(secret, secret[:2] + "…")
    return text


def wire_problems(recorded: list[Exchange], fixtures: dict[str, Any], hidden: list[str]) -> list[str]:
    """What differs between the requests that arrived and the article's four."""
    problems = []
    if len(recorded) != len(CALLS):
        problems.append(f"{len(recorded)} requests arrived, not {len(CALLS)}: {[f'{r.method} {r.path}' for r in recorded]}")
    for index, (call, request) in enumerate(zip(CALLS, recorded, strict=False), 1):
        where = f"request {index} ({call})"
        if request.method != "POST" or request.path != "/":
            problems.append(f"{where}: {request.method} {request.path}, not POST /")
        fields = recorder.strict_multipart(request.content_type, request.body)
        if isinstance(fields, str):
            problems.append(f"{where}: {fields}")
            continue
        names = [name for name, _ in fields]
        want = {name: str(value) for name, value in fixtures[call]["request"].items()}
        if len(set(names)) != len(names):
            problems.append(f"{where}: a field sent twice: {names}")
        got = dict(fields)
        if got != want:
            extra, missing = sorted(set(got) - set(want)), sorted(set(want) - set(got))
            wrong = sorted(name for name in set(got) & set(want) if got[name] != want[name])
            detail = ", ".join(f"{name}={masked(got[name], hidden)!r} not {masked(want[name], hidden)!r}" for name in wrong)
            problems.append(f"{where}: extra fields {extra}, missing {missing}, wrong values {detail or '[]'}")
    return problems


def run_one(
    setup: dict[str, Any], mock: mock_process.RunningMock, contract: Path, fixtures_path: Path, hidden: list[str], recorded: dict[str, Path]
) -> Result:
    """Run one set-up; `recorded` names the exchanges.json of the set-ups run before it, for a validator."""
    out = OUT / setup["id"]
    work = out / "work"
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    log = out / "log.txt"
    fixtures = json.loads(fixtures_path.read_text(encoding="utf-8"))
    mock.reset()
    started = time.monotonic()
    with recorder.recording(mock.url) as proxy, log.open("w", encoding="utf-8") as sink:
        env = {
            **os.environ,
            "ROOT": str(ROOT),
            "CONTRACT": str(contract),
            "MATRIX_OUT": str(work),
            "FIXTURES": str(fixtures_path),
            "ZOMRO_MOCK_URL": proxy.url,
        }
        if "validates" in setup:
            named = out / "recorded.json"
            named.write_text(json.dumps({name: str(path) for name, path in recorded.items()}, indent=1), encoding="utf-8")
            env["MATRIX_RECORDED"] = str(named)
        try:
            done = subprocess.run(
                ["bash", str(HERE / setup["id"] / "run.sh")], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, timeout=TIMEOUT
            )
            ran = done.returncode == 0
        except subprocess.TimeoutExpired:
            sink.write(f"\nFAIL: no end within {TIMEOUT} s\n")
            ran = False
        seconds = time.monotonic() - started
        save_exchanges(list(proxy.exchanges), out / "exchanges.json")
        wire = wire_problems(list(proxy.exchanges), fixtures, hidden) if setup.get("wire", True) else []
    return Result(setup, ran, wire, seconds, log)


def status(result: Result) -> str:
    if not result.works:
        return "fails"
    return STATUSES[result.setup["status"]] if result.setup["status"] in STATUSES else "works (said to fail: see below)"


def _issue_name(url: str) -> str:
    """`openapi-generator #12911` for https://github.com/OpenAPITools/openapi-generator/issues/12911."""
    parts = url.rstrip("/").split("/")
    return f"{parts[4]} #{parts[6]}" if len(parts) >= 7 and parts[2] == "github.com" else url


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


def table(results: list[Result]) -> str:
    """The guide's table, then each set-up's workaround and notes in full: from this run."""
    lines = [
        "| Set-up | Generator | Version | Status | What it takes | Generator's issue |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        setup = result.setup
        issue = setup.get("issue", "")
        issue_cell = f"[{_issue_name(issue)}]({issue})" if issue else ""
        lines.append(
            f"| `{setup['id']}` | {setup['generator']} | {setup['version']} | {status(result)} | {_cell(setup['takes'])} | {issue_cell} |"
        )
    works = sum(result.works for result in results)
    lines += [
        "",
        f"{works} of {len(results)} set-ups work (generators, a runtime client and a validator).",
        "",
        "In full, as each set-up's program and `run.sh` do it:",
        "",
    ]
    for result in results:
        setup = result.setup
        details = " ".join(part.strip() for part in (setup.get("workaround", ""), setup.get("notes", "")) if part.strip())
        lines.append(f"- **`{setup['id']}`** ({setup['runtime']}): {details}")
    return "\n".join(lines) + "\n"


def write_readme(rendered: str) -> bool:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{README.relative_to(ROOT)} has no generator table between {BEGIN!r} and {END!r}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{rendered}{END}{tail}"
    README.write_text(new, encoding="utf-8")
    return new != text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated set-up ids (default: all)")
    parser.add_argument("--contract", type=Path, default=CONTRACT.resolve(), help="the contract to generate from (default: openapi.yaml)")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the guide's table (implied by --only and --contract)")
    args = parser.parse_args()
    chosen = setups({part for part in args.only.split(",") if part})
    if not chosen:
        raise SystemExit("no set-up chosen")
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures_path = OUT / "fixtures.json"
    subprocess.run([sys.executable, str(ROOT / "clients" / "article_fixtures.py"), str(fixtures_path)], check=True)
    hidden = secrets(json.loads(fixtures_path.read_text(encoding="utf-8")))
    results = []
    recorded: dict[str, Path] = {}
    with mock_process.running() as mock:
        for setup in chosen:
            print(f"--- {setup['id']}: {setup['generator']} {setup['version']}", flush=True)
            result = run_one(setup, mock, args.contract.resolve(), fixtures_path, hidden, dict(recorded))
            recorded[setup["id"]] = OUT / setup["id"] / "exchanges.json"
            results.append(result)
            verdict = "works" if result.works else "FAILS"
            print(f"    {verdict} in {result.seconds:.0f} s (log: {result.log.relative_to(ROOT)})", flush=True)
            if not result.works or not result.as_claimed:
                tail = result.log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
                for line in [*result.wire, *tail]:
                    print(f"    | {masked(line, hidden)}")
    print()
    print(f"{'set-up':<26} {'status':<30} {'wire':<8} {'seconds':>7}")
    for result in results:
        wire = "-" if not result.setup.get("wire", True) else ("right" if not result.wire else "WRONG")
        print(f"{result.setup['id']:<26} {status(result):<30} {wire:<8} {result.seconds:>7.0f}")
    rendered = table(results)
    (OUT / "table.md").write_text(rendered, encoding="utf-8")
    if not (args.only or args.no_readme or args.contract.resolve() != CONTRACT.resolve()) and write_readme(rendered):
        print(f"{README.relative_to(ROOT)}: the generator table was rewritten from this run")
    unclaimed = [result.setup["id"] for result in results if not result.as_claimed]
    print()
    if unclaimed:
        print(f"not as their setup.json says: {', '.join(unclaimed)}")
    print(f"{sum(result.works for result in results)} of {len(results)} set-ups work")
    return 1 if unclaimed else 0


if __name__ == "__main__":
    sys.exit(main())
