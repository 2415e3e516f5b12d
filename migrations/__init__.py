"""phoihop's schema history: Alembic revisions, driven by :mod:`services.schema`.

Every change to ``models/`` ships as one revision in ``versions/``. phoihop
keeps its own version table (``phoihop_alembic_version``), so its tables may
share a PostgreSQL database with Prefect's, which uses ``alembic_version``.
"""
