"""The course's shared database: engine, declarative base and Alembic migrations.

Every subsystem that stores data (the live class sessions, the training register) declares its tables on
:class:`Base` and adds one Alembic revision; :func:`upgrade` brings any SQLAlchemy URL to the newest schema.
"""

from skintriage.store.db import Base, data_dir, database_url, downgrade, make_engine, upgrade

__all__ = ["Base", "data_dir", "database_url", "downgrade", "make_engine", "upgrade"]
