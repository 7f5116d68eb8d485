# The two commands: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 0.0.0.0
# gunicorn's rule of thumb: two workers a core, plus one.
WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 + 1 )))
# The ASGI worker (uvicorn's): a live game's event streams wait on its event loop,
# every other view runs as in a sync worker (quiz/asgi.py). `make bench` measured
# it against sync and gthread workers (docs/deployment.md). WORKER_CLASS=sync
# serves WSGI, where a live game's screens ask every two seconds instead.
WORKER_CLASS ?= uvicorn_worker.UvicornWorker
THREADS ?= 1
APP := $(if $(findstring uvicorn,$(WORKER_CLASS)),quiz.asgi:application,quiz.wsgi:application)
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
UNIT_FILES := $(wildcard history/units/*.json)
# As in quiz/settings.py: the database, the secret key, and gunicorn's pid file,
# by which `manage.py restore_db` knows that the server is running.
DATA_DIR ?= .data
# A school server without internet installs from the wheels `make wheelhouse`
# left here, and from nothing else.
WHEELHOUSE ?= wheelhouse
OFFLINE := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE))
# The school server's platform(s) and Python for `make wheelhouse`, when it is
# not this machine: e.g. PLATFORM=manylinux2014_x86_64 PYTHON_VERSION=3.12.
PLATFORM ?=
PYTHON_VERSION ?=
TARGET_FLAGS := $(foreach p,$(PLATFORM),--platform $(p)) \
	$(if $(PYTHON_VERSION),--python-version $(PYTHON_VERSION))

.PHONY: run test lint check-deploy install install-test serve-setup clean bench bench-live \
	backup restore wheelhouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade $(OFFLINE) pip

# A school's server gets what the app needs and nothing else; the test tools
# (Playwright, pytest, ruff, …) come only with `make test`, on top of it.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(OFFLINE) .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-app
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed-app

install-test: $(VENV)/.installed-test

# Run where the package index is reachable; copy the checkout with wheelhouse/
# to the school server, where `make run` then needs no network. pip and
# setuptools come along: the venv's pip and the build of `.` need them.
wheelhouse: | $(BIN)/python
	$(BIN)/python -m pip download --quiet --dest $(WHEELHOUSE) \
		$(if $(strip $(TARGET_FLAGS)),--only-binary=:all: $(TARGET_FLAGS)) . pip setuptools
	@echo "Wheels for the app in $(WHEELHOUSE)/: make run installs from them alone."

serve-setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@for f in $(UNIT_FILES); do $(BIN)/python manage.py import_unit --keep-existing $$f || exit 1; done
	FIRST_TEACHER="$(FIRST_TEACHER)" $(BIN)/python manage.py create_first_teacher

run: serve-setup
	@echo "Serving on http://$(HOST):$(PORT)/ (pupils use this machine's LAN address). Ctrl-C stops."
	$(BIN)/gunicorn $(APP) --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--worker-class $(WORKER_CLASS) --threads $(THREADS) --backlog 2048 \
		--access-logfile - --error-logfile - --forwarded-allow-ips 127.0.0.1 \
		--pid $(DATA_DIR)/gunicorn.pid

test: install-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Not part of `make test`: a school's 9:00 quiz against gunicorn on loopback, on a
# scratch database (BENCH_ARGS="--help" lists the knobs; DATABASE_URL=postgres://… too).
bench: install
	$(BIN)/python -m quiz.bench --workers $(WORKERS) --worker-class $(WORKER_CLASS) \
		--threads $(THREADS) $(BENCH_ARGS)

# A live game: 500 players, 20 questions, against the server `make run` starts, on
# loopback and a scratch database (BENCH_ARGS="--servers 2", "--restart", "--help").
bench-live: install
	$(BIN)/python -m quiz.bench.live --workers $(WORKERS) --worker-class $(WORKER_CLASS) \
		$(BENCH_ARGS)

# A consistent copy of the live SQLite database in .data/backups/ (safe while serving).
backup: install
	$(BIN)/python manage.py backup_db $(BACKUP_ARGS)

# The server stopped: make restore BACKUP=.data/backups/db-20250301-183000.sqlite3
restore: install
	$(BIN)/python manage.py restore_db $(BACKUP)

check-deploy: install
	DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV)
