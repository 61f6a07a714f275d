"""Backing up and restoring the database, and fingerprints to prove a restore is whole.

SQLite: the online backup API, so a backup taken while the site runs is consistent.
PostgreSQL: pg_dump's custom format and pg_restore. Both are what their makers
recommend; nothing here reads or writes rows itself except the fingerprints.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with argument lists, no shell
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import connections


class BackupError(Exception):
    pass


def _engine(alias: str) -> str:
    return connections[alias].vendor


def _pg_env(settings_dict: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def backup(*, output: Path, alias: str = "default") -> Path:
    """Write a consistent backup of the database to `output`."""
    connection = connections[alias]
    output.parent.mkdir(parents=True, exist_ok=True)
    if _engine(alias) == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(output) as target:
            connection.connection.backup(target)
        target.close()
        return output
    if _engine(alias) == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(output),
                *args,
                connection.settings_dict["NAME"],
            ],
            env,
        )
        return output
    raise BackupError(f"No backup method for the {_engine(alias)} database")


def restore(*, source: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}")
    connection = connections[alias]
    if _engine(alias) == "sqlite":
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
                backup_db.execute("PRAGMA schema_version").fetchone()
                connection.ensure_connection()
                backup_db.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a SQLite backup: {exc}") from exc
        return
    if _engine(alias) == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                connection.settings_dict["NAME"],
                *args,
                str(source),
            ],
            env,
        )
        return
    raise BackupError(f"No restore method for the {_engine(alias)} database")


def fingerprints(alias: str = "default") -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 over its rows in primary-key order."""
    connection = connections[alias]
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            quoted = connection.ops.quote_name(table)
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            order = ", ".join(connection.ops.quote_name(c) for c in columns)
            # names come from the database's own introspection, quoted by Django
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608  # nosec B608
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    return result


def _plain(value: Any) -> Any:
    """The same value read back from either database's driver, as text."""
    if isinstance(value, memoryview):
        return bytes(value).hex()
    return str(value) if value is not None else None
