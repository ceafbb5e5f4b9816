"""No sample can lie: every code sample the reference shows, run against the mock.

The samples are files (samples/, listed by docs/pages.yaml); docs/bundle.py puts them into the
reference as they are. Here each one runs as a person runs it, its production URL swapped for a
recording proxy in front of the mock: curl and Python directly, TypeScript after `tsc --strict`
against the client @hey-api/openapi-ts generates. Each must exit 0 and show what the answer holds;
the proxy shows that it sent exactly the fields of the contract's request example (secrets
included, which the mock's journal masks) and was answered with the success document. Then each
Python and TypeScript sample is run again against a mock told to refuse it: it must fail, not
carry on as if it had succeeded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from zomro_contract.operations import Catalogue, load
from zomro_testkit import article, mock_process, recorder, scripts
from zomro_testkit.contract import SPEC_PATH, operations, validator

# One worker (pytest -n 2 --dist loadgroup) runs them all: one mock, one TypeScript build. The samples' builds
# and runs are proofs, for `make proofs` (about 25 s); what only reads the files stays in `make test`.
pytestmark = pytest.mark.xdist_group("samples")
proof = pytest.mark.proof

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "node_modules" / ".bin"
RUN_TIMEOUT = 60


BUNDLE = scripts.load(ROOT / "docs" / "bundle.py", "docs_bundle")  # knows the pages, their samples and languages (docs/pages.yaml)
API, CONTROL = (next(page for page in BUNDLE.pages() if page.name == name) for name in ("index", "control-api"))


@dataclass(frozen=True)
class Sample:
    page: Any  # docs/bundle.py's Page
    operation_id: str
    language: Any  # docs/bundle.py's Language

    @property
    def path(self) -> Path:
        return Path(self.page.sample(self.operation_id, self.language))

    @property
    def id(self) -> str:
        return f"{self.operation_id}/{self.language.file}"

    def text_for(self, url: str) -> str:
        """The sample as a person would paste it, aimed at `url` instead of production."""
        return self.path.read_text(encoding="utf-8").replace(self.page.url, url)


def _samples(page: Any, suffixes: tuple[str, ...] = (".sh", ".py", ".ts")) -> list[Sample]:
    return [
        Sample(page, operation_id, language)
        for operation_id in page.operations()
        for language in page.languages
        if language.file.endswith(suffixes)
    ]


# -- every operation has a sample in every language, and nothing else is there ------------------------


@pytest.mark.parametrize("page", [API, CONTROL], ids=lambda page: page.name)
def test_every_operation_has_a_sample_in_every_language(page: Any) -> None:
    expected = {sample.path for sample in _samples(page)}
    missing = sorted(str(path.relative_to(ROOT)) for path in expected if not path.is_file())
    assert not missing, f"samples missing: {missing}"
    found = {path for path in Path(page.samples).rglob("*") if path.is_file()}
    assert found == expected, f"files under {page.samples} that are no operation's sample: {sorted(map(str, found - expected))}"


@pytest.mark.parametrize("page", [API, CONTROL], ids=lambda page: page.name)
def test_every_sample_names_the_documented_server(page: Any) -> None:
    """Each sample is complete: it names the server (production, or the mock as `make mock` starts it), and no other."""
    for sample in _samples(page):
        text = sample.path.read_text(encoding="utf-8")
        assert page.url in text, f"{sample.id} does not name {page.url}"
        others = {"127.0.0.1", "localhost", "api.zomro.com"} - {httpx.URL(page.url).host}
        assert not [host for host in others if host in text], f"{sample.id} names another server"


# -- the API's samples, against the mock -----------------------------------------------------------------


@pytest.fixture(scope="module")
def mock() -> Iterator[mock_process.RunningMock]:
    with mock_process.running() as running:
        yield running


@pytest.fixture(scope="module")
def proxy(mock: mock_process.RunningMock) -> Iterator[recorder.Recorder]:
    with recorder.recording(mock.url) as running:
        yield running


@dataclass(frozen=True)
class Compiled:
    folder: Path
    errors: str  # what tsc --strict said, "" when it found nothing

    def check(self, sample: Sample) -> None:
        """The sample compiled (tsc --strict): nothing wrong in it, nor in the generated client it uses."""
        wrong = [
            line for line in self.errors.splitlines() if not line.startswith(" ") and not line.startswith(tuple(_other_samples(sample)))
        ]
        assert not wrong, f"tsc --strict refused {sample.id}:\n{self.errors}"


def _other_samples(sample: Sample) -> list[str]:
    return [f"{other.operation_id}.ts(" for other in _samples(API, (".ts",)) if other != sample]


TSCONFIG = {
    "compilerOptions": {
        "strict": True, "target": "es2022", "module": "commonjs", "moduleResolution": "node10",
        "lib": ["es2022", "dom"], "types": ["node"], "typeRoots": [str(ROOT / "node_modules" / "@types")],
        "rootDir": ".", "outDir": "js",
    },
    "include": ["*.ts", "client/**/*.ts"],
}  # fmt: skip
# Compiled samples are kept, by a digest of all that goes into them: a second `make test` compiles nothing.
TS_CACHE = ROOT / "build" / "samples-ts"


def _typescript_digest() -> str:
    digest = hashlib.sha256(json.dumps(TSCONFIG, sort_keys=True).encode())
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    for part in [SPEC_PATH, ROOT / "package-lock.json", *(sample.path for sample in _samples(API, (".ts",)))]:
        digest.update(str(part).encode() + b"\0" + Path(part).read_bytes())
    return digest.hexdigest()[:16] + "-" + node.strip()


@pytest.fixture(scope="module")
def typescript() -> Compiled:
    """The TypeScript samples compiled with tsc --strict against a freshly generated client (one error fails its sample only)."""
    folder = TS_CACHE / _typescript_digest()
    if not (folder / "tsc.txt").exists():
        TS_CACHE.mkdir(parents=True, exist_ok=True)
        making = Path(tempfile.mkdtemp(prefix="making-", dir=TS_CACHE))
        subprocess.run(
            [BIN / "openapi-ts", "--input", SPEC_PATH, "--output", making / "client", "--client", "@hey-api/client-fetch", "--no-log-file", "--silent"],
            check=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
        for sample in _samples(API, (".ts",)):
            shutil.copyfile(sample.path, making / f"{sample.operation_id}.ts")
        (making / "tsconfig.json").write_text(json.dumps(TSCONFIG))
        compiled = subprocess.run([BIN / "tsc", "--pretty", "false", "-p", making], capture_output=True, text=True, timeout=180, cwd=making)
        (making / "tsc.txt").write_text(compiled.stdout + compiled.stderr if compiled.returncode else "")
        try:
            making.rename(folder)  # whole, or not at all; another run may have got there first
        except OSError:
            shutil.rmtree(making, ignore_errors=True)
        for old in TS_CACHE.iterdir():  # what older samples or contracts compiled to
            if old != folder and not old.name.startswith("making-"):
                shutil.rmtree(old, ignore_errors=True)
    return Compiled(folder, (folder / "tsc.txt").read_text())


def _run(sample: Sample, url: str, folder: Path, request: pytest.FixtureRequest | None = None) -> subprocess.CompletedProcess[str]:
    """Run the sample as a person would, aimed at `url` (a TypeScript one compiled first)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ZOMRO_")}  # the SDK reads ZOMRO_*
    if sample.language.file.endswith(".ts"):
        assert request is not None
        compiled: Compiled = request.getfixturevalue("typescript")
        compiled.check(sample)
        # Beside the compiled sample (its client is imported relatively), under a name of this run's own.
        script = compiled.folder / "js" / f"{sample.operation_id}.{os.getpid()}.{folder.name}.js"
        script.write_text((compiled.folder / "js" / f"{sample.operation_id}.js").read_text().replace(sample.page.url, url))
        try:
            return subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env, cwd=folder)
        finally:
            script.unlink()
    script = folder / sample.language.file
    script.write_text(sample.text_for(url), encoding="utf-8")
    command = ["sh", str(script)] if script.suffix == ".sh" else [sys.executable, str(script)]
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env, cwd=folder)


def _request_example(operation_id: str) -> dict[str, str]:
    """The operation's (first) request example, as the form's text."""
    value = next(iter(operations()[operation_id].request_examples.values()))["value"]
    return {name: str(item) for name, item in value.items()}


def _prepare(mock: mock_process.RunningMock, operation_id: str) -> None:
    """The default world, and the instance where the operation's example expects it (unrescue needs it rescued)."""
    mock.reset()
    if operation_id == "unrescueInstance":
        answer = httpx.post(mock.url + "/", files={name: (None, value) for name, value in _request_example("rescueInstance").items()})
        assert "error" not in answer.json()["doc"], answer.text


@cache
def _catalogue() -> Catalogue:
    """The contract's operations, by the fields that select them (as the mock selects them)."""
    return load(SPEC_PATH)


def _listed_instance() -> tuple[str, str]:
    """The article's instance, and its status in the instance list the default world is made from (`everyState`)."""
    elid = _request_example("rescueInstance")["elid"]
    listed = operations()["listInstances"].response_examples["everyState"]["value"]["doc"]["elem"]
    (item,) = [item for item in listed if item["id"]["$"] == elid]
    return elid, item["instance_status"]["$"]


# What the SDK decides itself rather than its caller: the list's paging and language.
SDK_DECIDES = {"listInstances": {"p_cnt", "p_num", "lang"}}


def _check_fields(sample: Sample, sent: dict[str, str]) -> None:
    example = _request_example(sample.operation_id)
    if sample.language.file != "sdk.py":
        assert sent == example, f"{sample.id} sends other fields than the contract's example"
        return
    own = SDK_DECIDES.get(sample.operation_id, set())
    assert set(sent) <= set(example), f"{sample.id} sends fields the example does not have"
    assert {k: v for k, v in sent.items() if k not in own} == {k: v for k, v in example.items() if k not in own}, sample.id


def _shown(sample: Sample, stdout: str, answer: Any) -> None:
    """The sample shows what the answer holds."""
    operation_id = sample.operation_id
    if operation_id == "previewRescueImages":
        missing = [image.uuid for image in article.images() if image.uuid not in stdout]
        assert not missing, f"{sample.id} does not show images {missing}"
    elif operation_id == "listInstances":
        elid, status = _listed_instance()
        assert elid in stdout and status in stdout, f"{sample.id} does not show instance {elid} and its status {status}"
    elif operation_id == "logIn":
        assert answer["doc"]["auth"]["$id"] in stdout, f"{sample.id} does not show the session id"
    else:
        assert stdout.strip(), f"{sample.id} shows nothing"
    if sample.language.file == "curl.sh":
        assert json.loads(stdout) == answer, f"{sample.id} does not print the answer"


@proof
@pytest.mark.parametrize("sample", _samples(API), ids=lambda sample: sample.id)
def test_the_sample_runs_against_the_mock(
    sample: Sample, mock: mock_process.RunningMock, proxy: recorder.Recorder, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    _prepare(mock, sample.operation_id)
    before = len(proxy.exchanges)
    done = _run(sample, proxy.url, tmp_path, request)
    assert done.returncode == 0, f"{sample.id} failed:\n{done.stdout}{done.stderr}"
    catalogue = _catalogue()
    mine = [
        exchange
        for exchange in proxy.since(before)
        if (op := catalogue.select(exchange.fields().get("func", ""), bool(exchange.fields().get("sok"))))
        and op.operation_id == sample.operation_id
    ]
    assert mine, f"{sample.id} made no {sample.operation_id} request"
    sent, answer = mine[-1].fields(), mine[-1].answer_json()
    _check_fields(sample, sent)
    assert "error" not in answer["doc"], f"{sample.id} was refused: {answer}"
    errors = [error.message for error in validator(operations()[sample.operation_id].response_pointer).iter_errors(answer)]
    assert not errors, errors
    _shown(sample, done.stdout, answer)


@proof
@pytest.mark.parametrize("sample", _samples(API, (".py", ".ts")), ids=lambda sample: sample.id)
def test_the_sample_fails_when_the_server_refuses(
    sample: Sample, mock: mock_process.RunningMock, proxy: recorder.Recorder, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A sample that carried on after an error document would teach readers to ignore BILLmanager's errors."""
    _prepare(mock, sample.operation_id)
    error = next(
        name for name, example in operations()[sample.operation_id].response_examples.items() if "error" in example["value"]["doc"]
    )
    fault = httpx.post(mock.url + "/_mock/faults", json={"operation": sample.operation_id, "error": error, "times": 10})
    assert fault.status_code == 201, fault.text
    done = _run(sample, proxy.url, tmp_path, request)
    assert done.returncode != 0, f"{sample.id} went on after the answer {error!r}:\n{done.stdout}"


# -- the control API's samples ----------------------------------------------------------------------------


def _control_example(operation_id: str) -> Any:
    """The control API's (first) request example of the operation, if it has a body."""
    op = CONTROL.operations()[operation_id]
    content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    return next(iter(content.get("examples", {}).values()), {}).get("value")


def _control_prepare(mock: mock_process.RunningMock, operation_id: str) -> None:
    """The mock as the sample expects it: fresh, with a fault pending and a request in the journal."""
    mock.reset()
    httpx.post(mock.url + "/_mock/faults", json=_control_example("addFault")).raise_for_status()
    httpx.post(mock.url + "/", files={name: (None, value) for name, value in _request_example("listInstances").items()})


def _control_schema(operation_id: str, status: int) -> dict[str, Any] | None:
    """The control API's schema of the answer, with the document's components for its $refs."""
    control = yaml.safe_load(CONTROL.contract.read_text(encoding="utf-8"))
    op = CONTROL.operations()[operation_id]
    content = op["responses"][str(status)].get("content", {})
    schema = next(iter(content.values()), {}).get("schema")
    return None if schema is None else {**schema, "components": control["components"]}


@proof
@pytest.mark.parametrize("sample", _samples(CONTROL), ids=lambda sample: sample.id)
def test_the_control_sample_runs_against_the_mock(
    sample: Sample, mock: mock_process.RunningMock, proxy: recorder.Recorder, tmp_path: Path
) -> None:
    _control_prepare(mock, sample.operation_id)
    before = len(proxy.exchanges)
    done = _run(sample, proxy.url, tmp_path)
    assert done.returncode == 0, f"{sample.id} failed:\n{done.stdout}{done.stderr}"
    mine = [exchange for exchange in proxy.since(before) if exchange.path.startswith("/_mock/")]
    assert len(mine) == 1, f"{sample.id} made {len(mine)} calls of the control API"
    (call,) = mine
    assert 200 <= call.status < 300, f"{sample.id} was answered {call.status}: {call.answer!r}"
    if (example := _control_example(sample.operation_id)) is not None:
        assert call.json() == example, f"{sample.id} sends another body than the control API's example"
    schema = _control_schema(sample.operation_id, call.status)
    if schema is not None:
        errors = [error.message for error in Draft202012Validator(schema).iter_errors(call.answer_json())]
        assert not errors, errors
        if sample.language.file == "curl.sh":
            assert json.loads(done.stdout) == call.answer_json(), f"{sample.id} does not print the answer"
    assert done.stdout.strip(), f"{sample.id} shows nothing"


@proof
def test_the_python_samples_pass_mypy_strict(tmp_path: Path) -> None:
    """They are typed as this project's own Python is: a reader who runs mypy on a pasted sample gets no error."""
    copies = []
    for sample in [*_samples(API, (".py",)), *_samples(CONTROL, (".py",))]:
        copy = tmp_path / f"{sample.page.name.replace('-', '_')}_{sample.operation_id}_{sample.path.name}"
        copy.write_text(sample.path.read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(str(copy))
    cache = ROOT / "build" / "mypy-samples"
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), *copies],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_node_and_curl_are_there() -> None:
    """The samples' own tools: a fresh machine that lacks one fails here, not in a puzzling way above."""
    assert shutil.which("node") and shutil.which("curl"), "the samples need node and curl"
