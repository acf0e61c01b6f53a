"""Alembic environment: migrates the URL that skintriage.store.upgrade() passes in, online only."""

from alembic import context

from skintriage.store import models  # noqa: F401  (registers every table on Base.metadata)
from skintriage.store.db import Base, make_engine

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("skintriage migrations run online only: use skintriage.store.upgrade(url)")
run_migrations_online()
