"""A load test of the portal: Locust (headless, bounded in users and time) against gunicorn
and PostgreSQL, every address on the loopback.

    .venv/bin/python bench/load_test.py --rows 28000 --users 10 --time 30s   # own PostgreSQL
    .venv/bin/python bench/load_test.py --database-url postgres://… --users 50 --time 5m

With --rows N it starts a throwaway PostgreSQL and makes the data as bench/scale_bench.py does
(its functions); --database-url uses a database made by scale_bench.py (a copy: the test
writes). Then it adds the test's accounts (officials of every unit, officers, coordinators of
--authorities authorities, password sign-in), collects the static files, starts gunicorn with
the portal's gunicorn.conf.py and production settings (DEBUG off; the requests carry what the
reverse proxy adds), and runs bench/locustfile.py: officials' edits, officers' reviews,
coordinators' lists, anonymous public reads. No page of the mix queues a background job, so
no db_worker is started.

Afterwards every edit the server accepted is looked for in the database: an official's in
his proposal's row, an approved proposal's rows and an officer's edits in the rows' history.
Printed on stdout, one JSON line per endpoint
    {"endpoint": …, "requests": …, "errors": …, "rps": …, "p50_ms": …, "p95_ms": …}
then {"total": …} and {"edits": …} lines; a table on stderr. Exit status 1 if there was an
error or a lost edit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale_bench import (  # noqa: E402
    existing_country,
    log,
    make_country,
    pages,
    setup_django,
)

PASSWORD = "load-test-password"  # noqa: S105 - bench accounts of a throwaway or copied database
HOT_ROWS = 5  # rows per unit the officials and officers edit: few, so that changes meet
DIRECT_REASON = "Изменен на портале"  # registry.services.processes.update_process


# --- the plan: accounts, rows and addresses --------------------------------------------


def _accounts(authorities):
    """Officials of every unit, the officer of each authority, with their hot rows."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from registry.models import Organization, Process, Role, User

    hasher = PBKDF2PasswordHasher()  # the server's own hasher: one hash for every account
    password = hasher.encode(PASSWORD, hasher.salt())

    def account(username, role, organization):
        User.objects.update_or_create(
            username=username,
            defaults={"role": role, "organization": organization, "password": password,
                      "last_name": username, "is_active": True,
                      "whole_country": role == Role.COORDINATOR and organization is None},
        )  # fmt: skip

    officials, officers = [], []
    for authority in authorities:
        units = list(Organization.objects.filter(parent=authority, kind="unit").order_by("pk"))
        rows_of_authority = []
        for n, unit in enumerate(units, 1):
            rows = list(
                Process.objects.filter(unit=unit, is_excluded=False)
                .order_by("pk")
                .values_list("pk", flat=True)[:HOT_ROWS]
            )
            name = f"load_official_{authority.pk}_{n}"
            account(name, Role.OFFICIAL, unit)
            officials.append({"username": name, "rows": rows, "unit": n})
            rows_of_authority += rows
        name = f"load_officer_{authority.pk}"
        account(name, Role.AUTHORIZED_OFFICER, authority)
        officers.append({"username": name, "rows": rows_of_authority})
    # Unit-major order: the first officials taken are spread over every authority.
    officials.sort(key=lambda a: a["unit"])
    coordinators = []
    for n in range(1, 6):
        account(f"load_coordinator_{n}", Role.COORDINATOR, None)
        coordinators.append({"username": f"load_coordinator_{n}"})
    return officials, officers, coordinators


def make_plan(country, authorities: int, skip: str | None = None) -> dict:
    from registry.models import Organization, RegistryVersion

    chosen = [country.authority] + list(
        Organization.objects.authorities()
        .exclude(pk=country.authority.pk)
        .order_by("pk")[: authorities - 1]
    )
    officials, officers, coordinators = _accounts(chosen)
    coordinator_pages = [
        (page.removeprefix("registry list: "), url)
        for page, role, kind, url in pages(country)
        if role == "coordinator" and kind == "list" and not (skip and re.search(skip, page))
    ]
    published = list(
        RegistryVersion.objects.order_by("?").values_list("authority_id", "number")[:300]
    )
    return {
        "password": PASSWORD,
        "officials": officials,
        "officers": officers,
        "coordinators": coordinators,
        "coordinator_pages": coordinator_pages,
        "published": published,
    }


# --- the server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(database_url: str, static_root: str) -> dict:
    """Production settings (DEBUG off, as docs/deployment.md), on the loopback. All users
    come from one address, so it is never locked out (the accounts' passwords are right;
    a wrong one would be a failed login, an error of the run)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_LOG_LEVEL": "WARNING",
        "LOGIN_NEVER_LOCKOUT_ADDRESSES": "127.0.0.1",
    }


@contextmanager
def gunicorn(database_url: str, workers: int, folder: Path):
    """gunicorn with the portal's gunicorn.conf.py on a free loopback port; yields its URL."""
    env = server_environment(database_url, str(folder / "static"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers))
    server_log = (folder / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
        + ["--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=server_log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        "gunicorn не запустился: " + _tail(folder / "gunicorn.log")
                    ) from None
                time.sleep(0.3)
        log(f"gunicorn: http://127.0.0.1:{port}, процессов: {workers}")
        warm_up(f"http://127.0.0.1:{port}", workers)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server_log.close()


def warm_up(host: str, workers: int) -> None:
    """A worker's first request loads templates and opens its connection: not measured (as
    scale_bench.py leaves out each page's first request)."""
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
    for _ in range(3 * workers):
        for path in ("/accounts/login/", "/public/"):
            with urllib.request.urlopen(urllib.request.Request(host + path, headers=headers)):
                pass


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU time of gunicorn's worker processes so far (Linux /proc): what the
    web side cost, less noisy than wall time on a shared machine."""
    total = 0
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split() if stat else []
        if fields and int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _tail(path: Path, chars=3000) -> str:
    return path.read_text(errors="replace")[-chars:]


def run_locust(host: str, folder: Path, args) -> None:
    """Locust headless; its figures go to stats.json (bench/locustfile.py). Users finish
    the task under way at the end (--stop-timeout), so that no edit is cut between the
    server's answer and the journal."""
    env = {
        **os.environ,
        "LOAD_PLAN": str(folder / "plan.json"),
        "LOAD_JOURNAL": str(folder / "journal.jsonl"),
        "LOAD_STATS": str(folder / "stats.json"),
    }
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")]
    command += ["--headless", "-u", str(args.users), "-r", str(args.spawn_rate)]
    command += ["-t", args.time, "--host", host, "--only-summary"]
    command += ["--stop-timeout", "60", "--loglevel", "WARNING"]
    log(f"locust: {args.users} пользователей, {args.spawn_rate}/с, {args.time}")
    subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=sys.stderr)


# --- what the run did -------------------------------------------------------------------


def locust_figures(folder: Path) -> tuple[list[dict], list[str]]:
    """Per endpoint and in total, as bench/locustfile.py wrote them when the users stopped."""
    path = folder / "stats.json"
    if not path.exists():
        raise SystemExit("Locust не записал итоги: см. его вывод выше.")
    figures = json.loads(path.read_text())
    return figures["lines"], figures["failed"]


def read_journal(folder: Path) -> list[dict]:
    path = folder / "journal.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _outcomes(entries, kind):
    of_kind = [e for e in entries if e["kind"] == kind]
    return {
        outcome: [e for e in of_kind if e["outcome"] == outcome]
        for outcome in ("accepted", "refused", "error")
    }


def check_official_edits(entries) -> dict:
    """Each accepted edit is in its proposal's row; a later edit of the same row in the same
    proposal replaces it there (one row per row: proposals.add_item), it is not lost."""
    from registry.models import ProposalItem

    done = _outcomes(entries, "official edit")
    last = {}
    for e in done["accepted"]:  # the journal is in order for each official
        last[(e["proposal"], e["row"])] = e["marker"]
    held = {
        (i.proposal_id, i.process_id): i.values.get("responsible")
        for i in ProposalItem.objects.filter(proposal_id__in={p for p, _ in last})
    }
    return {
        "sent": sum(len(v) for v in done.values()),
        "accepted": len(done["accepted"]),
        "refused": len(done["refused"]),
        "replaced by the same official": len(done["accepted"]) - len(last),
        "in proposals": sum(1 for key, marker in last.items() if held.get(key) == marker),
        "lost": sum(1 for key, marker in last.items() if held.get(key) != marker),
    }


def check_approvals(entries, history) -> dict:
    """Each accepted approval applied every row of its proposal, each a history state."""
    from registry.models import Proposal, ProposalItem, ProposalState

    done = _outcomes(entries, "approve")
    approved = {e["proposal"] for e in done["accepted"]}
    reasons = {f"Предложение № {p}" for p in approved}
    states = {}
    for row, reason, responsible in history.filter(history_change_reason__in=reasons).values_list(
        "id", "history_change_reason", "responsible"
    ):
        states.setdefault((row, reason), set()).add(responsible)
    items = ProposalItem.objects.filter(proposal_id__in=approved).exclude(process=None)
    missing = [
        i
        for i in items
        if i.values.get("responsible")
        not in states.get((i.process_id, f"Предложение № {i.proposal_id}"), set())
    ]
    not_applied = Proposal.objects.filter(pk__in=approved).exclude(state=ProposalState.APPLIED)
    return {
        "sent": sum(len(v) for v in done.values()),
        "accepted": len(approved),
        "refused": len(done["refused"]),
        "refused: a row changed since": sum("изменена после" in e["said"] for e in done["refused"]),
        "returned": len(_outcomes(entries, "return")["accepted"]),
        "rows applied": len(items),
        "history states": sum(len(v) for v in states.values()),
        "lost": len(missing) + not_applied.count(),
    }


def check_officer_edits(entries, history) -> dict:
    done = _outcomes(entries, "officer edit")
    states = list(
        history.filter(history_change_reason=DIRECT_REASON).values_list("id", "responsible")
    )
    written = set(states)
    return {
        "sent": sum(len(v) for v in done.values()),
        "accepted": len(done["accepted"]),
        "refused": len(done["refused"]),
        "history states": len(states),
        "lost": sum(1 for e in done["accepted"] if (e["row"], e["marker"]) not in written),
    }


def check_edits(entries, since) -> dict:
    from django.db import connections

    from registry.models import Process

    connections.close_all()  # the server wrote meanwhile; read it afresh
    history = Process.history.model.objects.filter(history_date__gte=since)
    return {
        "official edits": check_official_edits(entries),
        "approvals": check_approvals(entries, history),
        "officer edits": check_officer_edits(entries, history),
        "proposals sent": len(_outcomes(entries, "send")["accepted"]),
    }


def report(lines: list[dict], failed: list[str], edits: dict, cpu: float) -> int:
    for line in lines:
        print(json.dumps(line, ensure_ascii=False), flush=True)
    lost = sum(part["lost"] for part in edits.values() if isinstance(part, dict))
    errors = next((x["errors"] for x in lines if x["endpoint"] == "total"), 0)
    requests = next((x["requests"] for x in lines if x["endpoint"] == "total"), 0)
    web_cpu = {
        "web_cpu_s": round(cpu, 1),
        "web_cpu_ms_per_request": round(cpu * 1000 / max(requests, 1)),
    }
    print(
        json.dumps({"edits": edits, "errors": errors, "lost": lost, **web_cpu}, ensure_ascii=False)
    )
    log(
        f"\n{'endpoint':<48} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}"
    )
    for x in lines:
        log(
            f"{x['endpoint'][:48]:<48} {x['requests']:>8} {x['errors']:>6} {x['rps']:>7} "
            f"{x['p50_ms']:>7.0f} {x['p95_ms']:>7.0f}"
        )
    for name, part in edits.items():
        log(f"{name}: {part}")
    for failure in failed:
        log("ошибка:", failure)
    log(
        f"процессорное время gunicorn: {web_cpu['web_cpu_s']} с, "
        f"на запрос {web_cpu['web_cpu_ms_per_request']} мс"
    )
    log(f"ошибок: {errors}, потерянных правок: {lost}")
    return 1 if errors or lost else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="registry rows to generate (own PostgreSQL)")
    parser.add_argument("--database-url", help="a database made by scale_bench.py (a copy)")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--time", default="5m", help="how long, as Locust takes it (5m)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (4)")
    parser.add_argument("--authorities", type=int, default=10, help="authorities with accounts")
    parser.add_argument("--skip-pages", help="leave out coordinator pages matching this regex")
    args = parser.parse_args()
    if args.rows is None and args.database_url is None:
        parser.error("укажите --rows N (временный PostgreSQL) или --database-url")
    from bench.pg import given_or_throwaway

    server = given_or_throwaway(args.database_url, {"max_connections": "100"})
    with server as url, tempfile.TemporaryDirectory(prefix="portal-load.") as tmp:
        folder = Path(tmp)
        setup_django(url)
        from django.core.management import call_command
        from django.db import connections
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        country = make_country(args.rows) if args.rows else existing_country()
        plan = make_plan(country, args.authorities, args.skip_pages)
        (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
        since = timezone.now()
        connections.close_all()
        with gunicorn(url, args.workers, folder) as (host, master):
            cpu = workers_cpu_seconds(master)
            run_locust(host, folder, args)
            cpu = workers_cpu_seconds(master) - cpu
        edits = check_edits(read_journal(folder), since)
        status = report(*locust_figures(folder), edits, cpu)
        if status:
            log(_tail(folder / "gunicorn.log"))
    sys.exit(status)


if __name__ == "__main__":
    main()
