"""Imports every module that declares tables, so Base.metadata is complete for Alembic and for tests."""

from skintriage.classroom import models as classroom_models  # noqa: F401
from skintriage.register import models as register_models  # noqa: F401
