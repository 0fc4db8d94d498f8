"""bench/scale_bench.py is a contract other scripts rely on: it generates a country on a real
PostgreSQL (COPY-like INSERT … SELECT, every constraint valid) and prints one JSON line per page.
Run here at a small size on a fresh database of the suite's own server, so a schema change that
breaks the generator (a generated column, a new NOT NULL) fails the suite, not the next bench."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the generator writes PostgreSQL SQL; run by tests/run_all.sh",
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_database():
    import psycopg

    base = os.environ["DATABASE_URL"]
    name = f"scale_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_the_generator_builds_a_country_and_prints_one_json_line_per_page(empty_database):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "bench/scale_bench.py", "--rows", "1200", "--requests", "1"]
        + ["--database-url", empty_database, "--only", "public"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout[-2000:]
    for line in lines:
        assert "public" in line["page"]
        assert line["role"] in {"coordinator", "officer", "anonymous"}
        assert line["kind"] in {"list", "other"}
        assert line["queries"] > 0 and line["bytes"] > 0 and line["p95_ms"] >= line["p50_ms"] > 0

    import psycopg

    with psycopg.connect(empty_database) as conn:
        rows = conn.execute("SELECT count(*) FROM registry_process").fetchone()[0]
        authorities = conn.execute(
            "SELECT count(*) FROM registry_organization WHERE kind = 'authority'"
        ).fetchone()[0]
        boards = conn.execute(
            "SELECT count(*) FROM roadmaps_roadmapitem WHERE deadline_group IS NOT NULL"
        ).fetchone()[0]
    assert rows >= 1200 and authorities >= 1200 // 280
    assert boards > 0
