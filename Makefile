# The two commands of the README: `make site` builds the bilingual site, `make test` runs the tests.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# npm ci writes this file last: it stands for an installed node_modules.
NODE_STAMP := node_modules/.package-lock.json
PORT   ?= 8000

.PHONY: site pdf test lint format serve bench lighthouse node-deps browser-deps clean

site: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m platformgov build

# The site with a PDF of each edition (_build/site/ko/platformgov-ko.pdf, …/en/…), which
# `make site` makes too unless PLATFORMGOV_PDF=0.
pdf: $(STAMP) $(NODE_STAMP)
	PLATFORMGOV_PDF=1 $(BIN)/python -m platformgov build

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# Serve the built site with compression, as a real host would.
serve: $(STAMP)
	$(BIN)/python -m platformgov.site.serve _build/site --port $(PORT)

# Build and size figures, printed (never asserted); the builds run in a temporary copy of the
# repository. BENCH_ARGS passes options, e.g. BENCH_ARGS=--skip-floor.
bench: $(STAMP) $(NODE_STAMP)
	$(BIN)/python benchmarks/build.py $(BENCH_ARGS)

# Lighthouse scores of every chapter page of the built site (run `make site` first).
lighthouse: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m platformgov.site.lighthouse _build/site

# Node packages pinned in package-lock.json: MathJax, which typesets the formulas while the
# book is built, and the browser checks' tools (axe-core, Lighthouse), which drive Debian's
# Chromium: no browser is downloaded.
node-deps: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  PUPPETEER_SKIP_DOWNLOAD=1 CHROMEDRIVER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error; \
	else \
	  echo "npm not found: the site cannot be built and the browser checks will be skipped (sudo make browser-deps installs Node.js and npm)"; \
	fi

# Debian packages for the browser checks and the PDFs (Chromium, its driver, a CJK font,
# poppler-utils, Node.js with npm and Java for the HTML checker, where the machine has none);
# needs root.
browser-deps:
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk poppler-utils >/dev/null
	command -v npm >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
	command -v java >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null

$(STAMP): requirements.txt pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf _build
