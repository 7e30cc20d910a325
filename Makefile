# The two commands of the README: `make run` and `make test`. Each installs what it needs.
PORT ?= 8000
HOST ?= 127.0.0.1
export TILLIT_DATA_DIR ?= $(CURDIR)/var
VENV := .venv
TILLIT := $(VENV)/bin/tillit

.PHONY: run test setup lint typecheck migrations-check pytest e2e messages bench clean

setup:
	@scripts/setup.sh

run: setup
	@DEBUG=1 $(TILLIT) migrate --noinput -v 0
	@DEBUG=1 $(TILLIT) demo-data --brief
	@echo ""
	@echo "  Tillit is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password tillit-demo): anna@exempelstad.se (team member), coach@exempelstad.se (coach),"
	@echo "  facilitator@exempelstad.se (facilitator / HR developer), admin@exempelstad.se (administrator),"
	@echo "  utveckling@exempelstad.se (development lead: labs and portfolio)"
	@echo "  Stop with Ctrl+C."
	@echo ""
	@DEBUG=1 $(VENV)/bin/uvicorn tillit.config.asgi:application --host $(HOST) --port $(PORT) --log-level warning --timeout-graceful-shutdown 3

test: setup
	@scripts/ensure-test-tools.sh
	@$(MAKE) --no-print-directory lint typecheck migrations-check pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	TILLIT_TESTING=1 $(VENV)/bin/mypy

migrations-check:
	TILLIT_TESTING=1 $(TILLIT) makemigrations --check --dry-run

pytest:
	scripts/pytest.sh

e2e: setup
	@scripts/ensure-test-tools.sh
	scripts/pytest.sh -m e2e

messages:
	cd src/tillit && DEBUG=1 ../../$(TILLIT) makemessages -l sv --no-obsolete --add-location file -i "*/demo/*" && DEBUG=1 ../../$(TILLIT) compilemessages -l sv

bench: setup
	$(VENV)/bin/python bench/pages.py

clean:
	rm -rf $(VENV) node_modules var
