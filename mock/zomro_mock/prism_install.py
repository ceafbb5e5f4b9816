"""The Prism this package pins, installed on first use into a per-user cache and reused afterwards.

The package carries an npm manifest for Prism alone (`prism/package.json` and its
`package-lock.json`, the same Prism as the project's own lock file). The first
start runs `npm ci` from that lock file into
`$XDG_CACHE_HOME/zomro-rescue-mock/prism-<version>-<lock hash>/` (`~/.cache/...`
by default), showing its progress; later starts find it there at the cost of a
`stat`. Two mocks starting at once install it once: the install holds a lock
file, runs in a temporary folder beside the target, and renames it into place
only when `npm ci` has succeeded, so the target is either absent or complete.

The manifest follows the project's own: to move Prism, change it in the project's
package.json and package-lock.json, copy that package-lock.json into prism/ beside
its package.json, and run `npm install --package-lock-only --ignore-scripts` there:
npm keeps the locked versions of what Prism needs and drops the rest
(tests/test_prism_install.py checks that the two agree).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from .prism import PrismError, _die_with_parent

MANIFEST = Path(__file__).with_name("prism")
PRISM_PACKAGE = "@stoplight/prism-cli"
NODE_MAJOR = 20
# npm ci: from the lock file alone, with no install scripts (Prism needs none; one of its dependencies
# would only send telemetry), quietly but for errors: the mock shows its own progress.
NPM_CI = ("ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "--no-progress")
# Without a terminal, a progress line every so many seconds; on one, the line is rewritten.
PROGRESS_EVERY = 5.0

Progress = Callable[[str], None]


def lock_file() -> Path:
    return MANIFEST / "package-lock.json"


def pinned_version() -> str:
    """Prism's version in the package's lock file."""
    packages = json.loads(lock_file().read_text(encoding="utf-8"))["packages"]
    return str(packages[f"node_modules/{PRISM_PACKAGE}"]["version"])


def cache_root() -> Path:
    # The XDG base directory rule: a relative XDG_CACHE_HOME is to be ignored.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "zomro-rescue-mock"


def cache_key() -> str:
    """`prism-<version>-<first 12 hex digits of the lock file's SHA-256>`: a new lock file, a new folder."""
    digest = hashlib.sha256(lock_file().read_bytes()).hexdigest()[:12]
    return f"prism-{pinned_version()}-{digest}"


def target() -> Path:
    return cache_root() / cache_key()


def executable(folder: Path) -> Path:
    return folder / "node_modules" / ".bin" / "prism"


def installed() -> Path | None:
    """The cached Prism, if it is installed (an installed folder is complete: it is renamed into place last)."""
    prism = executable(target())
    return prism if prism.exists() else None


def check_tools() -> tuple[str, str]:
    """node and npm, or PrismError with one line saying which is missing or too old."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        raise PrismError(
            f"Node.js is not installed: the mock runs Prism, which needs Node.js {NODE_MAJOR} or newer with npm; "
            "install them, or pass --prism"
        )
    try:
        shown = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        shown = ""
    match = re.fullmatch(r"v(\d+)\.\d+\.\d+.*", shown)
    if match is None or int(match.group(1)) < NODE_MAJOR:
        raise PrismError(
            f"Node.js {shown or '(its version unknown)'} is too old: Prism needs Node.js {NODE_MAJOR} or newer; install a newer one"
        )
    if npm is None:
        raise PrismError(
            f"npm is not installed: the first start installs Prism {pinned_version()} with `npm ci`; "
            "install npm (it comes with Node.js), or pass --prism"
        )
    return node, npm


def ensure(progress: Progress) -> Path:
    """The pinned Prism, installed first if it is not (PrismError, one line, when it cannot be)."""
    prism = installed()
    if prism is not None:
        return prism
    _, npm = check_tools()
    root, folder = cache_root(), target()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PrismError(f"cannot create the cache folder {root}: {exc.strerror}; set XDG_CACHE_HOME to a writable folder") from None
    with _locked(root / f"{folder.name}.lock", progress):
        if executable(folder).exists():  # another mock installed it while this one waited
            return executable(folder)
        for stale in root.glob(f".{folder.name}.*"):  # left by an install that was killed: no one else holds the lock
            shutil.rmtree(stale, ignore_errors=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=root))
        try:
            _npm_ci(npm, temporary, folder, root / f"{folder.name}.npm.log", progress)
            if folder.exists():  # a folder without Prism in it: not from here, and in the way
                shutil.rmtree(folder)
            os.rename(temporary, folder)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
    return executable(folder)


@contextlib.contextmanager
def _locked(path: Path, progress: Progress) -> Iterator[None]:
    with path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress(f"waiting for another zomro-rescue-mock, which is installing Prism into {path.with_suffix('')}")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Stopped(Exception):
    pass


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped


def _npm_ci(npm: str, folder: Path, final: Path, log: Path, progress: Progress) -> None:
    """npm ci in `folder`, which becomes `final` once complete."""
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(MANIFEST / name, folder / name)
    wanted = _packages()
    version = pinned_version()
    progress(f"first start: installing Prism {version} ({len(wanted)} npm packages) with npm ci into {final}; later starts reuse it")
    env = {**os.environ, "SCARF_ANALYTICS": "false", "npm_config_update_notifier": "false", "npm_config_fund": "false"}
    started = time.monotonic()
    # SIGTERM (a CI job cancelled, pytest's teardown) stops npm too, and the temporary folder goes.
    previous = signal.signal(signal.SIGTERM, _stop) if threading.current_thread() is threading.main_thread() else None
    try:
        with log.open("wb") as output:
            process = subprocess.Popen(
                [npm, *NPM_CI], cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output, preexec_fn=_die_with_parent
            )
            try:
                _watch(process, folder, wanted, started, progress)
            except BaseException:
                process.kill()
                process.wait()
                raise
    except _Stopped:
        raise KeyboardInterrupt from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if process.returncode != 0 or not executable(folder).exists():
        raise PrismError(
            f"npm ci could not install Prism {version} (exit {process.returncode}): {_last_line(log)}; its log is kept in {log}"
        )
    log.unlink(missing_ok=True)
    progress(f"Prism {version} installed in {time.monotonic() - started:.0f} s")


def _watch(process: subprocess.Popen[bytes], folder: Path, wanted: list[str], started: float, progress: Progress) -> None:
    """Wait for npm, saying how many of the lock file's packages are in place (rewriting the line on a terminal)."""
    terminal = sys.stderr.isatty()
    shown = started
    while process.poll() is None:
        time.sleep(0.25)
        now = time.monotonic()
        if terminal or now - shown >= PROGRESS_EVERY:
            done = sum((folder / name / "package.json").exists() for name in wanted)
            line = f"installing Prism: {done}/{len(wanted)} packages ({now - started:.0f} s)"
            if terminal:
                sys.stderr.write(f"\rzomro-rescue-mock: {line}\x1b[K")
                sys.stderr.flush()
            else:
                progress(line)
            shown = now
    if terminal:
        sys.stderr.write("\r\x1b[K")


def _packages() -> list[str]:
    """The folders npm ci fills, from the lock file (those of optional packages for another system may stay empty)."""
    packages = json.loads(lock_file().read_text(encoding="utf-8"))["packages"]
    return [name for name, entry in packages.items() if name and not entry.get("link")]


def _last_line(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("npm error") and "A complete log" not in line]
    return (errors[0] if errors else lines[-1] if lines else "it printed nothing")[:300]
