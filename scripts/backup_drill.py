#!/usr/bin/env python
"""Backup drill: restore a backup into a fresh database and prove nothing was lost.

    .venv/bin/python scripts/backup_drill.py                      # SQLite
    .venv/bin/python scripts/backup_drill.py --postgres postgres://postgres@127.0.0.1:5432

Builds a database (migrations, the shipped compacts, the demo data), backs it up with
`manage.py backup`, restores it with `manage.py restore` into a new empty database,
and compares every table's row count and SHA-256 fingerprint. Prints the figures and
PASS or FAIL; exits 1 on any difference. Databases it creates are removed afterwards.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def manage(database_url: str, *args: str) -> str:
    env = dict(os.environ, DATABASE_URL=database_url, DEBUG="true")
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def fingerprints(database_url: str) -> dict:
    code = (
        "import json; from localcompact.core.backup import fingerprints; "
        "print(json.dumps(fingerprints()))"
    )
    return json.loads(manage(database_url, "shell", "-c", code).strip().splitlines()[-1])


def psql(server: str, sql: str) -> None:
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, env=env)  # noqa: S603,S607


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="A PostgreSQL server URL without a database name")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if options.postgres:
            server = options.postgres.rstrip("/")
            names = [f"lc_drill_{n}_{os.getpid()}" for n in ("source", "restored")]
            for name in names:
                psql(server, f"DROP DATABASE IF EXISTS {name}")
                psql(server, f"CREATE DATABASE {name}")
            source_url, restored_url = (f"{server}/{name}" for name in names)
            backup_file = folder / "drill.dump"
        else:
            source_url = f"sqlite:///{folder / 'source.sqlite3'}"
            restored_url = f"sqlite:///{folder / 'restored.sqlite3'}"
            backup_file = folder / "drill.sqlite3"
        try:
            manage(source_url, "migrate", "--no-input")
            manage(source_url, "load_compacts")
            manage(source_url, "seed_demo")
            before = fingerprints(source_url)

            started = time.perf_counter()
            manage(source_url, "backup", "--output", str(backup_file))
            backup_seconds = time.perf_counter() - started
            backup_bytes = backup_file.stat().st_size
            started = time.perf_counter()
            manage(restored_url, "restore", str(backup_file), "--yes")
            restore_seconds = time.perf_counter() - started
            after = fingerprints(restored_url)
        finally:
            if options.postgres:
                for name in names:
                    psql(server, f"DROP DATABASE IF EXISTS {name}")

    differing = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
    rows = sum(count for count, _ in before.values())
    print(f"database: {'PostgreSQL' if options.postgres else 'SQLite'}")
    print(f"tables: {len(before)}  rows: {rows}  backup size: {backup_bytes:,} bytes")
    print(f"backup: {backup_seconds:.2f} s  restore: {restore_seconds:.2f} s")
    for table in differing:
        print(f"DIFFERENT {table}: before {before.get(table)} after {after.get(table)}")
    print("PASS: every table's rows and checksum match" if not differing else "FAIL")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
