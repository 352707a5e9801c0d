# Two commands do all set-up: `make demo` runs the main job, `make test` runs the whole test suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test clean

$(BIN)/nbdev-export: pyproject.toml
	@echo "[install 1/3] virtual environment $(VENV)"
	$(PY) -m venv $(VENV)
	@echo "[install 2/3] torch 2.14.1 and torchvision 0.29.1 (pinned; pip shows its progress)"
	$(BIN)/pip install --progress-bar on torch==2.14.1 torchvision==0.29.1
	@echo "[install 3/3] prism_nb and its dependencies, editable, with the dev extras"
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	@echo "[install] done: $(VENV) holds $$(du -sh $(VENV) | cut -f1)"
	touch $@

install: $(BIN)/nbdev-export

demo: install
	$(BIN)/prism-nb demo

test: install
	BIN=$(BIN) bash tests/check_sync.sh
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q tests

clean:
	rm -rf $(VENV) runs
