# `make site` and `make test` set themselves up: they create .venv and install the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
JOBS ?=

.PHONY: site test bench serve check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,pdf,zensical]"
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/trialoog build portfolios --out site $(if $(JOBS),--jobs $(JOBS))
	@echo "Klaar: open site/index.html (of: make serve)"

check: $(STAMP)
	$(BIN)/trialoog check portfolios

serve: $(STAMP)
	$(BIN)/trialoog serve portfolios

test: $(STAMP)
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

# Check against the raw YAML floor (about a minute), then the site build against plain MkDocs
# (300 students: about 10 minutes a round), serve's save-to-reload time, and how a build grows and
# scales out (own share, 30/100/300 students, memory, Zensical, shards: the longest part).
# Smaller: make bench BENCH_ARGS="--students 40" SCALE_ARGS="--sizes 10,20,40 --entries 40".
BENCH_ARGS ?=
SCALE_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/bench.py $(BENCH_ARGS)
	$(BIN)/python bench/build_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/serve_bench.py
	$(BIN)/python bench/scale_bench.py $(SCALE_ARGS)

clean:
	rm -rf site .pytest_cache .mypy_cache
