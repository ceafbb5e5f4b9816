"""`make dist`: the project's four distributions, a wheel and an sdist each, into one folder.

    python packaging/build.py --uv UV OUT_DIR

- zomro-rescue-client: generated/python as the generator wrote it (its pyproject.toml comes
  from generator/templates/pyproject_uv.toml.jinja; `make generate` reproduces it);
- zomro-rescue-contract: contract/zomro_contract, with a copy of openapi.yaml;
- zomro-rescue: sdk/zomro_rescue, the SDK and the `zomro-rescue` command;
- zomro-rescue-mock: mock/zomro_mock, with Prism's pinned npm manifest and lock file
  (zomro_mock/prism/), the control API's description and the pytest plugin.

Every version is the contract's `info.version`, read here and nowhere else: the generator
writes it into the client's pyproject.toml (checked here), and this script writes it into
the other three, whose templates are packaging/<name>/pyproject.toml. Each of those is
staged in a temporary folder outside the checkout (so that no .gitignore of the checkout
reaches its sdist), its package copied with every link followed (the checkout's
zomro_contract/openapi.yaml is a link to the contract), so that the sdist holds real files
and builds anywhere. uv builds each sdist from its stage, then the wheel from the sdist.
"""

from __future__ import annotations

import argparse
import shutil
import stat
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
CLIENT = ROOT / "generated" / "python"
# Distribution name -> the package folder it carries.
STAGED = {
    "zomro-rescue-contract": ROOT / "contract" / "zomro_contract",
    "zomro-rescue": ROOT / "sdk" / "zomro_rescue",
    "zomro-rescue-mock": ROOT / "mock" / "zomro_mock",
}
# What a wheel must hold beyond its modules: a missing file here would fail only on the user's machine.
MUST_HOLD = {
    "zomro-rescue-contract": ["zomro_contract/openapi.yaml", "zomro_contract/py.typed"],
    "zomro-rescue": ["zomro_rescue/py.typed"],
    "zomro-rescue-mock": [
        "zomro_mock/prism/package.json",
        "zomro_mock/prism/package-lock.json",
        "zomro_mock/control-api.yaml",
        "zomro_mock/pytest_plugin.py",
        "zomro_mock/py.typed",
    ],
    "zomro-rescue-client": ["zomro_rescue_client/py.typed"],
}
PLACEHOLDER = "@VERSION@"


def contract_version() -> str:
    return str(yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))["info"]["version"])


def _client_version() -> str:
    import tomllib

    return str(tomllib.loads((CLIENT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def stage(name: str, version: str, into: Path) -> Path:
    """<into>/<name>/: the filled-in pyproject.toml, README.md, LICENSE and the package, links followed."""
    folder = into / name
    package = STAGED[name]
    shutil.copytree(package, folder / package.name, symlinks=False, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    template = (PACKAGING / name / "pyproject.toml").read_text(encoding="utf-8")
    (folder / "pyproject.toml").write_text(template.replace(PLACEHOLDER, version), encoding="utf-8")
    shutil.copyfile(PACKAGING / name / "README.md", folder / "README.md")
    shutil.copyfile(ROOT / "LICENSE", folder / "LICENSE")
    return folder


def build(uv: str, source: Path, out: Path) -> None:
    # --force-pep517: the client is built by the uv_build its pyproject names, not by this uv's own copy of it.
    command = [uv, "build", "--quiet", "--force-pep517", "--no-create-gitignore", "--out-dir", str(out), str(source)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"uv build {source.name} failed:\n{result.stdout}{result.stderr}")


def check(out: Path, name: str, version: str) -> tuple[Path, Path]:
    """The wheel and sdist of `name`: present, of this version, holding what they must and no link."""
    stem = f"{name.replace('-', '_')}-{version}"
    wheel, sdist = out / f"{stem}-py3-none-any.whl", out / f"{stem}.tar.gz"
    for made in (wheel, sdist):
        if not made.exists():
            raise SystemExit(f"{made.name} was not built")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        links = [info.filename for info in archive.infolist() if stat.S_ISLNK(info.external_attr >> 16)]
        metadata = archive.read(f"{stem}.dist-info/METADATA").decode()
    missing = [path for path in MUST_HOLD[name] if path not in names]
    with tarfile.open(sdist) as archive:
        links += [member.name for member in archive.getmembers() if member.issym() or member.islnk()]
    if missing or links:
        raise SystemExit(f"{name}: the wheel lacks {missing}, or holds links {links}")
    for field in ("License-Expression: MIT", "Requires-Python: >=3.11", "Classifier: ", "Project-URL: "):
        if field not in metadata:
            raise SystemExit(f"{name}: its metadata has no {field!r}")
    return wheel, sdist


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uv", default="uv", help="the uv to build with")
    parser.add_argument("out", type=Path, help="the folder for the wheels and sdists (emptied of this project's first)")
    args = parser.parse_args()
    version = contract_version()
    if _client_version() != version:
        raise SystemExit(f"generated/python is at version {_client_version()}, the contract at {version}: run `make generate` first")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("zomro_rescue*.whl"), *out.glob("zomro_rescue*.tar.gz")]:
        old.unlink()
    build(args.uv, CLIENT, out)
    with tempfile.TemporaryDirectory(prefix="zomro-dist-") as folder:
        for name in STAGED:
            build(args.uv, stage(name, version, Path(folder)), out)
    for name in ("zomro-rescue-client", *STAGED):
        wheel, sdist = check(out, name, version)
        print(f"{name:22} {version}  {wheel.name} ({wheel.stat().st_size // 1024} KiB), {sdist.name}")
    print(f"in {out}")


if __name__ == "__main__":
    main()
