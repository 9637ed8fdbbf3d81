# Homeroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
SIM_PORT ?= 8900
export FLASK_APP := app

.PHONY: run test lint chromium pdf-fonts clean
APT_INSTALL = SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
  $$SUDO apt-get update -qq && \
  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==24.3.1

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

SIM_TOKEN ?= demo-simulator-token

# Migrate, seed the demo school when empty, then run the Canvas simulator
# (unless a real Canvas is configured), the worker and the web server until
# Ctrl-C stops them all.
run: $(VENV)/.runtime pdf-fonts
	@$(BIN)/flask db upgrade
	@set -e; trap 'trap "" INT TERM; trap - EXIT; kill 0; wait; exit 0' \
	  INT TERM EXIT; \
	canvas=$$($(BIN)/flask canvas use-simulator \
	  --url http://127.0.0.1:$(SIM_PORT) --token $(SIM_TOKEN)); \
	if [ "$$canvas" = simulator ]; then \
	  $(BIN)/python -m canvas_sim --port $(SIM_PORT) --token $(SIM_TOKEN) \
	    --db instance/canvas_sim.db --autofill --log-level warning & \
	fi; \
	$(BIN)/flask seed-demo --if-empty; \
	if [ "$$canvas" = simulator ]; then $(BIN)/flask canvas sync --all; fi; \
	$(BIN)/flask worker & \
	echo "Homeroom: http://$(HOST):$(PORT)  (Canvas: $$canvas; Ctrl-C stops)"; \
	$(BIN)/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) \
	  --access-logfile - 'app:create_app()'

# DejaVu Sans lets the PDF documents print any name, not only Latin-1.
pdf-fonts:
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || { \
	  echo "Installing Debian's fonts-dejavu-core for the PDF documents"; \
	  $(APT_INSTALL) fonts-dejavu-core >/dev/null; }

# Debian's Chromium for the browser tests; installed, never skipped.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(APT_INSTALL) chromium >/dev/null; }

test: $(VENV)/.dev chromium pdf-fonts
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
