# Chizu — the two commands for a fresh machine are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
APT_PACKAGES := pkg-config libgeos-dev libproj-dev proj-bin proj-data libsqlite3-dev libsqlite3-mod-spatialite \
                libgdal-dev gdal-bin spatialite-bin sqlite3
SWIFT ?= swift
CONFIG ?= debug
CHIZU = .build/$(CONFIG)/chizu
DEMO_DIR ?= var/demo
PORT ?= 8080

.PHONY: setup build release test demo clean

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

build: setup
	$(SWIFT) build -c $(CONFIG)

release:
	$(MAKE) build CONFIG=release

## test: set up, build, run every test
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --parallel --num-workers 2

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
