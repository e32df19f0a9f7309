# Every target creates .venv on first use and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run demo test bench clean system-libs

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# An editable install is not byte-compiled by pip; compiling here starts the window as fast as an
# installed copy, even where PYTHONDONTWRITEBYTECODE is set.
$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	$(PY) -m compileall -q clientdesk
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m compileall -q clientdesk
	@touch $@ $(RUN_STAMP)

# Qt needs a few shared libraries that minimal systems lack; installs them only where missing.
system-libs: | $(PY)
	@sh packaging/ensure-qt-system-libs.sh $(PY)

run: $(RUN_STAMP) system-libs
	$(PY) -m clientdesk

demo: $(RUN_STAMP) system-libs
	$(PY) -m clientdesk --demo

test: $(TEST_STAMP) system-libs
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(TEST_STAMP) system-libs
	$(PY) -m compileall -q clientdesk
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
