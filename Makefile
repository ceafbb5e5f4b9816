# Every entry point of the project. `make help` lists them.
# Set-up is part of each target: a fresh clone needs only python3 (3.11+), node (20.19+) and npm.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

BOOTSTRAP := .cache/bootstrap
UV := $(BOOTSTRAP)/bin/uv
PYTHON := .venv/bin/python
BIN := node_modules/.bin

# uv uses the machine's Python and never downloads one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

.PHONY: help setup mock lint generate typecheck test proofs fuzz mutation bench regen-matrix docs dist

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: .venv/.installed node_modules/.installed ## Install the pinned Python and npm dependencies

$(UV): tools/uv-requirements.txt
	python3 -m venv $(BOOTSTRAP)
	$(BOOTSTRAP)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r tools/uv-requirements.txt
	touch $@

# The generated client is installed from its folder, as its users install it:
# rebuilt whenever a file of it changes.
.venv/.installed: $(UV) pyproject.toml uv.lock $(shell find generated/python -type f -not -path '*/__pycache__/*')
	$(UV) sync --frozen --quiet --reinstall-package zomro-rescue-client
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

mock: setup ## Serve the mock on http://127.0.0.1:4010 until Ctrl-C (MOCK_ARGS="--port 4011 --verbose")
	.venv/bin/zomro-rescue-mock $(MOCK_ARGS)

TYPED := examples/client_usage.py contract/zomro_contract sdk/zomro_rescue mock/zomro_mock generated/python/zomro_rescue_client docs/bundle.py docs/lifecycle.py tools/mkdocs_hooks.py
# Each check is written once here, for `make lint` / `make typecheck` by hand and `make test` (which CI runs).
RUFF := $(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check .
# The contract, and the mock's own control API (mock/zomro_mock/control-api.yaml), linted alike.
CONTROL_API := mock/zomro_mock/control-api.yaml
SPECTRAL := $(BIN)/spectral lint --fail-severity=warn openapi.yaml $(CONTROL_API)
# Redocly CLI without the box it prints on every run under Node.js 20, which asks for nothing to do (tools/redocly.mjs says why).
REDOCLY := node tools/redocly.mjs lint --format=stylish openapi.yaml $(CONTROL_API)
MYPY := $(PYTHON) -m mypy --strict $(TYPED)

lint: setup ## Lint the contract and the mock's control API (Spectral, Redocly) and the Python (ruff); `make test` runs the same checks
	$(RUFF)
	$(SPECTRAL)
	$(REDOCLY)

generate: .venv/.installed ## Regenerate the Python client in generated/python from openapi.yaml
	$(PYTHON) generator/generate.py generated/python
	$(UV) sync --frozen --quiet --reinstall-package zomro-rescue-client
	touch .venv/.installed

typecheck: setup ## mypy --strict on the hand-written Python and the generated package; `make test` runs it too
	$(MYPY)

# RECORD=1 writes the figures a run measured into the README or the guide (tools/figures.py); never by default, so CI changes no file.
RECORD ?=
PYTEST := $(PYTHON) -m pytest -q -p no:cacheprovider
# Three workers on two cores: much of a test's time is a mock process starting or a grace waited out, and two
# workers left the cores idle a third of the run (78 s against 88 s, the same quiet machine, one after the other).
test: setup ## Every check and test but the long proofs (lint, typecheck, drift of generated/ and docs/, tests, schemathesis), with the time of each part: what CI runs first
	$(PYTHON) -m tools.run_parts --name make-test $(if $(RECORD),--record) \
	  "ruff (hand-written Python)=$(RUFF)" \
	  "spectral lint=$(SPECTRAL)" \
	  "redocly lint=$(REDOCLY)" \
	  "mypy --strict=$(MYPY)" \
	  "tests and contract tests (pytest -n 3)=$(PYTEST) -n 3 --dist loadgroup -p zomro_testkit.time_by_file tests contract_tests"

# The long proofs, marked `proof` (pyproject's addopts leave them out of `make test` and of plain `pytest`).
proofs: setup ## The long proofs: the wheels from a separate project (tests/test_dist.py), the code samples built and run (tests/test_samples.py), the docs' sessions and --help examples run as a person runs them, the guide's pip install of the generated client
	$(PYTHON) -m tools.run_parts --name make-proofs \
	  "proofs (pytest -n 3 -m proof)=$(PYTEST) -n 3 --dist loadgroup -p zomro_testkit.time_by_file -m proof tests/test_dist.py tests/test_samples.py tests/test_readme.py tests/test_help_examples.py tests/test_example_script.py tests/test_bench_arguments.py tests/test_cli_terminal.py"

DIST ?= dist
dist: setup ## Build the wheels and sdists into dist/ (DIST=...): zomro-rescue-client, -contract, zomro-rescue (SDK), zomro-rescue-mock
	$(PYTHON) packaging/build.py --uv $(UV) $(DIST)

FUZZ_EXAMPLES ?= 1500
FUZZ_MIN_CASES ?= 5000
SERVER_FUZZ_EXAMPLES ?= 10000
fuzz: setup ## Schemathesis far deeper (>= 5,000 cases, and longer stateful sequences), random seed (replay with SEED=...); the server's parser fuzzed with 10,000 new cases
	CONTRACT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) CONTRACT_FUZZ_MIN_CASES=$(FUZZ_MIN_CASES) CONTRACT_SEED=$(SEED) \
	  $(PYTHON) -m pytest -q -p no:cacheprovider contract_tests/test_schemathesis.py contract_tests/test_stateful.py
	SERVER_FUZZ_EXAMPLES=$(SERVER_FUZZ_EXAMPLES) $(PYTHON) -m pytest -q -p no:cacheprovider tests/test_server_fuzz.py

mutation: setup ## Mutation testing (mutmut) of sdk/ and mock/, 1 mutant in 5, with the fast tests; MUTANTS=all for every one; RECORD=1 writes the score into the guide (not in CI)
	$(PYTHON) -m tools.mutation.run $(if $(RECORD),--record) $(MUTANTS)

bench: setup ## Figures, never a failure for slowness: the mock against bare Prism (throughput, latency, memory, start), its fairness, starts from the wheel, resets
	@command -v wrk >/dev/null || { echo "installing wrk (Debian package) for the load"; apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }
	$(PYTHON) -m bench.mock_bench $(BENCH_ARGS) $(if $(RECORD),--record)

regen-matrix: setup ## A client from each generator set-up of clients/matrix, built and run against the mock, its wire checked; rewrites the guide's table (guide/clients.md)
	$(PYTHON) clients/matrix/run.py $(MATRIX_ARGS)

docs: setup ## Draw docs/lifecycle.svg, render the reference (docs/index.html, docs/control-api.html) and the guide (build/site/, links checked), check them and the mock's CORS in headless Chromium (installs Debian's chromium)
	$(PYTHON) docs/lifecycle.py docs/lifecycle.svg
	docs/build.sh docs
	@# strict: a link to a page, an anchor or a file of the checkout that is not there fails the build.
	@# NO_MKDOCS_2_WARNING: the theme's notice of its end of life (May 2027) says nothing to do today.
	NO_MKDOCS_2_WARNING=1 $(PYTHON) -m mkdocs build --strict --quiet
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the page test"; \
	  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; }
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/browser
	@echo "reference: docs/index.html, docs/control-api.html; guide: build/site/index.html; screenshots: build/docs/"
