# détente — the two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
EXAMPLE := examples/korea-2024
OUT := out/korea-2024
EXAMPLE2 := examples/sulu-sea-2026
OUT2 := out/sulu-sea-2026
SEED ?= 2024
# Debian packages the test suite needs (installed by `make test` when missing).
TEST_DEBS := postgresql poppler-utils fonts-noto-core fonts-noto-cjk chromium
# Debian packages the demo needs (fonts for Chinese and Russian PDFs).
DEMO_DEBS := fonts-noto-core fonts-noto-cjk

.PHONY: demo test lint typecheck unit docs clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,model]'
	touch $@

## demo: create .venv, install, run both example meetings in simulation into out/korea-2024/ and out/sulu-sea-2026/
demo: $(STAMP)
	scripts/system-deps.sh $(DEMO_DEBS)
	$(BIN)/detente validate $(EXAMPLE)
	$(BIN)/detente run $(EXAMPLE) --seed $(SEED) --out $(OUT) --replace
	$(BIN)/detente agenda $(EXAMPLE) --format md -o $(OUT)/agenda.md
	$(BIN)/detente agenda $(EXAMPLE) --format html -o $(OUT)/agenda.html
	$(BIN)/detente agenda $(EXAMPLE) --format ics -o $(OUT)/agenda.ics
	$(BIN)/detente report $(EXAMPLE) --out $(OUT) --kind all --format all
	@echo "outputs in $(OUT)/:" && ls $(OUT)
	$(BIN)/detente validate $(EXAMPLE2)
	$(BIN)/detente run $(EXAMPLE2) --seed $(SEED) --out $(OUT2) --replace
	$(BIN)/detente agenda $(EXAMPLE2) --format md -o $(OUT2)/agenda.md
	$(BIN)/detente agenda $(EXAMPLE2) --format html -o $(OUT2)/agenda.html
	$(BIN)/detente agenda $(EXAMPLE2) --format ics -o $(OUT2)/agenda.ics
	$(BIN)/detente report $(EXAMPLE2) --out $(OUT2) --kind all --format all
	@echo "outputs in $(OUT2)/:" && ls $(OUT2)

## test: install what the tests need (Python dev extras, Debian packages) and run everything
test: $(STAMP) system-deps lint typecheck
	@scripts/with-postgres.sh $(BIN)/pytest; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; \
	  exit $$status

system-deps:
	scripts/system-deps.sh $(TEST_DEBS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

## docs: regenerate the CLI reference from the commands' --help
docs: $(STAMP)
	$(BIN)/python -m detente.clidoc > docs/cli.md

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
