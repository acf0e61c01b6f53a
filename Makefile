# The two commands that matter: `make book` builds the site, `make test` runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := --builder html -W -n --keep-going

LOCK := requirements/dev.lock

.PHONY: book serve test unit lint instructor voila session lab register bench bench-class validate chromium postgresql lock clean help scorm moodle \
	node_modules
help:
	@echo "make book        build the trainee site into _build/html (creates $(VENV) if needed)"
	@echo "make serve       build, then serve it on http://127.0.0.1:8000"
	@echo "make test        build, then run every test (lint, unit, kernel, browser)"
	@echo "make unit        the fast tests: no build, no browser, no kernel (seconds)"
	@echo "make lint        ruff on the Python code, ESLint on the JavaScript (installs node_modules)"
	@echo "make instructor  build the instructor edition into _build_instructor/html"
	@echo "make voila       serve the knowledge check (training records) with Voila on http://127.0.0.1:8866"
	@echo "make session     a live class session: class server for phones + instructor console on http://127.0.0.1:8867"
	@echo "                 (make session LAN=1: phones join over the clinic network; Ctrl-C stops it)"
	@echo "make lab         JupyterLab on http://127.0.0.1:8888 (open any book/cases page as a notebook)"
	@echo "make lock        upgrade the pinned, hashed dependencies in requirements/*.lock from requirements/*.in"
	@echo "make scorm       the knowledge check as SCORM 1.2 and 2004 packages, in _build/lms/"
	@echo "make moodle      the case bank as a Moodle XML question bank, in _build/lms/"
	@echo "make register    serve the clinic lead's training register (token-protected) on http://127.0.0.1:8869"
	@echo "make bench-class 20 trainees opening and submitting the knowledge check at once (time, memory, records)"

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 --display-name "Python 3" > /dev/null
	touch $@

book: $(STAMP)
	$(BIN)/skintriage validate
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Built. Open _build/html/index.html in a browser, or run: make serve"

serve: book
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

# The instructor edition: the trainee book plus book/instructor/, with config and toc derived from the trainee
# files. jupyter-book writes to <path-output>/_build/html; the link gives it the same shape as the trainee build.
instructor: $(STAMP)
	$(BIN)/skintriage validate
	$(BIN)/skintriage instructor-files _build_instructor
	$(BIN)/jupyter-book build . $(JB_FLAGS) --config _build_instructor/_config.yml --toc _build_instructor/_toc.yml --path-output _build_instructor
	ln -sfn _build/html _build_instructor/html
	@echo "Built. Open _build_instructor/html/index.html"

# The knowledge check for training records, set up for a class (skintriage.register.voila_class: a kernel
# pre-heated per expected trainee, CLASS=20 by default; idle orphaned kernels culled; a cap of twice the class,
# past which a trainee sees "the room is full" and the page retries by itself). The offline-lab template drops
# the CDN icon font Voila's lab template would load. Trainees pick their name from the roster: `skintriage staff
# import staff.csv` first. The apps' "Read again" links open the built book, which the course's Voila serves from
# /voila/files/_build/html/ and serves no other file (skintriage.web.voila_book; set SKINTRIAGE_SITE_URL to link
# to a published copy).
voila: $(STAMP) _build/html/index.html
	$(BIN)/python -m skintriage.register.voila_class notebooks/knowledge_check.ipynb 8866 $(if $(CLASS),--class-size $(CLASS))

# The clinic lead's training register. Voila prints the address with its access token; only someone with the
# token (or a password set in the Jupyter server config) can open it.
register: $(STAMP)
	$(BIN)/python -m skintriage.register.voila_class notebooks/training_register.ipynb 8869 --one-user --token

# The live class session: the class server (phones join it; LAN=1 puts it on the clinic network) and the
# instructor's console under Voila on 127.0.0.1:8867. Ctrl-C stops both. Data: data/ (SKINTRIAGE_DATA_DIR).
session: $(STAMP) _build/html/index.html
	$(BIN)/python -m skintriage.classroom.launch $(if $(LAN),--lan)

# The Voila apps link to the book: build it once if it is missing (make book rebuilds it when it changes).
_build/html/index.html:
	$(MAKE) book

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@if ! command -v chromium > /dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

# Development-only JavaScript, installed exactly as locked in package-lock.json: ESLint (make lint) and the
# scorm-again LMS runtime that hosts the SCORM package in the browser tests. Needs Node.js 20.19+ and npm
# (Debian: apt-get install nodejs npm).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if ! command -v npm > /dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm > /dev/null; \
	  else \
	    echo "make lint and the SCORM browser tests need Node.js and npm: sudo apt-get install nodejs npm" >&2; exit 1; \
	  fi; \
	fi
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@
node_modules: $(NODE_STAMP)

test: lint book instructor chromium postgresql $(NODE_STAMP)
	$(BIN)/python -m pytest -ra

# Files for a clinic's learning platform (see book/instructor/lms.md).
scorm: $(STAMP)
	$(BIN)/skintriage export scorm --out _build/lms/skintriage-knowledge-check-scorm12.zip
	$(BIN)/skintriage export scorm --scorm-version 2004 --out _build/lms/skintriage-knowledge-check-scorm2004.zip

moodle: $(STAMP)
	$(BIN)/skintriage export moodle-xml --out _build/lms/skintriage-question-bank.xml

unit: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not kernel and not build and not server and not slow"

lint: $(STAMP) node_modules
	$(BIN)/ruff check src tests benchmarks requirements
	$(BIN)/ruff format --check src tests benchmarks requirements
	node_modules/.bin/eslint --max-warnings 0 .

lab: $(STAMP)
	JUPYTER_PATH=notebooks/jupyter-data $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser

# Build speed and page weight against their targets (a clean build first: it deletes the caches); page weight,
# Lighthouse (from benchmarks/package-lock.json, against Debian's chromium), the jupyterquiz comparison and the
# scaling run; validating 5,000 cases; the class server with 200 simulated trainees (SQLite, then PostgreSQL);
# 20 trainees opening the Voila check at once; a longer fuzz run.
bench: $(STAMP)
	$(BIN)/python benchmarks/build_and_size.py
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	test -x benchmarks/node_modules/.bin/lighthouse || npm ci --prefix benchmarks --no-audit --no-fund || true
	$(BIN)/python benchmarks/site_bench.py --json _build/bench.json
	$(BIN)/python benchmarks/validate_scale.py
	$(BIN)/python benchmarks/class_load.py
	$(BIN)/python benchmarks/voila_class.py
	SKINTRIAGE_FUZZ_EXAMPLES=$${SKINTRIAGE_FUZZ_EXAMPLES:-1000} PYTHONPATH=. $(BIN)/python tests/fuzz_inputs.py

# Debian's PostgreSQL server binaries: the store tests run against a real server in a temporary folder.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null; \
	  else \
	    echo "The store tests need Debian's PostgreSQL server: sudo apt-get install postgresql" >&2; exit 1; \
	  fi; \
	fi

# Only the class benchmark: 20 trainees over loopback (time to a usable exam p50/p95, memory, records stored).
bench-class: $(STAMP)
	$(BIN)/python benchmarks/voila_class.py


validate: $(STAMP)
	$(BIN)/skintriage validate

# A real resolver (uv) upgrades every pin to the newest release the .in files allow, with hashes.
# dev.lock: everything (make installs it); apps.lock: book and live apps only (Binder).
UV_COMPILE = $(BIN)/uv pip compile --quiet --upgrade --generate-hashes --python-version 3.11.5 --custom-compile-command "make lock"
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(UV_COMPILE) requirements/book.in requirements/live.in requirements/test.in -o requirements/dev.lock
	$(UV_COMPILE) requirements/book.in requirements/live.in -c requirements/dev.lock -o requirements/apps.lock
	$(BIN)/python requirements/environment.py

clean:
	rm -rf _build _build_instructor .jupyter_cache .jupyter_cache.skintriage-inputs.txt book/cases/*.case
