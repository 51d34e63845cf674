# Two commands on a fresh machine:  `make run` (set up, run the default scenario)
# and `make test` (set up, run the tests). Both only need Python >= 3.12 and make.
PYTHON ?= $(shell .ci/find-python)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup benchmark clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "no Python >= 3.12 found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/isolation-sim run scenarios/baseline.toml

# The browser tests drive Chromium: .ci/find-chromium finds it or installs Debian's.
test: $(STAMP)
	CHROMIUM="$$(.ci/find-chromium)" $(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/sweep.py
	$(BIN)/python benchmarks/app.py

clean:
	rm -rf $(VENV) results
