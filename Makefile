# Two commands from a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export SECORGS_RENDERER := book
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test check-data vendor outputs unit nbval browser pdf screenshots bench clean help

help:
	@echo "make book        build the HTML book into _build/html (creates .venv, installs pinned packages)"
	@echo "make test        run every test: data check, unit tests, nbval, prose numbers, built pages in Chromium"
	@echo "make check-data  validate every CSV in data/ and list all problems"
	@echo "make outputs     re-execute every chapter notebook in place (make book re-executes only stale ones)"
	@echo "make pdf         print the built book to _build/book.pdf with Chromium"
	@echo "make screenshots every chapter at desktop and phone widths into _build/screenshots/"
	@echo "make bench       time clean and incremental builds and make test; writes benchmarks/results.md"

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

check-data: $(VENV)/.installed
	$(PY) -m secorgs.build.check

# The build validates the data again whenever a data file, the bibliography or the schema changed.
_build/.data-valid: $(VENV)/.installed $(wildcard data/*.csv) references.bib secorgs/schema.py
	$(PY) -m secorgs.build.check
	mkdir -p _build && touch $@

vendor: $(VENV)/.installed node_modules/.installed
	$(PY) -m secorgs.build.vendor

# Notebooks are executed by secorgs.build.execute (only those whose code, data or package changed, in
# parallel), figures are written from their stored outputs, then Sphinx renders the stored outputs.
book: _build/.data-valid vendor
	$(PY) -m secorgs.build.execute
	$(PY) -m secorgs.build.figures
	$(VENV)/bin/jupyter-book build . -W -n --keep-going

outputs: check-data vendor
	$(PY) -m secorgs.build.execute --all

unit: check-data vendor
	$(PY) -m pytest tests -m "not browser" -q

nbval: check-data vendor
	$(PY) -m pytest --nbval chapters --nbval-sanitize-with tests/sanitize.cfg -q -p no:cacheprovider

browser: book
	bash tests/install_chromium.sh
	$(PY) -m pytest tests -m browser -q

test: check-data vendor
	$(PY) -m pytest tests -m "not browser" -q
	$(PY) -m pytest --nbval chapters --nbval-sanitize-with tests/sanitize.cfg -q -p no:cacheprovider
	$(MAKE) browser

pdf: book
	bash tests/install_chromium.sh
	$(PY) -m secorgs.build.pdf

screenshots: book
	bash tests/install_chromium.sh
	$(PY) -m secorgs.build.screenshots

bench: $(VENV)/.installed node_modules/.installed
	$(PY) benchmarks/bench.py

clean:
	rm -rf _build figures/*.svg figures/*.png
