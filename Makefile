# Prompt Coach — every target works on a fresh machine: it depends on `setup`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean client-test vsix e2e

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@if [ -f package.json ]; then npm ci --no-audit --no-fund; fi
	touch $(STAMP)

demo: setup
	@$(PY) scripts/demo.py

test: setup
	$(VENV)/bin/ruff check server tests bench scripts
	$(VENV)/bin/ruff format --check server tests bench scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules dist out .pytest_cache bundled .build .e2e promptcoach-*.vsix

# --- VS Code extension (client/, e2e/) ---------------------------------------------
NODE_STAMP := node_modules/.promptcoach-installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# tsc (strict), eslint and the client's unit tests
client-test: setup $(NODE_STAMP)
	npm run --silent check

# promptcoach-<version>.vsix with the server and its dependencies inside
vsix: setup $(NODE_STAMP)
	bash client/build/vsix.sh

# the .vsix in real VS Code (code-server + headless Chromium), installed into .e2e/
e2e: vsix
	bash e2e/run.sh
