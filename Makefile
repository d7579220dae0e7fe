# 流动党员管理系统 — `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench venv migrate seed worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

.env:
	printf '# Development mode: SQLite and the embedded broker under var/, plain HTTP.\n# DEBUG stays off so that pages look as users see them; set DEBUG=1 here to debug.\nDJANGO_ENV=dev\n' > .env

## run: set up, migrate, load the demo county and serve it with a Celery worker and beat.
run: venv .env
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_transfers
	$(BIN)/python manage.py seed_demo_records
	@echo "打开 http://$(HOST):$(PORT)/ ，演示账号 county / committee / secretary / staff，密码 demo12345"
	$(BIN)/celery -A config worker -Q exports,jobs,celery --loglevel=INFO --concurrency=2 & \
	WORKER=$$!; \
	$(BIN)/celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule & \
	BEAT=$$!; \
	trap 'kill $$WORKER $$BEAT 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: the whole suite; honours DATABASE_URL, REDIS_URL and REQUIRE_SERVICES.
test: venv
	$(BIN)/python -m pytest

## bench: speed and memory figures, each next to a baseline measured in the same run.
bench: venv
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
