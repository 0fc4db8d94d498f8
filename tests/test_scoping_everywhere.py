"""The scoping rule is written once, in portal.scoping, and every page goes through it:
every view of the URLconf is a ScopedViewMixin (its rows from restrict()) or says why it has
no per-authority rows; no app defines its own visible_*/may_*/can_* predicate; and the demo
data, widened to every case a Scope names, keeps restrict() and can() in agreement."""

from __future__ import annotations

import ast
import contextlib
import inspect
import re
from pathlib import Path

import pytest
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import URLPattern, URLResolver, get_resolver

from portal.api.views import ScopedAPIMixin, UnscopedAPIMixin
from portal.views.scoped import ScopedViewMixin, UnscopedViewMixin
from tests.portal.test_scoping import demo  # noqa: F401  (the fixture)
from tests.portal.test_scoping import (
    test_restrict_and_can_agree_for_every_role_model_and_action as agreement,
)

ROOT = Path(__file__).resolve().parent.parent
APPS = ("registry", "roadmaps", "segmentation")
PREDICATE = re.compile(r"^_*(visible_|may_|can_|editable_|is_editable_by$)")
# Names that match the pattern but choose no rows: what a list shows, not whom to.
NOT_ROW_RULES = {"visible_columns"}


def view_classes(patterns=None):
    """(route, view class) of every pattern but the admin site's (ModelAdmins are checked by
    portal.admin's ScopedAdminMixin)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from view_classes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            # a DRF viewset's view names its class `cls` (portal.api's endpoints)
            callback = pattern.callback
            view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            assert view_class is not None, f"{pattern}: a function view, not a class"
            yield str(pattern.pattern), view_class


def test_every_view_is_scoped_or_says_why_not():
    views = list(view_classes())
    assert len(views) > 40
    for route, view in views:
        if issubclass(view, ScopedAPIMixin):
            # An endpoint's rows come from restrict() in ScopedAPIMixin.get_queryset: a
            # get_queryset of its own must start from it (super()), not replace it.
            own = view.__dict__.get("get_queryset")
            assert own is None or "super()" in inspect.getsource(own), (route, view)
            assert not issubclass(view, UnscopedAPIMixin), (route, view)
        elif issubclass(view, UnscopedAPIMixin):
            assert view.unscoped_because.strip() and view.unscoped_because.isascii(), route
        elif issubclass(view, ScopedViewMixin):
            # ScopedViewMixin is the login requirement: listing it again hides the order.
            bases = [b for b in view.__mro__ if LoginRequiredMixin in b.__bases__]
            assert bases == [ScopedViewMixin], (route, view, bases)
            assert not issubclass(view, UnscopedViewMixin), (route, view)
        else:
            assert issubclass(view, UnscopedViewMixin), f"{route}: {view.__name__}"
            assert view.unscoped_because.strip(), f"{route}: {view.__name__}"
            assert view.unscoped_because.isascii(), f"{route}: the reason is for developers"


def app_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_app_writes_its_own_scoping_rule():
    found = []
    for path in app_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and PREDICATE.match(node.name)
                and node.name not in NOT_ROW_RULES
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert found == [], "use portal.scoping's restrict()/can() and the model's Scope"


@pytest.fixture
def every_case(request):
    """What the demo lacks for some Scope rules: an official's draft with a row (private to him), an
    upload by every role that uploads (Reach.OWN for officials), a published version."""
    from registry.models import (
        ImportBatch,
        Organization,
        Proposal,
        ProposalAction,
        ProposalItem,
        User,
    )
    from registry.services import publication

    request.getfixturevalue("demo")
    official = User.objects.filter(role="official").exclude(organization=None).first()
    officer = User.objects.get(role="authorized_officer", organization=official.authority)
    assert officer is not None
    admin = User.objects.filter(role="administrator").first()
    draft = Proposal.objects.create(
        authority=official.authority, unit=official.organization, author=official
    )
    ProposalItem.objects.create(proposal=draft, action=ProposalAction.ADD, values={})
    for user in (official, officer, admin):
        ImportBatch.objects.create(
            authority=official.authority,
            default_unit=official.organization,
            uploaded_by=user,
            file_name=f"{user.username}.xlsx",
            file_size=1,
            report={},
        )
    authority = Organization.objects.get(pk=official.authority.pk)
    with contextlib.suppress(publication.NothingToPublish):  # the demo published it already
        publication.publish(authority, officer)
    assert authority.registry_versions.exists()


@pytest.mark.django_db
def test_restrict_and_can_agree_on_every_case(every_case):
    agreement(None)
