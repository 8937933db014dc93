# Quick start: `make site` builds site/ from content/; `make test` runs every test.
# Both set up .venv from the pinned requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site test serve bench clean

$(READY): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(READY)

site: $(READY)
	$(BIN)/python build.py

test: $(READY)
	$(BIN)/python -m pytest

serve: $(READY)
	$(BIN)/mkdocs serve

clean:
	rm -rf site .cache

bench: $(READY)
	$(BIN)/python -m bench.devset
	$(BIN)/python -m bench.run
