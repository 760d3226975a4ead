"""PostgreSQL backend that tells each connection which municipality it works for
(row-level security, see apps/core/rls.py). ENGINE = "apps.core.dbbackend"."""
