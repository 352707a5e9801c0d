# Two commands do all set-up: `make demo` runs the main job, `make test` runs the whole test suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test clean

$(BIN)/nbdev-export: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/nbdev-export

demo: install
	$(BIN)/prism-nb demo

test: install
	BIN=$(BIN) bash tests/check_sync.sh
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q tests

clean:
	rm -rf $(VENV) runs
