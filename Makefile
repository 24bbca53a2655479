# Two commands a newcomer needs: `make run` (install, ingest corpus/, start the chat) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint ingest clean bench reliability

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

ingest: install
	$(BIN)/rag ingest

run: ingest
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy rag app.py

test: lint
	$(BIN)/pytest -q

clean:
	rm -rf .rag .pytest_cache .mypy_cache .ruff_cache

bench: install
	$(BIN)/python bench/run.py

# The reliability suite (bad input, faults, concurrency, prompt injection, crashes) and its report.
reliability: install
	$(BIN)/pytest -q -m reliability --reliability-report=reliability/report.md tests
