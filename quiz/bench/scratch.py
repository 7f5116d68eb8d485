"""What both benchmarks stand on: a scratch folder and database, and signed-in sessions."""

import shutil
import sys
from pathlib import Path

# Only a folder carrying this file is ever deleted by a benchmark.
MARKER = ".history-quiz-bench"


def prepare_data_dir(path: Path) -> Path:
    path = path.resolve()
    if path.exists():
        if any(path.iterdir()) and not (path / MARKER).exists():
            sys.exit(f"{path} is not empty and not a benchmark folder: refusing to touch it.")
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("Made by `python -m quiz.bench`; deleted by the next run.\n")
    return path


def prepare_postgres(url: str) -> bool:
    """Create the scratch database; refuse one that already holds tables."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    name = config["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    with psycopg.connect(dbname=name, **params) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if tables:
        sys.exit(
            f"PostgreSQL database {name!r} already has {tables} tables: the benchmark needs a "
            f"scratch database. Name one that does not exist (it is created and dropped)."
        )
    return False


def drop_postgres(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    with psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(config["NAME"])
            )
        )


def forged_sessions(usernames: list[str]) -> dict[str, str]:
    """Signed session cookies, as force_login makes them: sign-in without the hasher."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    cookies = {}
    for user in get_user_model().objects.filter(username__in=usernames):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        cookies[user.username] = session.session_key
    return cookies


def use_scratch(data_dir: Path, database_url: str) -> tuple[bool, bool]:
    """Point Django (this process and the servers it starts) at the scratch folder and
    database, with production settings: (made a PostgreSQL database, is PostgreSQL)."""
    import os

    os.environ.update(
        {
            "DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "quiz.settings",
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )
    is_postgres = database_url.startswith(("postgres://", "postgresql://"))
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
        return False, False
    if not is_postgres:
        sys.exit("--database-url: only postgres:// URLs (SQLite is the default).")
    made = prepare_postgres(database_url)
    os.environ["DATABASE_URL"] = database_url
    return made, True
