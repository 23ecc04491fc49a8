# Two entry points: `make` (set up, build the package, run its pipeline tests)
# and `make test` (the whole test suite). Both need nothing beside this clone and, once the
# dependencies are installed, no network. CI (.ci/run) adds its shared checks after them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: all setup build test elastic-package-judge clean

all: build
	$(BIN)/python build.py --with-dev --no-zip --out build/test-package
	$(BIN)/fleetpkg test pipeline --package build/test-package --coverage

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

build: setup
	$(BIN)/python build.py

test: setup
	$(BIN)/python build.py --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@$(MAKE) --no-print-directory hbs-judge
	PY=$(BIN)/python bash scripts/elastic_package_check.sh
	$(BIN)/python -m pytest

# elastic-package as a judge of the built package (docs/fleetpkg/elastic-package.md); part of `test`,
# before pytest, which then finds the binary it installed (tests/unit/test_elastic_package_judge.py
# runs the real lint on its fixtures). Without Go it prints one "skipped:" line.
elastic-package-judge: setup
	PY=$(BIN)/python bash scripts/elastic_package_check.sh

# Handlebars.js (npm `handlebars`, pinned in tools/hbs/package-lock.json), the judge of fleetpkg's
# Handlebars in tests/policy/test_hbs_*.py; installed into tools/hbs/node_modules, reused when
# it is newer than the lock file. It also parses the package's stream templates itself.
.PHONY: hbs-judge
HBS := tools/hbs
hbs-judge:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  if [ ! $(HBS)/node_modules/.package-lock.json -nt $(HBS)/package-lock.json ]; then \
	    npm ci --prefix $(HBS) --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  fi; \
	  node $(HBS)/check.js data_stream/*/agent/stream/*.yml.hbs; \
	else echo "skipped: Handlebars.js (no Node.js)"; fi

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
