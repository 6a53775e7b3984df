# Two entry points for a fresh machine: `make try` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

.PHONY: setup try test lint bench
setup: $(STAMP)

try: $(STAMP)
	$(VENV)/bin/lotse shell --demo

test: $(STAMP)
	$(VENV)/bin/ruff check bot plugins tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -ra

bench: $(STAMP)
	$(VENV)/bin/python -m benchmarks
