# Two commands do all set-up: `make demo` and `make test`. Both create .venv and install the library first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.repsim-installed
DEMO_ARGS ?=
TEST_FLAGS ?=

.PHONY: install demo test sync readme execute docs-check repro-small clean

$(STAMP): settings.ini setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2> >(grep -v "is ignored: it is neither" >&2)
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/repsim demo $(DEMO_ARGS)

# notebooks and library must agree, then every notebook's tests run; the last line is 'N passed, N failed'
test: $(STAMP)
	$(BIN)/python tools/check_sync.py
	$(BIN)/python tools/test_notebooks.py $(TEST_FLAGS)

sync: $(STAMP)
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(BIN)/python tools/readme.py

readme: $(STAMP)
	$(BIN)/python tools/readme.py

# re-run every notebook in place so the committed outputs (shown in the docs) are fresh
execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py
	$(MAKE) sync

# what the docs workflow does before Quarto renders (Quarto itself is not needed): writes _proc/, then checks that
# every notebook is in the sidebar and that no intra-site link is broken
docs-check: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbdev_proc_nbs
	$(BIN)/python tools/check_docs.py

# every paper reproduction (nbs/repro) at its small preset, through papermill, into results/repro; trained networks
# are cached in $$REPSIM_CACHE (default ~/.cache/repsim_nb); the last line is 'N passed, N failed'
repro-small: $(STAMP)
	$(BIN)/repsim repro all --preset small --out results/repro --no-progress

clean:
	rm -rf $(VENV) _docs _proc results build dist *.egg-info
