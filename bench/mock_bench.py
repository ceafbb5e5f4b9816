"""`make bench`: figures, never a failure for slowness. First our mock against bare `prism mock`, side by side in one run.

All serve openapi.yaml and get the same load (wrk, N connections, the
article's preview, rescue and unrescue requests and the panel's instance list
in turn). Our mock runs twice too: with its default world, and with a world of
10,000 instances, which must cost the same (state is looked up by key, the
list paged). Bare Prism runs twice:
with its defaults, and at `-v warn`, its best setting and the level our mock
runs its own Prism at (the honest baseline). Both are driven at its %23-encoded paths, since it cannot route
`POST /` by `func`; our mock gets the real requests, `POST /`. Rounds
alternate between the two so that a noisy neighbour hurts both alike. Prints
requests per second, p50 and p99 latency, peak memory and the time from
start to first answer, and each as a ratio of ours to bare Prism's.

Then bench/fairness.py (one client doing its worst beside others), bench/starts.py (the mock
from its wheel: starts, what the pytest plugin adds to a session, resets) and bench/world_load.py
(how long a preview waits while a world of 15.7 MB loads). Every figure is
compared with a baseline measured in the same run, as a ratio. The run fails only on a broken
behaviour (a socket error, an answer that is not HTTP 2xx or not the expected one, a mock that
does not start). The figures are saved in build/figures/bench.json; `--record` (`make bench
RECORD=1`) writes them into the README too (tools/figures.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import yaml
from zomro_contract.operations import load
from zomro_mock import default_world
from zomro_testkit import article
from zomro_testkit.arguments import whole_number
from zomro_testkit.contract import ARTICLE_OPERATIONS, SPEC_PATH, operations
from zomro_testkit.mock_process import COMMAND, free_port

from bench import fairness, starts, world_load
from tools import figures

ROOT = Path(__file__).resolve().parent.parent

PRISM = ROOT / "node_modules" / ".bin" / "prism"
BOUNDARY = "zomrobench"

WRK_SCRIPT = """
local requests = {}
local paths = %(paths)s
local bodies = %(bodies)s
local n = 0
function init(args)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", paths[i], {["Content-Type"] = "multipart/form-data; boundary=%(boundary)s"}, body)
  end
end
function request()
  n = n %% #requests + 1
  return requests[n]
end
function done(summary, latency, requests)
  io.write(string.format('BENCH {"requests": %%d, "seconds": %%f, "errors": %%d, "timeouts": %%d, "non2xx": %%d, "p50_ms": %%f, "p99_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for this ASCII text


def _multipart(fields: tuple[tuple[str, str], ...]) -> str:
    parts = "".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields)
    return parts + f"--{BOUNDARY}--\r\n"


# The load: the article's three requests, then the panel's instance list.
LIST = "listInstances"
LOAD = [*ARTICLE_OPERATIONS.values(), LIST]
LARGE_WORLD = 10_000


def _bodies() -> list[str]:
    listing = tuple((name, str(value)) for name, value in operations()[LIST].request_examples["panel"]["value"].items())
    return [*(_multipart(article.curl_example(name).fields) for name in ARTICLE_OPERATIONS), _multipart(listing)]


def _large_world(folder: Path, count: int) -> Path:
    """The default world, its account grown to `count` instances (the article's among them, last)."""
    data = default_world.data(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))
    account = data["accounts"][0]
    first = 1 + max(instance["elid"] for owner in data["accounts"] for instance in owner["instances"])
    more = [{"elid": first + n, "name": f"vm-{n}", "status": "active"} for n in range(count - len(account["instances"]))]
    account["instances"] = more + account["instances"]
    path = folder / "large-world.json"
    path.write_text(json.dumps(data))
    return path


def _wrk_script(paths: list[str], folder: Path) -> Path:
    bodies = _bodies()
    script = folder / f"load-{len(list(folder.iterdir()))}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": "{" + ", ".join(map(_lua_string, paths)) + "}",
            "bodies": "{" + ", ".join(map(_lua_string, bodies)) + "}",
            "boundary": BOUNDARY,
        }
    )
    return script


@dataclass
class Server:
    name: str
    command: list[str]
    paths: list[str]
    port: int
    process: subprocess.Popen[bytes] | None = None
    startups: list[float] = field(default_factory=list)
    rounds: list[dict[str, float]] = field(default_factory=list)
    peak_kib: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start the server; return the seconds until it answered a request."""
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        body = _multipart(article.curl_example("unrescue").fields)
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        while time.perf_counter() - started < 120:
            try:
                answer = httpx.post(self.base + self.paths[2], content=body, headers=headers, timeout=2)
                if answer.status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited while starting: {self.command}")
            time.sleep(0.01)
        raise SystemExit(f"{self.name} did not answer within 120 s")

    def peak_memory_kib(self) -> int:
        """Peak resident memory (VmHWM) of the server and its children, summed."""
        assert self.process is not None
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        return total

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)


def _load(server: Server, script: Path, connections: int, seconds: int) -> dict[str, float]:
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), server.base],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def _ratio(ours: float, bare: float) -> str:
    return f"{ours / bare:.2f}x" if bare else "-"


PARTS = ("throughput", "fairness", "starts", "world-load")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Each value checked here (a usage error, exit 2): wrk refuses 0 seconds or 0 connections, and a median of 0 rounds
    # or 0 starts is none, each a traceback after minutes of measuring.
    parser.add_argument("--connections", type=whole_number(1, 1000), default=16, help="wrk's connections (default 16)")
    parser.add_argument("--seconds", type=whole_number(1, 3600, "seconds"), default=8, help="length of one load round")
    parser.add_argument(
        "--rounds", type=whole_number(1, 100), default=3, help="load rounds of each server, alternating; rounds of the fairness figures"
    )
    parser.add_argument(
        "--starts", type=whole_number(1, 100), default=3, help="cold starts of each server, alternating; starts from the wheel"
    )
    parser.add_argument("--warmup", type=whole_number(1, 600, "seconds"), default=2, help="seconds of load before the rounds, not measured")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"which parts, comma-separated (default {','.join(PARTS)})")
    parser.add_argument("--record", action="store_true", help="write the figures into the README (every part must run)")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if set(parts) - set(PARTS):
        parser.error(f"--parts: give some of {', '.join(PARTS)}")
    if args.record and set(parts) != set(PARTS):
        parser.error("--record writes every part's figures: run them all")
    measurement = figures.Measurement(
        conditions=f'`make bench BENCH_ARGS="--rounds {args.rounds} --seconds {args.seconds} --starts {args.starts}"`'
        + (f", {args.connections} connections" if args.connections != 16 else "")
    )
    results: dict[str, list[list[str]]] = {}
    broken: list[str] = []
    if "throughput" in parts:
        rows, world_rows, failures = throughput(args)
        results["throughput"], results["world"] = rows, world_rows
        if failures:
            broken.append(f"throughput: {failures} socket errors or non-2xx answers")
    if "fairness" in parts:
        print(
            f"\nfairness: {args.rounds} rounds of the others' median latency alone, beside an ordinary busy client, beside the worst",
            flush=True,
        )
        try:
            measured = fairness.measure(args.rounds)
            fairness.show(measured)
            results["fairness"] = fairness.rows(measured)
        except fairness.WrongAnswer as error:
            broken.append(f"fairness: a wrong answer: {error}")
    if "starts" in parts:
        print(f"\nstarts: the wheels in a fresh environment; {args.starts} starts of each, sessions, resets", flush=True)
        try:
            measured = starts.measure(args.starts)
            starts.show(measured, args.starts)
            results["starts"] = starts.rows(measured, args.starts)
        except starts.Broken as error:
            broken.append(f"starts: {error}")
    if "world-load" in parts:
        print(f"\nworld load: previews alone, then while a world of {world_load.INSTANCES:,} instances loads", flush=True)
        try:
            loaded = world_load.measure()
            world_load.show(loaded)
            results["world-load"] = world_load.rows(loaded)
        except world_load.Broken as error:
            broken.append(f"world load: {error}")
    measurement.finish()
    print(f"\n{measurement.line()}")
    figures.save("bench", {"measurement": asdict(measurement), **results})
    if broken:
        print("\nbroken (not slow):\n  " + "\n  ".join(broken))
        return 1
    if args.record:
        blocks = {
            "bench-throughput": "throughput",
            "bench-world": "world",
            "bench-fairness": "fairness",
            "bench-starts": "starts",
            "bench-world-load": "world-load",
        }
        figures.write([figures.Block(name, results[key], measurement) for name, key in blocks.items()])
    return 0


def throughput(args: argparse.Namespace) -> tuple[list[list[str]], list[list[str]], int]:
    """Bare Prism, Prism -v warn, our mock and ours with a large world under the same load; their table rows and failures."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it), then run again")

    # Bare Prism is driven at the same %23-encoded paths our mock forwards to.
    by_id = {op.operation_id: op for ops in load(SPEC_PATH).by_func.values() for op in ops}
    prism_paths = [by_id[operation_id].prism_path for operation_id in LOAD]
    bare_port, ours_port = free_port(), free_port()
    warn_port = free_port()
    prism = [str(PRISM), "mock", str(ROOT / "openapi.yaml"), "--host", "127.0.0.1"]
    bare = Server("bare prism", [*prism, "--port", str(bare_port)], prism_paths, bare_port)
    # Prism at its best setting, the level the mock runs its own Prism at: the honest baseline.
    warn = Server("prism -v warn", [*prism, "--port", str(warn_port), "--verboseLevel", "warn"], prism_paths, warn_port)
    ours = Server("our mock", [COMMAND, "--port", str(ours_port)], ["/"] * len(LOAD), ours_port)
    large_port = free_port()
    folder = tempfile.mkdtemp(prefix="zomro-bench-")
    large = Server(
        f"ours, {LARGE_WORLD:,} instances",
        [COMMAND, "--port", str(large_port), "--world", str(_large_world(Path(folder), LARGE_WORLD))],
        ["/"] * len(LOAD),
        large_port,
    )
    servers = (bare, warn, ours, large)

    print(f"bench: {args.starts} cold starts, {args.warmup} s of warm-up, and {args.rounds} load rounds of {args.seconds} s each, "
          f"{args.connections} connections, the article's preview/rescue/unrescue and the instance list in turn", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        folder_path = Path(scratch)
        scripts = {server.name: _wrk_script(server.paths, folder_path) for server in servers}
        try:
            for _ in range(args.starts):
                for server in servers:
                    server.startups.append(server.start())
                    server.stop()
            for server in servers:
                server.start()
                # Node compiles Prism's hot paths during the first seconds of load: not what is measured.
                _load(server, scripts[server.name], args.connections, args.warmup)
            for _ in range(args.rounds):
                for server in servers:
                    server.rounds.append(_load(server, scripts[server.name], args.connections, args.seconds))
            for server in servers:
                server.peak_kib = server.peak_memory_kib()
        finally:
            for server in servers:
                server.stop()
    shutil.rmtree(folder, ignore_errors=True)

    def median(server: Server, key: str) -> float:
        return statistics.median(r[key] for r in server.rounds)

    # Targets are against Prism at -v warn: the mock must not cost throughput over its own Prism.
    rows = [
        ("requests/s (median of rounds)", lambda s: median(s, "rps"), "{:.0f}", "target >= 1.00x warn"),
        ("p50 latency, ms", lambda s: median(s, "p50_ms"), "{:.2f}", ""),
        ("p99 latency, ms", lambda s: median(s, "p99_ms"), "{:.2f}", "target <= 1.10x warn"),
        ("peak memory, MiB", lambda s: s.peak_kib / 1024, "{:.0f}", "(ours: router + its Prism)"),
        ("start to first answer, s", lambda s: statistics.median(s.startups), "{:.2f}", "target <= 1.30x bare"),
    ]
    print(f"\n{'':32}{'bare prism':>12}{'prism -v warn':>15}{'our mock':>11}{'ours/bare':>11}{'ours/warn':>11}")
    for label, figure, fmt, target in rows:
        b, w, o = figure(bare), figure(warn), figure(ours)
        print(f"{label:32}{fmt.format(b):>12}{fmt.format(w):>15}{fmt.format(o):>11}{_ratio(o, b):>11}{_ratio(o, w):>11}  {target}")
    # The emulator's state must not make a request dearer as the world grows.
    print(f"\n{'':32}{'our mock':>12}{large.name:>24}{'large/ours':>12}")
    for label, figure, fmt, target in rows[:3]:
        o, g = figure(ours), figure(large)
        print(f"{label:32}{fmt.format(o):>12}{fmt.format(g):>24}{_ratio(g, o):>12}  {'target about 1.00x' if target else ''}")
    # A timeout is load (wrk gives up after 2 s); a socket error or a non-2xx answer is a bug.
    failures = {server.name: sum(r["errors"] + r["non2xx"] for r in server.rounds) for server in servers}
    timeouts = {server.name: sum(r["timeouts"] for r in server.rounds) for server in servers}
    for label, counts in (("socket errors + non-2xx", failures), ("wrk timeouts (over 2 s)", timeouts)):
        print(f"{label:32}{counts[bare.name]:>12.0f}{counts[warn.name]:>15.0f}{counts[ours.name]:>11.0f}{counts[large.name]:>24.0f}")

    # The README's tables (tools/figures.py): ours against Prism at -v warn, and the large world against ours.
    units = {"requests/s (median of rounds)": ("requests/s", ""), "p50 latency, ms": ("p50 latency", " ms"),
             "p99 latency, ms": ("p99 latency", " ms"), "peak memory, MiB": ("peak memory", " MiB"),
             "start to first answer, s": ("start to first answer", " s")}  # fmt: skip
    table = []
    for label, figure, fmt, _ in rows:
        name, unit = units[label]
        b, w, o = figure(bare), figure(warn), figure(ours)
        mine = fmt.format(o) + unit + (" (router + Prism)" if name == "peak memory" else "")
        table.append([name, fmt.format(b) + unit, fmt.format(w) + unit, mine, _ratio(o, w)])
    world = []
    for label, figure, fmt, _ in rows[:3]:
        name, unit = units[label]
        if name != "p50 latency":
            o, g = figure(ours), figure(large)
            world.append([name, fmt.format(o) + unit, fmt.format(g) + unit, _ratio(g, o)])
    return table, world, sum(failures.values())


if __name__ == "__main__":
    sys.exit(main())
