# The two commands: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test prod-local lint typecheck pytest install system-packages clean

demo: $(STAMP)
	$(BIN)/onedoor demo

test: $(STAMP) system-packages lint typecheck pytest

install: $(STAMP)

# The production shape on this machine: PostgreSQL plus one process per component.
prod-local: $(STAMP) system-packages
	$(BIN)/python scripts/prod_local.py

$(STAMP): pyproject.toml scripts/bootstrap-venv.sh
	scripts/bootstrap-venv.sh "$(PYTHON)" "$(VENV)"
	touch $(STAMP)

system-packages:
	scripts/ensure-system-packages.sh

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
