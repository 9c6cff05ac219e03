"""Which database a target names: a DuckDB file path (the default) or a postgresql:// URL."""

from __future__ import annotations

from pathlib import Path

from workshop.storage.duckdb_file import DuckDBDatabase
from workshop.storage.postgres import PostgresDatabase
from workshop.storage.protocol import Database

def is_postgres_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def connect(target: str | Path) -> Database:
    """A DuckDB file path (the default) or a postgresql:// URL."""
    if is_postgres_url(target):
        return PostgresDatabase(str(target))
    return DuckDBDatabase(target)


def describe(target: str | Path) -> str:
    """For logs and pages: where the data is, without a password."""
    if not is_postgres_url(target):
        return f"DuckDB file {target}"
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(str(target))
    return (f"PostgreSQL database {info.get('dbname', '?')} on "
            f"{info.get('host', 'localhost')}:{info.get('port', 5432)}")


