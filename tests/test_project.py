"""The project as a whole: the database the suite runs on, production settings, demo data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from registry.models import Campaign, Organization, Process, ProcessLink, Proposal, User
from roadmaps.models import Roadmap, RoadmapItem
from segmentation.models import SegmentProfile

ROOT = Path(__file__).resolve().parent.parent


def test_suite_runs_on_the_database_it_was_given():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-" + "y" * 30,
        "DJANGO_ALLOWED_HOSTS": "portal.example.ru",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seed_demo_loads_both_authorities_and_every_role(capsys, settings):
    settings.DEBUG = True  # as in `make run`; pytest-django turns it off
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("official", "officer", "coordinator", "admin", "official_city"):
        assert username in out
    assert "demo12345" in out
    authorities = Organization.objects.authorities().filter(processes__isnull=False).distinct()
    assert {a.level for a in authorities} == {"regional", "municipal"}
    assert Process.objects.count() >= 30
    assert (
        ProcessLink.objects.filter(
            predecessor__authority__level="regional", successor__authority__level="municipal"
        ).exists()
        or ProcessLink.objects.filter(
            predecessor__authority__level="municipal", successor__authority__level="regional"
        ).exists()
    )
    assert {u.role for u in User.objects.all()} == {
        "official",
        "authorized_officer",
        "coordinator",
        "administrator",
    }
    # Every demo user can log in with the printed password.
    assert all(u.check_password("demo12345") for u in User.objects.all())

    # The workflow, roadmaps and segmentation demos are there too, once.
    assert Proposal.objects.filter(state="submitted").count() == 1
    assert Campaign.objects.get().participants.filter(answer="no_changes").count() == 1
    # the three seed plans, and the share plans of seed 002's collective measure 3.5
    seeded = Roadmap.objects.filter(items__isnull=False, collective_of=None).distinct()
    assert seeded.count() == 3
    shares = RoadmapItem.objects.filter(share_of__number="3.5.")
    assert sorted(shares.values_list("status", flat=True)) == ["done", "in_progress", "planned"]
    assert SegmentProfile.objects.get().attributes.count() == 3

    models = (Process, ProcessLink, User, Proposal, Campaign, Roadmap, SegmentProfile)
    counts = [m.objects.count() for m in models]
    call_command("seed_demo")
    assert [m.objects.count() for m in models] == counts


@pytest.mark.django_db
def test_seed_demo_refuses_on_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG выключен"):
        call_command("seed_demo")
    assert not User.objects.exists()
