"""Run the parts of `make test` in turn, every one even after a failure, and print the time of each.

    python tools/run_parts.py "name=command" ...

Exits non-zero when any part failed, so that one failing part fails the run.
"""

from __future__ import annotations

import subprocess
import sys
import time


def main(parts: list[str]) -> int:
    results = []
    started = time.monotonic()
    for part in parts:
        name, _, command = part.partition("=")
        print(f"\n=== {name}: {command}", flush=True)
        begun = time.monotonic()
        code = subprocess.run(command, shell=True).returncode
        results.append((name, time.monotonic() - begun, code))
    total = time.monotonic() - started
    print("\n=== wall time of each part")
    for name, seconds, code in results:
        print(f"  {name:<34}{seconds:>7.1f} s  {'ok' if code == 0 else f'FAILED (exit {code})'}")
    print(f"  {'total':<34}{total:>7.1f} s")
    failed = [name for name, _, code in results if code != 0]
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    print(f"parts: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
