# Chizu — the two commands for a fresh machine are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
APT_PACKAGES := pkg-config libgeos-dev libproj-dev proj-bin proj-data libsqlite3-dev libsqlite3-mod-spatialite \
                libgdal-dev gdal-bin spatialite-bin sqlite3 chromium chromium-driver fonts-ipafont-gothic
MAPLIBRE_WHEEL := maplibre==0.3.6
VENDOR_DIR ?= var/vendor/maplibre
SWIFT ?= swift
CONFIG ?= debug
CHIZU = .build/$(CONFIG)/chizu
DEMO_DIR ?= var/demo
PORT ?= 8080

HARD_APT_PACKAGES := wrk curl

.PHONY: setup setup-hard build release test browser-test demo clean check-hard check-hard-quick

## setup: install the Debian packages Chizu needs (idempotent; apt-get update only when something is missing)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "setup: system packages present"; fi
	@python3 -c "import owslib, mapbox_vector_tile" 2>/dev/null || { echo "setup: installing Python test clients (owslib, mapbox-vector-tile)"; \
	  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore owslib mapbox-vector-tile; }
	@python3 -c "import selenium" 2>/dev/null || { echo "setup: installing selenium (browser tests)"; \
	  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore selenium; }
	@# MapLibre GL JS 5.3.0 is not in the repo: take its two files from the PyPI wheel into a git-ignored folder.
	@if [ ! -s $(VENDOR_DIR)/maplibre-gl.js ] || [ ! -s $(VENDOR_DIR)/maplibre-gl.css ]; then \
	  echo "setup: fetching MapLibre GL JS ($(MAPLIBRE_WHEEL)) into $(VENDOR_DIR)"; \
	  tmp=$$(mktemp -d) && python3 -m pip download -q --disable-pip-version-check --no-deps --dest $$tmp $(MAPLIBRE_WHEEL) && \
	  mkdir -p $(VENDOR_DIR) && python3 -m zipfile -e $$tmp/maplibre-*.whl $$tmp/x && \
	  cp $$tmp/x/maplibre/srcjs/maplibre-gl.js $$tmp/x/maplibre/srcjs/maplibre-gl.css $(VENDOR_DIR)/ && rm -rf $$tmp; \
	else echo "setup: MapLibre GL JS present"; fi

build: setup
	$(SWIFT) build -c $(CONFIG)

release:
	$(MAKE) build CONFIG=release

## test: set up, build, run every test, then the web map's browser tests
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --parallel --num-workers 2
	$(MAKE) browser-test

## browser-test: the web map in headless Chromium over a sample city (screenshots in var/browser-test)
browser-test:
	python3 Tests/Browser/map_browser_test.py --chizu .build/debug/chizu --out var/browser-test

## check-hard: load, re-ingest under load, crash safety, hostile input, access control, resource limits;
## prints a summary table (var/hard/results.tsv). PARTS=... runs some of them (load reingest crash hostile access limits).
check-hard: setup-hard
	hard/run.sh $(PARTS)

## check-hard-quick: the short versions of the same checks, on the debug build (run by CI after make test)
check-hard-quick: setup-hard
	hard/run.sh --quick $(PARTS)

## setup-hard: what the hardening checks need beyond `make setup` (wrk; schemathesis from PyPI)
setup-hard: setup
	@missing=""; for p in $(HARD_APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup-hard: installing$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@python3 -c "import schemathesis" 2>/dev/null || { echo "setup-hard: installing schemathesis"; \
	  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore schemathesis; }

## demo: set up, build, make the sample city, load it, and serve it on http://127.0.0.1:$(PORT)
demo: build
	@mkdir -p $(DEMO_DIR)
	$(CHIZU) layers --layers layers
	$(CHIZU) sample --out $(DEMO_DIR)/sample --scale 1 --seed 1
	rm -f $(DEMO_DIR)/chizu.sqlite*
	$(CHIZU) db init --db $(DEMO_DIR)/chizu.sqlite --layers layers
	$(CHIZU) ingest --db $(DEMO_DIR)/chizu.sqlite --layers layers --all $(DEMO_DIR)/sample
	$(CHIZU) db info --db $(DEMO_DIR)/chizu.sqlite
	$(CHIZU) serve --db $(DEMO_DIR)/chizu.sqlite --layers layers --port $(PORT)

clean:
	rm -rf .build var
