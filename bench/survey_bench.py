"""Issue 16's scale figure: answers posted to one survey through its public URL, on the
loopback, against gunicorn (the portal's gunicorn.conf.py, production settings) and a
throwaway PostgreSQL.

    .venv/bin/python bench/survey_bench.py                       # 100,000 answers
    .venv/bin/python bench/survey_bench.py --answers 5000 --threads 2 --workers 2

Each answer is a real POST of the public form (CSRF token and cookie, the Origin a browser
sends); every one comes from its own address (X-Forwarded-For, as the reverse proxy passes
it), so the per-address limit lets each through; the per-survey limit is turned off for the
run (SURVEY_ANSWERS_PER_SURVEY=0), and no survey cookie is sent back, so none is a repeat.
A third of the answers carry a free-text answer of about 100 characters. Bounded:
--answers, and --max-seconds for the posting.

Printed on stdout, one JSON object: answers/s of the posting, p50/p95 of a POST, p50/p95 of
the public page (GET) and of the officer's results page (GET, signed in) at the end, and the
growth of the answers table (with its indexes) and of the database per 100,000 answers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_test import gunicorn  # noqa: E402
from bench.pg import throwaway_postgres  # noqa: E402
from bench.scale_bench import log, setup_django  # noqa: E402

PASSWORD = "survey-bench-password"  # noqa: S105 - an account of a throwaway database
TEXT = "Долго ждал ответа, но консультант все объяснил; хорошо бы записываться на прием онлайн."


def make_data():
    """One authority, its officer, one open survey (with CES, two closed questions)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.core.management import call_command
    from django.utils import timezone

    from registry.models import Organization, ProcessGroup, Role, User
    from segmentation.models import Survey
    from segmentation.services.surveys import save_survey
    from tests.segmentation.surveys import QUESTIONS

    call_command("migrate", verbosity=0)
    region = Organization.objects.create(kind="region", full_name="Область", level="regional")
    authority = Organization.objects.create(
        kind="authority", full_name="Министерство", parent=region, level="regional"
    )
    officer = User(username="officer", role=Role.AUTHORIZED_OFFICER, organization=authority)
    # the server's own hasher (setup_django() gave this process MD5 only)
    officer.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    officer.save()
    today = timezone.localdate()
    survey = save_survey(
        Survey(
            authority=authority,
            group=ProcessGroup.objects.get(edition__level="regional", code="1"),
            title="Оценка приема",
            purpose="Чтобы прием стал удобнее.",
            questions=QUESTIONS,
            free_text_question="Что улучшить?",
            ask_ces=True,
            starts_on=today.replace(day=1),
            ends_on=today.replace(year=today.year + 1),
        ),
        officer,
    )
    return survey


def sizes() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('segmentation_surveyanswer'), "
            "pg_database_size(current_database())"
        )
        return cursor.fetchone()


class Visitor:
    """A browser, as far as the server sees one: its cookies sent back by hand (the server's
    are Secure, as behind the HTTPS proxy, and requests keeps those for https:// only)."""

    def __init__(self, host: str, address: str = "127.0.0.1"):
        import requests

        self.host, self.address, self.cookies = host, address, {}
        self.http = requests.Session()
        # the Origin a browser sends to the HTTPS address (CSRF checks it)
        origin = host.replace("http://", "https://", 1)
        self.http.headers.update({"X-Forwarded-Proto": "https", "Origin": origin})

    def send(self, method: str, path: str, address: str = "", keep=True, **kwargs):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"X-Forwarded-For": address or self.address, "Cookie": cookie}
        response = self.http.request(method, self.host + path, headers=headers, **kwargs)
        self.http.cookies.clear()
        if keep:
            self.cookies.update({c.name: c.value for c in response.cookies})
        return response

    def token(self, path: str) -> str:
        page = self.send("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def poster(host, path, numbers, deadline, latencies, errors):
    visitor = Visitor(host)
    token = visitor.token(path)
    rng = random.Random(numbers[0] if numbers else 0)
    for n in numbers:
        if time.monotonic() > deadline:
            return
        data = {
            "csrfmiddlewaretoken": token,
            "csat": rng.choice("1234555"),
            "ces": rng.choice("1234567"),
            "choice_1": rng.choice("012"),
            "choice_2": rng.choice("01"),
            "text": TEXT if n % 3 == 0 else "",
        }
        address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
        started = time.perf_counter()
        # keep=False: the survey's cookie is not sent back, so every answer is a new one
        response = visitor.send("POST", path, address, keep=False, data=data)
        latencies.append(time.perf_counter() - started)
        if len(latencies) % 10_000 == 0:
            log(f"отправлено ответов: {len(latencies)}")
        if response.status_code != 200 or "Ваш ответ учтен" not in response.text:
            errors.append(response.status_code)
            if len(errors) == 1:
                log(f"ответ не принят: {response.status_code} {response.text[:300]}")


def timed_gets(get, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = get()
        times.append(time.perf_counter() - started)
        if response.status_code != 200 or response.history:
            raise SystemExit(f"страница ответила {response.status_code} {response.url}")
    return times[1:]  # the first warms the worker up


def p(values, q) -> float:
    return round(1000 * statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 1 else 0


def officer_session(host: str) -> Visitor:
    officer = Visitor(host)
    token = officer.token("/accounts/login/")
    data = {"csrfmiddlewaretoken": token, "username": "officer", "password": PASSWORD}
    officer.send("POST", "/accounts/login/", data=data, allow_redirects=False)
    return officer


def run(args, database_url: str) -> dict:
    setup_django(database_url)
    survey = make_data()
    path = f"/s/{survey.code}/"
    table_before, database_before = sizes()
    folder = Path(tempfile.mkdtemp(prefix="survey-bench."))
    os.environ.update(SURVEY_ANSWERS_PER_SURVEY="0", LOGIN_NEVER_LOCKOUT_ADDRESSES="127.0.0.1")
    with gunicorn(database_url, args.workers, folder) as (host, _master):
        latencies, errors = [], []
        deadline = time.monotonic() + args.max_seconds
        shares = [list(range(k, args.answers, args.threads)) for k in range(args.threads)]
        threads = [
            threading.Thread(target=poster, args=(host, path, share, deadline, latencies, errors))
            for share in shares
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        log(f"отправлено ответов: {len(latencies)} за {elapsed:.0f} с, ошибок: {len(errors)}")
        anonymous = Visitor(host, "127.0.0.2")
        public = timed_gets(lambda: anonymous.send("GET", path), args.requests)
        officer = officer_session(host)
        results_path = f"/segmentation/surveys/{survey.pk}/"
        results = timed_gets(lambda: officer.send("GET", results_path), args.requests)
    from segmentation.models import SurveyAnswer

    stored = SurveyAnswer.objects.filter(survey=survey).count()
    table_after, database_after = sizes()
    per = 100_000 / stored if stored else 0
    return {
        "answers_posted": len(latencies),
        "answers_stored": stored,
        "errors": len(errors),
        "threads": args.threads,
        "gunicorn_workers": args.workers,
        "answers_per_s": round(len(latencies) / elapsed, 1),
        "post_p50_ms": p(latencies, 50),
        "post_p95_ms": p(latencies, 95),
        "public_page_p50_ms": p(public, 50),
        "public_page_p95_ms": p(public, 95),
        "results_page_p50_ms": p(results, 50),
        "results_page_p95_ms": p(results, 95),
        "answers_table_mb_per_100k": round((table_after - table_before) * per / 2**20, 1),
        "database_mb_per_100k": round((database_after - database_before) * per / 2**20, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=4, help="posting clients (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (2)")
    parser.add_argument("--requests", type=int, default=31, help="GETs of each page (31)")
    parser.add_argument("--max-seconds", type=int, default=3600, help="bound of the posting")
    parser.add_argument("--database-url", help="an empty database instead of a throwaway one")
    args = parser.parse_args()
    if args.database_url:
        figures = run(args, args.database_url)
    else:
        with throwaway_postgres() as url:
            figures = run(args, url)
    print(json.dumps(figures, ensure_ascii=False))
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
