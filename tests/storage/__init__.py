"""Tests of the SQLite storage: the database, migrations and repositories."""
