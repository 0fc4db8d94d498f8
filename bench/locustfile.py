"""Locust users of bench/load_test.py (run by it; not on its own).

Four kinds of user, each signed in with a password through the login form as a person would:
- officials edit rows of their unit through the row form (CSRF token, the `version` field of
  the optimistic lock): the change goes into their proposal, which they send for review;
- officers review the proposals sent to them (approve, or return one that can no longer be
  approved) and now and then edit a row of their authority themselves;
- coordinators browse the national registry list: pages, filters, searches, sorts;
- anonymous visitors read the public index and registries and download a published XLSX.

The plan (LOAD_PLAN: accounts, rows, addresses) is written by load_test.py; every write the
server accepted or refused is appended to LOAD_JOURNAL, one JSON line, so that load_test.py
can check each accepted edit against the database afterwards. A refused edit (the optimistic
lock's 409, an approval refused because a row changed since) is a correct answer, journalled
as "refused"; anything else unexpected is a Locust failure, i.e. an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, between, events, task
from page_forms import find_form, messages, replaced  # bench/, on Locust's path

# The session and CSRF cookies are Secure (production settings): send them back over this
# plain loopback connection, as a browser does to the HTTPS proxy. requests copies the jar
# into a fresh one (default policy) for every request, so it is the policy class that learns
# it, in this process only.
DefaultCookiePolicy.return_ok_secure = lambda policy, cookie, request: True

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if "LOAD_PLAN" in os.environ else {}
JOURNAL = open(os.environ.get("LOAD_JOURNAL", os.devnull), "a", buffering=1)  # noqa: SIM115
PASSWORD = PLAN.get("password", "")
_next_account = {role: itertools.count() for role in ("officials", "officers", "coordinators")}
_next_edit = itertools.count(1)  # one count for the process: two users may share an account

# The pages' own words for each outcome (registry/views).
ROW_PROPOSED = "Строка добавлена в предложение"
ROW_SAVED = "Изменения процесса"
ROW_STALE = "Строку уже изменил"
SUBMITTED = "направлено на проверку"
APPROVED = "одобрено, изменения внесены в реестр"
RETURNED = "возвращено на доработку"
APPROVAL_REFUSED = ("изменена после того", "не одобрено", "Проверяется предложение на проверке")
DECISION_STALE = "Предложение изменилось, пока вы его смотрели"
RETURN_COMMENT = "Строка изменена после подготовки предложения: подготовьте ее заново."


def _entry(name: str, e) -> dict:
    return {
        "endpoint": name,
        "requests": e.num_requests,
        "errors": e.num_failures,
        "rps": round(e.total_rps, 2),
        "p50_ms": e.get_response_time_percentile(0.5) if e.num_requests else 0,
        "p95_ms": e.get_response_time_percentile(0.95) if e.num_requests else 0,
    }


@events.test_stop.add_listener
def write_stats(environment, **kwargs):
    """The final figures, once every user has stopped (Locust's CSV is rewritten once a
    second and misses the last requests). Exceptions in a user's code count as errors."""
    if "LOAD_STATS" not in os.environ:
        return
    stats = environment.stats
    lines = [_entry(e.name, e) for e in sorted(stats.entries.values(), key=lambda e: e.name)]
    lines.append(_entry("total", stats.total))
    failed = [f"{e.occurrences} × {e.name}: {e.error}"[:400] for e in stats.errors.values()]
    failed += [f"{x['count']} × {x['msg']}: {x['traceback'][-400:]}" for x in
               environment.runner.exceptions.values()]  # fmt: skip
    lines[-1]["errors"] += sum(x["count"] for x in environment.runner.exceptions.values())
    Path(os.environ["LOAD_STATS"]).write_text(json.dumps({"lines": lines, "failed": failed}))


def journal(kind: str, outcome: str, **fields) -> None:
    JOURNAL.write(json.dumps({"kind": kind, "outcome": outcome, **fields}) + "\n")


class Visitor(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self):
        # What the portal's reverse proxy adds (docs/deployment.md): HTTPS to the browser, so
        # the production settings (secure cookies, CSRF's origin check) apply unchanged.
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "127.0.0.1",
                "Origin": "https://" + self.host.split("://", 1)[1].rstrip("/"),
            }
        )

    def page(self, url: str, name: str, expect: str | None = None):
        """GET a page; None (and a failure) unless it is a 200 with `expect` in it."""
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code != 200 or (expect and expect not in r.text):
                r.failure(f"HTTP {r.status_code} {r.url}: {messages(r.text)[:200]}")
                return None
            return r

    def post(self, url: str, fields, name: str):
        return self.client.post(url, data=fields, name=name, catch_response=True)


class SignedIn(Visitor):
    abstract = True
    role = ""

    def on_start(self):
        super().on_start()
        accounts = PLAN[self.role]
        self.account = accounts[next(_next_account[self.role]) % len(accounts)]
        login = self.page("/accounts/login/", "login form", expect="csrfmiddlewaretoken")
        if login is None:
            return
        form = find_form(login.text, field="username")
        fields = replaced(form["fields"], "username", self.account["username"])
        fields = replaced(fields, "password", PASSWORD)
        with self.post("/accounts/login/", fields, "login") as r:
            if r.status_code != 200 or "/accounts/login/" in r.url:
                r.failure(f"login refused: HTTP {r.status_code}: {messages(r.text)[:200]}")

    def marker(self) -> str:
        return f"Нагрузочный тест: {self.account['username']}, правка {next(_next_edit)}"

    def edit_row(self, row: int, kind: str, accepted_text: str, lands_on: str):
        """The row form as a person fills it: the page's fields, one of them changed. Returns
        the marker written and the match of `lands_on` in the page it led to, or None."""
        url = f"/registry/processes/{row}/edit/"
        form_page = self.page(url, f"{kind}: row form", expect='id="process-form"')
        if form_page is None:
            return None
        form = find_form(form_page.text, form_id="process-form")
        marker = self.marker()
        with self.post(
            url, replaced(form["fields"], "responsible", marker), f"{kind}: save row"
        ) as r:
            if r.status_code == 409 and ROW_STALE in r.text:
                journal(kind, "refused", row=row, marker=marker)
                r.success()
                return None
            landed = re.search(lands_on, r.url)
            if r.status_code == 200 and accepted_text in r.text and landed:
                return landed, marker
            r.failure(f"HTTP {r.status_code} {r.url}: {messages(r.text)[:300]}")
            journal(kind, "error", row=row, marker=marker, status=r.status_code)
            return None


class Official(SignedIn):
    """Edits rows of his unit (a few hot rows, so that changes meet) and sends proposals."""

    weight = 4
    role = "officials"

    def on_start(self):
        super().on_start()
        self.in_proposal: dict[int, int] = {}  # proposal -> rows changed in it since sent
        self.send_after = random.randint(1, 3)

    @task
    def edit_and_send(self):
        row = random.choice(self.account["rows"])
        done = self.edit_row(row, "official edit", ROW_PROPOSED, r"/registry/proposals/(\d+)/$")
        if done is None:
            return
        landed, marker = done
        proposal = int(landed[1])
        journal("official edit", "accepted", row=row, marker=marker, proposal=proposal)
        self.in_proposal[proposal] = self.in_proposal.get(proposal, 0) + 1
        if self.in_proposal[proposal] >= self.send_after:
            self.send(proposal)

    def send(self, proposal: int):
        page = self.page(f"/registry/proposals/{proposal}/", "official: proposal page")
        if page is None:
            return
        form = find_form(page.text, action_end=f"/proposals/{proposal}/submit/")
        if form is None:
            return  # sent already (a returned proposal is sent again from its page)
        with self.post(form["action"], form["fields"], "official: send proposal") as r:
            if r.status_code == 200 and SUBMITTED in r.text:
                journal("send", "accepted", proposal=proposal)
                del self.in_proposal[proposal]
                self.send_after = random.randint(1, 3)
            else:
                r.failure(f"HTTP {r.status_code}: {messages(r.text)[:300]}")


class Officer(SignedIn):
    """Reviews the proposals sent to him; now and then edits a row himself (so that some
    proposals meet a row changed since, and are refused and returned)."""

    weight = 2
    role = "officers"

    @task(4)
    def review(self):
        listing = self.page("/registry/proposals/?state=submitted", "officer: proposals sent")
        if listing is None:
            return
        found = sorted(
            set(map(int, re.findall(r'href="/registry/proposals/(\d+)/"', listing.text)))
        )
        if not found:
            return
        proposal = random.choice(found)
        page = self.page(f"/registry/proposals/{proposal}/", "officer: proposal page")
        if page is None:
            return
        approve = find_form(page.text, action_end=f"/proposals/{proposal}/approve/")
        if approve is None:
            return  # decided a moment ago (the list was older)
        with self.post(approve["action"], approve["fields"], "officer: approve") as r:
            said = messages(r.text)
            if r.status_code == 200 and APPROVED in said:
                journal("approve", "accepted", proposal=proposal)
            elif (r.status_code == 200 and any(t in said for t in APPROVAL_REFUSED)) or (
                r.status_code == 409 and DECISION_STALE in said
            ):
                journal("approve", "refused", proposal=proposal, said=said[:200])
                r.success()
                self.give_back(proposal, r.text)
            else:
                r.failure(f"HTTP {r.status_code}: {said[:300]}")

    def give_back(self, proposal: int, page: str):
        form = find_form(page, action_end=f"/proposals/{proposal}/return/")
        if form is None:
            return
        fields = replaced(form["fields"], "comment", RETURN_COMMENT)
        with self.post(form["action"], fields, "officer: return proposal") as r:
            if r.status_code == 200 and RETURNED in r.text:
                journal("return", "accepted", proposal=proposal)
            else:
                r.failure(f"HTTP {r.status_code}: {messages(r.text)[:300]}")

    @task(1)
    def edit(self):
        row = random.choice(self.account["rows"])
        done = self.edit_row(row, "officer edit", ROW_SAVED, rf"/registry/processes/{row}/$")
        if done is not None:
            journal("officer edit", "accepted", row=row, marker=done[1])

    @task(1)
    def registry(self):
        self.page("/registry/processes/", "officer: registry list")


class Coordinator(SignedIn):
    """Browses the whole country's registry list (the pages scale_bench.py measures)."""

    weight = 2
    role = "coordinators"

    @task
    def browse(self):
        name, url = random.choice(PLAN["coordinator_pages"])
        self.page(url, f"coordinator: {name}")


class Anonymous(Visitor):
    weight = 2

    @task(3)
    def public_registry(self):
        authority, _ = random.choice(PLAN["published"])
        self.page(f"/public/{authority}/", "anonymous: public registry")

    @task(1)
    def public_index(self):
        self.page("/public/", "anonymous: public index")

    @task(1)
    def download(self):
        authority, number = random.choice(PLAN["published"])
        with self.client.get(
            f"/public/{authority}/{number}/xlsx/", name="anonymous: XLSX", catch_response=True
        ) as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"HTTP {r.status_code}, not an XLSX")
