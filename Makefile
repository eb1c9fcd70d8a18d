# The two commands for a new machine are `make run` and `make test`; everything else is a step of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve-demo bundle screenshots test check lint typecheck contracts unit bench install system-deps clean

# The app against the bundled server with demo data; with no display it says how to run it.
run: install
	$(BIN)/agent-inbox --demo

# The bundled server alone with demo data, narrating what happens (no display needed).
serve-demo: install
	$(BIN)/inbox-server serve --demo --db var/demo.sqlite3

# The self-contained desktop bundle (dist/agent-inbox/); tests/installer smoke-tests it.
bundle: install
	$(BIN)/python installer/build.py dist

screenshots: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots_admin.py docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/admin_screenshots.py docs/screenshots

test: install check unit

check: lint typecheck contracts

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

contracts:
	$(BIN)/lint-imports

unit:
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench

install: system-deps $(STAMP)

system-deps:
	@scripts/system-deps

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[desktop,dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
