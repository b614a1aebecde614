# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866

.PHONY: serve test lint install install-test clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

# configurable-http-proxy, JupyterHub's proxy, from npm (for the multi-user test and deploy/).
CHP := $(VENV)/chp/node_modules/.bin/configurable-http-proxy
$(CHP):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/chp configurable-http-proxy@5.3.0

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(CHP)

## serve: install, migrate the SQLite database, seed demo data if empty, start Voila
serve: install
	$(BIN)/casework init
	$(BIN)/casework demo --if-empty --persons 5000 --seed 1
	# An extract in the current form names months_out_at_registration; an older one is rewritten.
	grep -qs months_out_at_registration data/extracts/demo/dictionary.json || \
		CASEWORK_USER=demo-researcher $(BIN)/casework extract --out data/extracts/demo \
		--purpose "The demo's evaluation pages"
	$(BIN)/casework serve --port $(PORT)

## test: install the test dependencies and run the whole suite
test: install-test
	$(BIN)/ruff check casework evaluation tests benchmarks
	# Two workers (this machine has two cores); a file's tests stay on one worker, so
	# module-scoped data sets and Voila servers are built once per file.
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadfile --durations=15 tests

## bench: time every target of issue 16 (benchmarks/README.md) into benchmarks/results.json.
## BENCH_PERSONS (default 1,000,000) sizes the city-sized demo; the scripts run one at a time.
BENCH_SCRIPTS := machine record_visit overdue_list demo_city person_search extract_city \
	evaluation_city voila_pages
bench: $(VENV)/.installed-test
	mkdir -p benchmarks/out
	rm -f benchmarks/out/*.json
	for script in $(BENCH_SCRIPTS); do \
		echo "benchmarks/$$script.py"; \
		$(BIN)/python -m benchmarks.$$script > benchmarks/out/$$script.json \
			|| echo "benchmarks/$$script.py failed" >&2; \
	done
	$(BIN)/python -m benchmarks.collect

lint: install-test
	$(BIN)/ruff check casework evaluation tests benchmarks

clean:
	rm -rf $(VENV) data/*.db data/*.db-*
