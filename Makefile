# The two commands the README promises on a fresh machine:
#   make demo   — set up, then run one whole reporting cycle on the embedded default
#   make test   — set up, then lint and run the whole test suite
VENV ?= .venv

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

.PHONY: demo test bench
demo: $(VENV)/.installed
	$(VENV)/bin/phoihop demo

test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

bench: $(VENV)/.installed
	bash bench/run_all.sh
