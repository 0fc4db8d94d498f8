"""portal.scoping: restrict() and can() are one rule, on every scoped model, for every role."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from portal.scoping import CHANGE, VIEW, Scope, can, restrict
from registry.models import Process, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    """The demo data set: two regions' authorities, every role, rows of every scoped model."""
    from django.core.management import call_command

    settings.DEBUG = True  # seed_demo refuses to run on production settings
    call_command("seed_demo", verbosity=0)


SCOPED = [m for m in apps.get_models() if isinstance(getattr(m, "scoping", None), Scope)]


def actions(model) -> list[str]:
    return sorted({VIEW, CHANGE, *model.scoping.rules})


def test_every_model_with_an_owning_authority_declares_its_scope():
    names = {m.__name__ for m in SCOPED}
    assert {
        "Organization",
        "Process",
        "Proposal",
        "Campaign",
        "CampaignParticipant",
        "RegistryVersion",
        "ImportBatch",
        "Roadmap",
        "RoadmapItem",
        "Evidence",
        "SegmentProfile",
        "Touchpoint",
        "SatisfactionAssessment",
    } <= names


def test_restrict_and_can_agree_for_every_role_model_and_action(demo):
    users = [AnonymousUser(), *User.objects.all()]
    assert len(users) > 4
    for model in SCOPED:
        rows = list(model._default_manager.all()[:200])
        for user in users:
            for action in actions(model):
                reached = set(restrict(model, user, action).values_list("pk", flat=True))
                allowed = {row.pk for row in rows if can(user, action, row)}
                assert allowed == reached & {row.pk for row in rows}, (model, user, action)


def test_another_authoritys_rows_are_never_reached(demo):
    official = User.objects.filter(role="official").first()
    others = Process.objects.exclude(authority=official.authority)
    assert others.exists()
    assert not restrict(others, official, VIEW).exists()
    assert not any(can(official, VIEW, row) for row in others[:50])


def test_an_unknown_action_is_a_configuration_error(demo):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        restrict(Process, User.objects.first(), "destroy")
