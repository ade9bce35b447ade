# Two commands from a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export SECORGS_RENDERER := book
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test check-data vendor outputs unit nbval browser pdf student lab screenshots bench bench-pages clean help chromium

help:
	@echo "make book        build the HTML book into _build/html (creates .venv, installs pinned packages)"
	@echo "make test        run every test: data check, unit tests, nbval, prose numbers, built pages in Chromium"
	@echo "make check-data  validate every CSV in data/ and list all problems"
	@echo "make outputs     re-execute every chapter notebook in place (make book re-executes only stale ones)"
	@echo "make pdf         print every page and the whole book to _build/html/pdf/ with Chromium (make book does too)"
	@echo "make student     the student edition, without solutions, into _build/student/"
	@echo "make lab         JupyterLab on the chapters, with the book's package and data"
	@echo "make screenshots every chapter at desktop and phone widths into _build/screenshots/"
	@echo "make bench       time clean and incremental builds and make test; writes benchmarks/results.md"

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

check-data: $(VENV)/.installed
	$(PY) -m secorgs.build.check

vendor: $(VENV)/.installed node_modules/.installed
	$(PY) -m secorgs.build.book vendor

# secorgs.build.book validates the data when any file in data/ changed (make lists no data file, so a
# file name with a space cannot break a rule; the checker reports undeclared files), vendors the
# offline assets, re-executes the stale notebooks, writes the figures and runs Jupyter Book
# (-W -n --keep-going) in _build/stage, publishing to _build/html only after a successful build.
# With nothing changed since the last successful build it stops after comparing one stamp.
book: $(VENV)/.installed node_modules/.installed chromium
	$(PY) -m secorgs.build.book

# The book prints its PDFs with Debian's Chromium (installed with apt-get when missing).
chromium:
	bash tests/install_chromium.sh

outputs: $(VENV)/.installed node_modules/.installed
	$(PY) -m secorgs.build.book check vendor execute --all

unit: check-data vendor
	$(PY) -m pytest tests -m "not browser" -q

nbval: check-data vendor
	$(PY) -m pytest --nbval chapters --nbval-sanitize-with tests/sanitize.cfg -q -p no:cacheprovider

browser: book
	$(PY) -m pytest tests -m browser -q

test: check-data vendor
	$(PY) -m pytest tests -m "not browser" -q
	$(PY) -m pytest --nbval chapters --nbval-sanitize-with tests/sanitize.cfg -q -p no:cacheprovider
	$(MAKE) browser

pdf: book
	$(PY) -m secorgs.build.pdf

student: book
	$(PY) -m secorgs.build.student

$(VENV)/.installed-lab: requirements-lab.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt
	touch $@

# JupyterLab's own renderer draws the charts (the book's build sets its renderer for its kernels only).
# LAB_ARGS passes options to JupyterLab, e.g. make lab LAB_ARGS="--no-browser --port 8899".
lab: $(VENV)/.installed-lab
	env -u SECORGS_RENDERER PYTHONPATH=$(CURDIR) $(VENV)/bin/jupyter lab --notebook-dir=$(CURDIR) \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) chapters/

screenshots: book
	$(PY) -m secorgs.build.screenshots

bench: $(VENV)/.installed node_modules/.installed
	$(PY) benchmarks/bench.py

# Page weight and Lighthouse's mobile audit per chapter (installs the dev dependency Lighthouse).
bench-pages: book
	npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed
	$(PY) benchmarks/pages.py

clean:
	rm -rf _build figures/*.svg figures/*.png figures/.hashes.json
