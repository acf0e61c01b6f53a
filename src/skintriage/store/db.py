"""Where the data lives and how to connect to it: SQLite by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase

from skintriage import course

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


class Base(DeclarativeBase):
    """Declarative base for every table the course stores."""


def data_dir() -> Path:
    """The folder for the database and server secrets: ``SKINTRIAGE_DATA_DIR``, else ``data/`` in the course
    folder (git-ignored), else ``data/`` in the current folder."""
    path = Path(os.environ.get("SKINTRIAGE_DATA_DIR") or (course.find_course_root() or Path.cwd()) / "data")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else ``SKINTRIAGE_DATABASE_URL``, else a SQLite file in the data folder."""
    if url:
        return url
    if os.environ.get("SKINTRIAGE_DATABASE_URL"):
        return os.environ["SKINTRIAGE_DATABASE_URL"]
    return f"sqlite:///{data_dir() / 'skintriage.db'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the console read while the class server writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # FULL: a commit is on disk before it returns, so an acknowledged answer survives a power cut too.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`); SQLite gets WAL, foreign keys and a busy timeout."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=20, max_overflow=20
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20)


def _alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's config is an INI file: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (the newest schema by default)."""
    from alembic import command

    command.upgrade(_alembic_config(database_url(url)), revision)


def downgrade(url: str | None, revision: str) -> None:
    """Take the database at ``url`` back to ``revision`` (``"base"`` drops every table)."""
    from alembic import command

    command.downgrade(_alembic_config(database_url(url)), revision)


def current_revision(url: str | None = None) -> str | None:
    """The revision the database at ``url`` is on (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
