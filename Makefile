# stce: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STCE := $(BIN)/stce
DEMO_DIR ?= demo
DEMO_N ?= 20000
export STCE_DATA_DIR ?= $(CURDIR)/$(DEMO_DIR)/data
# Offline mirror of the official reference files (air-gapped networks import from one).
export STCE_MIRROR ?= $(abspath $(CURDIR)/../shared/data)

.PHONY: demo test venv lint typecheck pytest bench clean

$(BIN)/activate: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/activate

venv: $(BIN)/activate

demo: venv
	@mkdir -p $(DEMO_DIR)
	@test -d "$(STCE_MIRROR)" || echo "note: no reference mirror at $(STCE_MIRROR); set STCE_MIRROR"
	$(STCE) refdata import "$(STCE_MIRROR)"
	$(STCE) sample --n $(DEMO_N) --seed 1540 --out $(DEMO_DIR)/declarations.jsonl --truth $(DEMO_DIR)/truth.jsonl
	$(STCE) screen $(DEMO_DIR)/declarations.jsonl --out $(DEMO_DIR)/results

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: venv
	$(BIN)/mypy src

pytest: venv
	$(BIN)/pytest

test: lint typecheck pytest

bench: venv
	$(BIN)/python bench/screen.py

clean:
	rm -rf $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
