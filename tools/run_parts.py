"""Run the parts of a check (`make test`, `make proofs`, `.ci/run`) in turn, every one even after a failure, and print the time of each.

    python -m tools.run_parts [--name NAME] [--record] "label=command" ...   (from the checkout's root)

Exits non-zero when any part failed, so that one failing part fails the run. With `--name`, the
figures are saved in build/figures/NAME.json; with `--record` too, and every part passed, they are
written into the docs' block NAME (tools/figures.py: the README or a page of guide/), for a run that is asked to, never by default.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import asdict

from tools import figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", help="save the figures as build/figures/NAME.json")
    parser.add_argument("--record", action="store_true", help="and write them into the docs' block NAME when every part passed")
    parser.add_argument("parts", nargs="+", metavar="label=command")
    args = parser.parse_args(argv)
    if args.record and args.name not in figures.BLOCKS:
        parser.error(f"--record needs --name, one of the docs' blocks: {', '.join(figures.BLOCKS)}")

    measurement = figures.Measurement()
    results = []
    started = time.monotonic()
    for part in args.parts:
        label, _, command = part.partition("=")
        print(f"\n=== {label}: {command}", flush=True)
        begun = time.monotonic()
        code = subprocess.run(command, shell=True).returncode
        results.append((label, time.monotonic() - begun, code))
        print(f"=== {label}: {'ok' if code == 0 else f'FAILED (exit {code})'} after {figures.duration(results[-1][1])}", flush=True)
    total = time.monotonic() - started
    measurement.finish()

    width = max(len(label) for label, _, _ in results) + 2
    print(f"\n=== wall time of each part{f' of {args.name}' if args.name else ''}")
    for label, seconds, code in results:
        print(f"  {label:<{width}}{figures.duration(seconds):>12}  {'ok' if code == 0 else f'FAILED (exit {code})'}")
    print(f"  {'total':<{width}}{figures.duration(total):>12}")
    print(f"  {measurement.line()}")
    failed = [label for label, _, code in results if code != 0]
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    print(f"parts: {len(results) - len(failed)} passed, {len(failed)} failed")

    if args.name:
        data = {
            "measurement": asdict(measurement),
            "parts": [{"label": label, "seconds": seconds, "ok": code == 0} for label, seconds, code in results],
            "total": total,
        }
        figures.save(args.name, data)
        if args.record:
            if failed:
                print(f"not written into the docs: {', '.join(failed)} failed")
            else:
                figures.write([figures.parts_block(args.name, data)])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
