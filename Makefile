# Two commands a newcomer needs: `make run` (install, ingest corpus/, start the chat) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install native-llama browser run test check lint ingest clean bench reliability

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory native-llama
	rm -f $(VENV)/.installed-*
	touch $@

# llama.cpp built for this CPU: PyPI's xllamacpp wheel uses AVX2 at most; a build with -march=native read
# prompts 1.8x faster on this AVX-512/VNNI CPU (96 -> 177 tokens/s; generation 35 -> 37). Built once per
# version, CPU and compiler into ~/.cache/rag-wheels (not pip's cache, which is not keyed by CPU); a failed
# build keeps PyPI's wheel; RAG_NATIVE_LLAMA=0 skips it.
native-llama:
	@if [ "$(RAG_NATIVE_LLAMA)" = "0" ]; then echo "RAG_NATIVE_LLAMA=0: keeping PyPI's prebuilt llama.cpp"; exit 0; fi; \
	version=$$(sed -n 's/.*"xllamacpp==\([^"]*\)".*/\1/p' pyproject.toml); \
	key=$$( (grep -m1 '^flags' /proc/cpuinfo; uname -m; cc --version 2>&1 | head -1) | cksum | cut -d' ' -f1); \
	wheels=$$HOME/.cache/rag-wheels/xllamacpp-$$version-$$key; \
	if ! ls $$wheels/xllamacpp-*.whl >/dev/null 2>&1; then \
	  echo "Building llama.cpp (xllamacpp $$version) for this CPU: once per machine, about 5 minutes..."; \
	  rm -rf $$wheels.tmp && mkdir -p $$wheels.tmp; \
	  CMAKE_ARGS="-DLLAMA_LLGUIDANCE=OFF -DLLAMA_BUILD_BORINGSSL=OFF" $(BIN)/python -m pip wheel --quiet \
	    --no-cache-dir --no-deps --no-binary xllamacpp "xllamacpp==$$version" -w $$wheels.tmp >$$wheels.log 2>&1 \
	    && mv $$wheels.tmp $$wheels \
	    || { rm -rf $$wheels.tmp; echo "warning: building llama.cpp failed (log: $$wheels.log); keeping PyPI's prebuilt wheel" >&2; exit 0; }; \
	fi; \
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall $$wheels/xllamacpp-*.whl && \
	$(BIN)/python -c "import xllamacpp; print('llama.cpp:', xllamacpp.get_system_info().strip())"

ingest: install
	$(BIN)/rag ingest

run: ingest
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy rag app.py app_pages

# Debian's Chromium drives the browser tests; installed where this user can (root with apt-get), as CI does.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "warning: could not install chromium with apt-get" >&2; }; } || true

test: lint browser
	$(BIN)/pytest -q
	@command -v chromium >/dev/null 2>&1 || echo "Browser tests were skipped: Chromium is not installed (as root: apt-get install chromium, then make test again)."

# The fast tier: ruff, mypy and the tests that need neither the LLM, a browser nor a server process (< 1 min).
check: lint
	$(BIN)/pytest -q -m "not llm and not server and not slow" -p no:cacheprovider

clean:
	rm -rf .rag .pytest_cache .mypy_cache .ruff_cache

bench: install
	$(BIN)/python bench/run.py

# The reliability suite (bad input, faults, concurrency, prompt injection, crashes) and its report.
reliability: install
	$(BIN)/pytest -q -m reliability --reliability-report=reliability/report.md tests
