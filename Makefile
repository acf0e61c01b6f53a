# The two commands that matter: `make book` builds the site, `make test` runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := --builder html -W -n --keep-going

.PHONY: book serve test instructor voila session bench validate chromium lock clean help
help:
	@echo "make book        build the trainee site into _build/html (creates $(VENV) if needed)"
	@echo "make serve       build, then serve it on http://127.0.0.1:8000"
	@echo "make test        build, then run every test (unit, kernel, browser)"
	@echo "make instructor  build the instructor edition into _build_instructor/html"
	@echo "make voila       serve the knowledge check (training records) with Voila on http://127.0.0.1:8866"
	@echo "make session     serve the instructor session (project cases, quiz the room) on http://127.0.0.1:8867"

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
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

# The knowledge check for training records. The offline-lab template drops the CDN icon font Voila's lab
# template would load. The apps' "Read again" links open the built book, which Voila serves from
# /voila/files/_build/html/ (set SKINTRIAGE_SITE_URL to link to a published copy instead); tests/voila_server.py
# starts Voila with the same settings.
VOILA_BOOK := SKINTRIAGE_SITE_URL=$${SKINTRIAGE_SITE_URL:-/voila/files/_build/html}
VOILA_FILES := --Voila.root_dir=. --VoilaConfiguration.file_allowlist="['_build/html/.*', '.*\.(png|jpg|gif|svg)']"
voila: $(STAMP) _build/html/index.html
	$(VOILA_BOOK) JUPYTER_PATH=notebooks/jupyter-data $(BIN)/voila notebooks/knowledge_check.ipynb --template=offline-lab --Voila.ip=127.0.0.1 --no-browser $(VOILA_FILES)

# The instructor's live session: project cases, drive the quizzes, reveal the rules' verdict.
session: $(STAMP) _build/html/index.html
	$(VOILA_BOOK) JUPYTER_PATH=notebooks/jupyter-data $(BIN)/voila notebooks/instructor_session.ipynb --template=offline-lab --Voila.ip=127.0.0.1 --port=8867 --no-browser $(VOILA_FILES)

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

test: book instructor chromium
	$(BIN)/python -m pytest -ra

# Build speed and page weight against their targets (a clean build first: it deletes the caches).
bench: $(STAMP)
	$(BIN)/python benchmarks/build_and_size.py

validate: $(STAMP)
	$(BIN)/skintriage validate

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^skintriage' > requirements.lock

clean:
	rm -rf _build _build_instructor .jupyter_cache
