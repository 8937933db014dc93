# Quick start: `make site` builds site/ from content/; `make test` runs every test.
# Both set up .venv from the pinned requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site test serve bench clean system-deps lexicon golden

$(READY): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(READY)

site: $(READY) lexicon
	$(BIN)/python build.py

NODE_READY := node_modules/.ready

$(NODE_READY): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE_READY)

# Browser tests need Debian's chromium (and java for the Nu checker): installed when missing.
test: $(READY) $(NODE_READY) system-deps lexicon
	$(BIN)/python -m pytest

serve: $(READY) lexicon
	$(BIN)/mkdocs serve

clean:
	rm -rf site .cache test-artifacts

# WordNet (Debian's wordnet-base) gives the aligner its synonyms, offline (apt-get: needs root when missing).
# Apertium (Debian's engine and its pairs into English) translates Serbian/Croatian/Bosnian and Spanish;
# Ding (dict-de-en) and FreeDict's X-English dictionaries gloss German, French and the rest.
FREEDICT := deu srp hrv spa fra
APERTIUM := hbs-eng eng-spa
lexicon:
	test -f /usr/share/wordnet/index.noun || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base)
	for d in $(FREEDICT); do test -f /usr/share/dictd/freedict-$$d-eng.index || missing="$$missing dict-freedict-$$d-eng"; done; \
	test -f /usr/share/dictd/german-english.index || missing="$$missing dict-de-en"; \
	command -v apertium >/dev/null || missing="$$missing apertium"; \
	for p in $(APERTIUM); do test -d /usr/share/apertium/apertium-$$p || missing="$$missing apertium-$$p"; done; \
	test -z "$$missing" || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing)

# What a clean Debian machine lacks for the browser tests (apt-get: needs root when missing).
system-deps:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)
	command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)

# `make bench` runs every part below, one after another; each part runs alone too (how long each
# takes on this project's 2-core machine: docs/performance.md).
BENCH_PARTS := bench-quality bench-align bench-build bench-serve bench-corpus
.PHONY: $(BENCH_PARTS)
bench: $(BENCH_PARTS)

bench-quality: $(READY) lexicon
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.real_quality
	$(BIN)/python -m bench.business_quality
	$(BIN)/python -m bench.real_misses --split dev
	$(BIN)/python -m bench.real_misses --split test
	$(BIN)/python -m bench.fit_link_model
	$(BIN)/python -m bench.story_run
	$(BIN)/python -m bench.story_misses
	$(BIN)/python -m bench.crosslang
	$(BIN)/python -m bench.crosslang_misses
	$(BIN)/python -m bench.call_quality  # held out: report only, never tuned on

bench-align: $(READY) lexicon
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.wire_run
	$(BIN)/python -m bench.incremental

bench-build: $(READY) lexicon
	$(BIN)/python -m bench.full_build --kind wire --sizes 1000
	$(BIN)/python -m bench.full_build --kind wire34 --sizes 1000
	$(BIN)/python -m bench.full_build --kind sparse --sizes 1000
	$(BIN)/python -m bench.full_build --kind story --sizes 1000
	$(BIN)/python -m bench.engines --kind sparse --sizes 1000 --check
	$(BIN)/python -m bench.engines --kind wire --sizes 1000 --check

bench-corpus: $(READY) lexicon
	$(BIN)/python -m bench.corpus --kind mixed --articles 20000 --engine dask
	$(BIN)/python -m bench.corpus --kind mixed --articles 10000 --engine local
	$(BIN)/python -m bench.corpus --kind story --articles 10000 --engine local

bench-serve: $(READY) lexicon
	$(BIN)/python -m bench.serve_latency
	$(BIN)/python -m bench.serve_latency --kind wire --sizes 100 1000
	$(BIN)/python -m bench.serve_latency --kind wire34 --sizes 1000
	$(BIN)/python -m bench.serve_latency --kind sparse --sizes 100 1000
	$(BIN)/python -m bench.serve_latency --kind story --sizes 1000

# Regenerate the golden files of rendered Markdown after an intended template change.
golden: $(READY) lexicon
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
