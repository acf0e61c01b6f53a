"""The schema migrations run forwards and backwards on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from skintriage.store import (
    Base,
    downgrade,
    make_engine,
    models,  # noqa: F401  (every table on Base.metadata)
    upgrade,
)
from skintriage.store.db import current_revision


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_to_head_creates_every_model_table_and_downgrade_removes_them(db_url):
    upgrade(db_url)
    assert current_revision(db_url) is not None
    assert table_names(db_url) == set(Base.metadata.tables)
    downgrade(db_url, "base")
    assert current_revision(db_url) is None
    assert table_names(db_url) == set()
    upgrade(db_url)  # and up again: downgrade left nothing behind that blocks a re-run
    assert table_names(db_url) == set(Base.metadata.tables)


def test_migrations_match_the_models(db_url):
    """What the revisions create is what the models declare: autogenerate finds nothing to add or drop."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_engine_uses_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.parametrize(
    "env, expected", [({}, "data/skintriage.db"), ({"SKINTRIAGE_DATABASE_URL": "sqlite:///x.db"}, "sqlite:///x.db")]
)
def test_database_url_defaults_to_a_sqlite_file_in_the_data_folder(monkeypatch, tmp_path, env, expected):
    from skintriage.store import database_url

    monkeypatch.delenv("SKINTRIAGE_DATABASE_URL", raising=False)
    monkeypatch.setenv("SKINTRIAGE_DATA_DIR", str(tmp_path / "data"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    url = database_url()
    assert url.endswith(expected)
    assert database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
