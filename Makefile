# Prompt Coach — every target works on a fresh machine: it depends on `setup`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean

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
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules dist out .pytest_cache
