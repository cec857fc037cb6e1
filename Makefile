# The README's commands. `make run` builds the graph; `make test` runs the tests;
# `make bench` measures every step at each size in SIZES and writes docs/benchmarks.md.
PYTHON ?= python3
SIZES ?= 1000 10000
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench check lint clean

run: $(VENV)/.installed
	$(BIN)/actorgraph build

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench.py --sizes $(SIZES)

check: $(VENV)/.installed
	$(BIN)/actorgraph check

lint: $(VENV)/.installed
	$(BIN)/ruff check graph tests benchmarks
	$(BIN)/ruff format --check graph tests benchmarks

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
