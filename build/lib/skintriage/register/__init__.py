"""The clinic's training register: staff roster, signed training records, refresher dates, question statistics.

Modules: ``models`` (tables), ``roster`` (staff import), ``attempts`` (one knowledge-check attempt written in one
transaction, with its signed files), ``report`` (who passed, failed, never took it, is due or overdue),
``signing`` and ``verify`` (Ed25519 records), ``stats`` (question statistics), ``cli`` (``skintriage staff``,
``skintriage records``, ``skintriage stats``).
"""
