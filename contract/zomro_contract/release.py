"""The name and version a command reports (`--version`, the probe's report): the same from a wheel and from a checkout.

Every wheel's version is the contract's `info.version` (packaging/build.py), and so is the
checkout's development install's (pyproject.toml reads it from openapi.yaml), so one rule
serves both: the version of the installed distribution that carries the command, read from
its metadata, under the name of the wheel that carries it.
"""

from __future__ import annotations

from importlib import metadata

# The distribution a checkout installs (`make setup`): every package of the project in one, at the contract's version.
CHECKOUT = "zomro-rescue-toolkit"


def version(distribution: str) -> str:
    """The installed version of `distribution` (a wheel's name, such as "zomro-rescue"), else of the checkout's install."""
    for name in (distribution, CHECKOUT):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "(version unknown)"


def name_and_version(distribution: str) -> str:
    """What `--version` prints: "zomro-rescue 2.0.0"."""
    return f"{distribution} {version(distribution)}"
