"""The permission matrix of every URL the portal answers.

The URLconf is walked: each named pattern must have an entry below, so a new page cannot be
added without saying who may open it. Each entry is requested by every role, once with the
objects of the user's own authority and once with another authority's; every request runs in
a savepoint that is rolled back, so each role meets the same data.

Outcomes:
  ok      — the page or the action was served (2xx, or a redirect that is not to the login
            page and carries no error message);
  refused — a redirect with a warning or an error message, or a form error (400/409): the
            user may try, the rules of the record said no;
  login   — sent to the login page;  403, 404, 405 — as the status says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from portal.api.tokens import create_token
from portal.models import Job, JobState
from registry.models import CampaignKind, ImportBatch, ProposalAction
from registry.services import campaigns, proposals, publication, reengineering, version_records
from registry.services.row_values import values_of_process
from roadmaps.services.feeds import token_for
from roadmaps.services.items import add_evidence
from segmentation.models import SatisfactionAssessment, Touchpoint
from segmentation.services import profiles
from segmentation.services import surveys as survey_service
from tests.conftest import with_version
from tests.registry.xlsx_files import row, workbook_bytes
from tests.roadmaps.conftest import make_item, make_roadmap
from tests.roadmaps.test_evidence_files import pdf
from tests.segmentation.surveys import make_survey
from tests.segmentation.test_segmentation import ATTRIBUTES, new_profile

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "official", "officer", "coordinator", "admin"]


class Side:
    """The objects of one authority that URLs are resolved with."""

    def __init__(self, world, authority, unit, official, officer):
        self.authority, self.unit, self.official, self.officer = authority, unit, official, officer
        self.process = world.own_row if authority == world.authority else world.city_row
        self.history_id = self.process.history.first().history_id
        uploader = Client()
        uploader.force_login(official)
        uploader.post(
            reverse("registry:import_upload"),
            {
                "file": SimpleUploadedFile("реестр.xlsx", workbook_bytes([row("100")])),
                "default_unit": unit.pk,
            },
        )
        self.batch = ImportBatch.objects.get(authority=authority)
        self.version = publication.publish(authority, officer)
        self.approval = version_records.record_approval(
            self.version,
            "распоряжение",
            "1-р",
            timezone.localdate(),
            officer,
            file=SimpleUploadedFile("акт.pdf", pdf()),
        )
        draft = proposals.open_draft(official)
        proposals.add_item(
            draft, official, ProposalAction.CHANGE, self.process, values_of_process(self.process)
        )
        self.proposal = proposals.submit(draft, official)
        self.proposal_item = self.proposal.items.get()
        self.plan_entry = reengineering.add_entry(
            self.process, timezone.localdate() + timedelta(days=30), "Иванов И. И.", officer
        )
        self.campaign = campaigns.open_campaign(
            world.coordinator,
            kind=CampaignKind.ONE_OFF,
            due_date=timezone.localdate() + timedelta(days=30),
            authorities=[authority],
        )
        self.answer = self.campaign.participants.get(unit=unit)
        self.roadmap = make_roadmap(authority, f"План {authority.short_name}")
        self.item = make_item(self.roadmap, "1.1.", responsible_text=unit.short_name)
        self.evidence = add_evidence(
            self.item,
            user=officer,
            number="12-р",
            file=SimpleUploadedFile("распоряжение.pdf", pdf()),
        )
        self.token = token_for(official).token
        self.profile = profiles.save_profile(
            new_profile(world, authority=authority), ATTRIBUTES, [], [], official
        )
        group = self.process.group
        self.touchpoint = Touchpoint.objects.create(
            authority=authority, group=group, channel="portal", place="Портал госуслуг"
        )
        today = timezone.localdate()
        self.assessment = SatisfactionAssessment.objects.create(
            authority=authority,
            group=group,
            period_start=today - timedelta(days=90),
            period_end=today,
            method="анкетирование",
            sample_size=10,
            result="Удовлетворены",
        )
        self.survey = make_survey(world, authority=authority)
        self.survey_answer = survey_service.record_answer(self.survey, csat=4, text="Хорошо")
        # A finished job of the unit's official, with its file: his alone.
        self.job = Job.objects.create(
            user=official,
            kind="test",
            title=f"Выгрузка {authority.short_name}",
            state=JobState.DONE,
            result_name="Выгрузка.csv",
            result_type="text/csv",
        )
        self.job.result.save("Выгрузка.csv", ContentFile(b"1;2\n"))
        # The official's API token (revoked on «Мои ключи API» by him or an administrator).
        self.api_token, _ = create_token(official)


@dataclass
class Entry:
    """Who gets what at one URL: role -> (own authority's object, another authority's)."""

    kwargs: object = None  # Side -> URL kwargs
    method: str = "get"
    expect: dict = field(default_factory=dict)
    data: object = None  # Side -> GET query or POST data


def both(outcome):
    return (outcome, outcome)


def who(official, officer, coordinator, admin, anonymous="login"):
    """Expected outcomes by role; a single outcome stands for both sides."""
    given = {"anonymous": anonymous, "official": official, "officer": officer}
    given.update(coordinator=coordinator, admin=admin)
    return {role: both(o) if isinstance(o, str) else o for role, o in given.items()}


# The usual shapes: a page of the user's own authority; an officer's page; a list every
# signed-in user opens (its rows are scoped, see the apps' own tests); a public page.
SCOPED_READ = who(("ok", "404"), ("ok", "404"), "ok", "ok")
SIGNED_IN = {"anonymous": both("login"), **{r: both("ok") for r in ROLES[1:]}}
# A job and its file: only the user who asked for it, whatever the others' authority.
JOB_OWNER = who(("ok", "404"), "404", "404", "404")
# An API token: its owner and administrators (who see and revoke every token).
TOKEN_OWNER = who(("ok", "404"), "404", "404", "ok")
PUBLIC = {r: both("ok") for r in ROLES}


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def process(side):
    return {"pk": side.process.pk}


ENTRIES: dict[str, list[Entry]] = {
    "home": [Entry(expect=PUBLIC)],
    "login": [Entry(expect=PUBLIC)],
    "logout": [Entry(method="post", expect=PUBLIC)],
    # OpenID Connect's code flow: not there while it is off, as by default
    # (tests/registry/test_directory_sign_in.py runs it switched on).
    "oidc_authentication_init": [Entry(expect={r: both("404") for r in ROLES})],
    "oidc_authentication_callback": [Entry(expect={r: both("404") for r in ROLES})],
    "public_index": [Entry(expect=PUBLIC)],
    "public_registry": [Entry(lambda s: {"authority_pk": s.authority.pk}, expect=PUBLIC)],
    **{
        f"public_file[{kind}]": [
            Entry(
                lambda s, kind=kind: {
                    "authority_pk": s.authority.pk,
                    "number": s.version.number,
                    "kind": kind,
                },
                expect=PUBLIC,
            )
        ]
        for kind in ("xlsx", "csv", "json", "passport")
    },
    # Registry rows
    "registry:process_list": [Entry(expect=SIGNED_IN)],
    "registry:process_add": [Entry(expect=who("ok", "ok", "403", "ok"))],
    "registry:process_detail": [Entry(process, expect=SCOPED_READ)],
    "registry:process_history": [Entry(process, expect=SCOPED_READ)],
    "registry:process_edit": [
        Entry(
            process,
            expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    "registry:process_exclude": [
        Entry(
            process,
            method="post",
            data=lambda s: {"reason": "Функция передана другому органу власти"},
            expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    "registry:process_restore": [
        Entry(
            process,
            method="post",
            expect=who(("403", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    "registry:process_restore_state": [
        Entry(
            lambda s: {"pk": s.process.pk, "history_id": s.history_id},
            method="post",
            # The state shown is the current one: nothing to restore.
            expect=who(("403", "404"), ("refused", "404"), "403", "refused"),
        )
    ],
    "registry:link_targets": [
        Entry(
            data=lambda s: {"authority": s.authority.pk, "q": "обращений"},
            # Rows of any authority may be named in column 12 (identifier and names only).
            expect=who("ok", "ok", "403", "ok"),
        )
    ],
    # The registry list's choices as one types: every signed-in user, each offered only the
    # organizations he reads (tests/registry/test_autocomplete.py); nothing to refuse.
    "registry:authority_autocomplete": [Entry(data=lambda s: {"q": "управ"}, expect=SIGNED_IN)],
    "registry:unit_autocomplete": [
        Entry(
            data=lambda s: {"forward": json.dumps({"authority": str(s.authority.pk)})},
            expect=SIGNED_IN,
        )
    ],
    "registry:typical_process_autocomplete": [
        Entry(data=lambda s: {"q": "обращен"}, expect=SIGNED_IN)
    ],
    # Imports
    "registry:import_upload": [Entry(expect=who("ok", "ok", "403", "ok"))],
    "registry:import_detail": [
        Entry(
            lambda s: {"pk": s.batch.pk},
            expect=who(("ok", "404"), ("ok", "404"), "404", "ok"),
        )
    ],
    "registry:import_confirm": [
        Entry(
            lambda s: {"pk": s.batch.pk},
            method="post",
            expect=who(("ok", "404"), ("ok", "404"), "404", "ok"),
        )
    ],
    "registry:import_cancel": [
        Entry(
            lambda s: {"pk": s.batch.pk},
            method="post",
            expect=who(("ok", "404"), ("ok", "404"), "404", "ok"),
        )
    ],
    # Publication
    "registry:versions": [Entry(expect=SIGNED_IN)],
    "registry:publish": [
        Entry(
            method="post",
            data=lambda s: {"authority": s.authority.pk},
            # Another authority's registry is not even named to its users; nothing has changed
            # since the version the world published, so those who may publish are refused.
            expect=who(("403", "404"), ("refused", "404"), "403", "refused"),
        ),
        # The confirmation as a page (without scripts): asked by those who may publish.
        Entry(
            data=lambda s: {"authority": s.authority.pk},
            expect=who(("403", "404"), ("ok", "404"), "403", "ok"),
        ),
    ],
    "registry:version_compare": [
        Entry(data=lambda s: {"a": s.version.pk, "b": s.version.pk}, expect=SCOPED_READ)
    ],
    "registry:version_xlsx": [Entry(lambda s: {"pk": s.version.pk}, expect=SCOPED_READ)],
    "registry:version_record": [
        Entry(lambda s: {"pk": s.version.pk}, expect=SCOPED_READ),
        Entry(
            lambda s: {"pk": s.version.pk},
            method="post",
            data=lambda s: {
                "form": "placement",
                "url": "https://mdm.omskportal.ru/registry",
                "placed_on": timezone.localdate().isoformat(),
            },
            expect=who(("403", "404"), ("ok", "404"), "403", "ok"),
        ),
    ],
    "registry:version_act_file": [Entry(lambda s: {"pk": s.approval.pk}, expect=SCOPED_READ)],
    # Proposals
    "registry:proposal_list": [Entry(expect=SIGNED_IN)],
    "registry:proposal_detail": [Entry(lambda s: {"pk": s.proposal.pk}, expect=SCOPED_READ)],
    **{
        f"registry:proposal_act[{action}]": [
            Entry(
                lambda s, action=action: {"pk": s.proposal.pk, "action": action},
                method="post",
                data=lambda s: with_version(
                    s.proposal, note="Пояснение", changed_on="01.12.2026", comment="Нет"
                ),
                expect=expect,
            )
        ]
        for action, expect in {
            # Only the author edits and submits his proposal (this one is already submitted).
            "details": who(("refused", "404"), ("403", "404"), "403", "403"),
            "submit": who(("refused", "404"), ("403", "404"), "403", "403"),
            "return": who(("403", "404"), ("ok", "404"), "403", "ok"),
            "approve": who(("403", "404"), ("ok", "404"), "403", "ok"),
            "nonsense": who(("404", "404"), ("404", "404"), "404", "404"),
        }.items()
    },
    # A decision's confirmation as a page (without scripts): the reviewers'.
    **{
        f"registry:proposal_act[{action}, get]": [
            Entry(
                lambda s, action=action: {"pk": s.proposal.pk, "action": action},
                expect=who(("403", "404"), ("ok", "404"), "403", "ok"),
            )
        ]
        for action in ("approve", "return")
    },
    **{
        f"registry:item_act[{action}]": [
            Entry(
                lambda s, action=action: {"pk": s.proposal_item.pk, "action": action},
                method="post",
                data=lambda s: with_version(s.proposal_item),
                expect=expect,
            )
        ]
        for action, expect in {
            "comment": who(("403", "404"), ("ok", "404"), "403", "ok"),
            "remove": who(("refused", "404"), ("403", "404"), "403", "403"),
        }.items()
    },
    "registry:tasks": [Entry(expect=SIGNED_IN)],
    # Campaigns
    "registry:campaign_list": [Entry(expect=SIGNED_IN)],
    "registry:campaign_open": [Entry(expect=who("403", "ok", "ok", "ok"))],
    "registry:campaign_detail": [Entry(lambda s: {"pk": s.campaign.pk}, expect=SCOPED_READ)],
    "registry:campaign_close": [
        Entry(
            lambda s: {"pk": s.campaign.pk},
            method="post",
            data=lambda s: with_version(s.campaign),
            expect=who(("403", "404"), ("403", "404"), "ok", "ok"),
        ),
        Entry(
            lambda s: {"pk": s.campaign.pk},
            expect=who(("403", "404"), ("403", "404"), "ok", "ok"),
        ),
    ],
    "registry:campaign_no_changes": [
        Entry(
            lambda s: {"pk": s.answer.pk},
            method="post",
            expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    "registry:campaign_authority": [
        Entry(lambda s: {"pk": s.campaign.pk, "authority_pk": s.authority.pk}, expect=SCOPED_READ)
    ],
    "registry:coverage": [Entry(expect=SIGNED_IN)],
    # The reengineering plan: read as the registry is, kept by the officer.
    "registry:reengineering": [
        Entry(expect=SIGNED_IN),
        Entry(data=lambda s: {"authority": s.authority.pk}, expect=SCOPED_READ),
        Entry(
            method="post",
            # The row is in the plan already: not offered again.
            data=lambda s: {
                "authority": s.authority.pk,
                "process": s.process.pk,
                "target_date": (timezone.localdate() + timedelta(days=9)).isoformat(),
                "responsible": "Иванов И. И.",
            },
            expect=who(("403", "404"), ("refused", "404"), "403", "refused"),
        ),
    ],
    "registry:reengineering_entry": [
        Entry(lambda s: {"pk": s.plan_entry.pk}, expect=SCOPED_READ),
        Entry(
            lambda s: {"pk": s.plan_entry.pk},
            method="post",
            data=lambda s: with_version(
                s.plan_entry,
                form="change",
                target_date=(timezone.localdate() + timedelta(days=9)).isoformat(),
                responsible="Петров П. П.",
            ),
            expect=who(("403", "404"), ("ok", "404"), "403", "ok"),
        ),
    ],
    # The recomputation of stored figures: the coordinators of the country (and admins).
    "registry:coverage_recompute": [Entry(method="post", expect=who("403", "403", "ok", "ok"))],
    # Roadmaps
    "roadmaps:roadmap_list": [Entry(expect=SIGNED_IN)],
    "roadmaps:deadlines": [Entry(expect=SIGNED_IN)],
    "roadmaps:mine": [Entry(expect=SIGNED_IN)],
    # The deadlines board's choices as one types: each user offered only what his filter
    # accepts (tests/roadmaps/test_board_choices.py); nothing to refuse.
    "roadmaps:owner_autocomplete": [Entry(data=lambda s: {"q": "управ"}, expect=SIGNED_IN)],
    "roadmaps:responsible_autocomplete": [Entry(expect=SIGNED_IN)],
    "roadmaps:section_autocomplete": [
        Entry(
            data=lambda s: {"forward": json.dumps({"authority": str(s.authority.pk)})},
            expect=SIGNED_IN,
        )
    ],
    "roadmaps:roadmap_detail": [Entry(lambda s: {"pk": s.roadmap.pk}, expect=SCOPED_READ)],
    # The execution report: whoever reads the plan; every plan's: each user his own.
    "roadmaps:roadmap_report": [Entry(lambda s: {"pk": s.roadmap.pk}, expect=SCOPED_READ)],
    "roadmaps:roadmap_report_all": [Entry(expect=SIGNED_IN)],
    "roadmaps:roadmap_amend": [
        Entry(
            lambda s: {"pk": s.roadmap.pk},
            expect=who(("403", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    "roadmaps:roadmap_instantiate": [
        Entry(
            lambda s: {"pk": s.roadmap.pk},
            # Not a typical plan: nothing to make from it, whoever asks.
            expect=who(("404", "404"), ("404", "404"), "404", "404"),
        )
    ],
    "roadmaps:item_detail": [Entry(lambda s: {"pk": s.item.pk}, expect=SCOPED_READ)],
    "roadmaps:item_evidence": [
        Entry(
            lambda s: {"pk": s.item.pk},
            method="post",
            expect=who(("403", "404"), ("refused", "404"), "403", "refused"),
        )
    ],
    "roadmaps:item_status": [
        Entry(
            lambda s: {"pk": s.item.pk},
            method="post",
            expect=who(("403", "404"), ("refused", "404"), "403", "refused"),
        )
    ],
    # A measure's roll-up over the authorities' shares: whoever reads the measure (each
    # authority sees its own share only, tests/roadmaps/test_collective.py).
    "roadmaps:item_shares": [Entry(lambda s: {"pk": s.item.pk}, expect=SCOPED_READ)],
    # The split is the coordinator's; an authority's own measure is not split (a warning).
    "roadmaps:item_split": [
        Entry(
            lambda s: {"pk": s.item.pk},
            expect=who(("403", "404"), ("403", "404"), "refused", "refused"),
        )
    ],
    # A share's units are named by its authority's officer (and an administrator); a plan's
    # own measure is no share: a warning (tests/roadmaps/test_share_units.py for a share).
    "roadmaps:item_units": [
        Entry(
            lambda s: {"pk": s.item.pk},
            expect=who(("403", "404"), ("refused", "404"), "403", "refused"),
        ),
        Entry(
            lambda s: {"pk": s.item.pk},
            method="post",
            data=lambda s: with_version(s.item, units=[s.unit.pk]),
            expect=who(("403", "404"), ("refused", "404"), "403", "refused"),
        ),
    ],
    # Evidence files: whoever reads the measure downloads its documents.
    "roadmaps:evidence_file": [Entry(lambda s: {"pk": s.evidence.pk}, expect=SCOPED_READ)],
    # Everyone reissues his own feed address (nobody else's: the view takes no id).
    "roadmaps:calendar_reissue": [Entry(method="post", expect=SIGNED_IN)],
    # A capability URL: the token is the credential, so no login is asked.
    "roadmaps:calendar": [Entry(lambda s: {"token": s.token}, expect=PUBLIC)],
    # Segmentation
    "segmentation:profile_list": [Entry(expect=SIGNED_IN)],
    # Their own lists: every signed-in user, each sees the records he reads (tests/segmentation).
    "segmentation:touchpoint_list": [Entry(expect=SIGNED_IN)],
    "segmentation:assessment_list": [Entry(expect=SIGNED_IN)],
    # Reports of the records each user reads (tests/segmentation/test_reports.py).
    "segmentation:profile_report": [Entry(expect=SIGNED_IN)],
    "segmentation:touchpoint_report": [Entry(expect=SIGNED_IN)],
    "segmentation:assessment_report": [Entry(expect=SIGNED_IN)],
    "segmentation:profile_add": [Entry(expect=who("ok", "ok", "403", "ok"))],
    "segmentation:profile_detail": [Entry(lambda s: {"pk": s.profile.pk}, expect=SCOPED_READ)],
    "segmentation:profile_edit": [
        Entry(
            lambda s: {"pk": s.profile.pk},
            expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    **{
        f"segmentation:{kind}_edit": [
            Entry(
                lambda s, kind=kind: {"pk": getattr(s, kind).pk},
                expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
            )
        ]
        for kind in ("touchpoint", "assessment")
    },
    "segmentation:touchpoint_add": [Entry(expect=who("ok", "ok", "403", "ok"))],
    "segmentation:assessment_add": [Entry(expect=who("ok", "ok", "403", "ok"))],
    **{
        f"segmentation:archive[{kind}]": [
            Entry(
                lambda s, kind=kind: {"kind": kind, "pk": getattr(s, kind).pk},
                method="post",
                data=lambda s, kind=kind: with_version(getattr(s, kind)),
                expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
            )
        ]
        for kind in ("profile", "touchpoint", "assessment", "survey")
    },
    "segmentation:coverage": [Entry(expect=SIGNED_IN)],
    "segmentation:coverage_recompute": [Entry(method="post", expect=who("403", "403", "ok", "ok"))],
    # Surveys: the public page is everyone's; results are the authority's (404 for another).
    "survey_public": [Entry(lambda s: {"code": s.survey.code}, expect=PUBLIC)],
    "segmentation:survey_list": [Entry(expect=SIGNED_IN)],
    "segmentation:survey_overview": [Entry(expect=SIGNED_IN)],
    "segmentation:survey_add": [Entry(expect=who("ok", "ok", "403", "ok"))],
    "segmentation:survey_detail": [Entry(lambda s: {"pk": s.survey.pk}, expect=SCOPED_READ)],
    "segmentation:survey_print": [Entry(lambda s: {"pk": s.survey.pk}, expect=SCOPED_READ)],
    "segmentation:survey_edit": [
        Entry(
            lambda s: {"pk": s.survey.pk},
            expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    "segmentation:survey_assess": [
        Entry(
            lambda s: {"pk": s.survey.pk},
            method="post",
            data=lambda s: {"month": timezone.localdate().strftime("%Y-%m")},
            expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    # Every signed-in user reads the answers of the group he reaches (none of another's).
    "segmentation:survey_group_results": [
        Entry(lambda s: {"pk": s.survey.group_id}, expect=SIGNED_IN)
    ],
    # The user's own authority's answers: another edition's group has none of them.
    "segmentation:survey_group_assess": [
        Entry(
            lambda s: {"pk": s.survey.group_id},
            method="post",
            data=lambda s: {"month": timezone.localdate().strftime("%Y-%m")},
            expect=who(("ok", "refused"), ("ok", "refused"), "403", "403"),
        )
    ],
    "segmentation:survey_tag": [
        Entry(
            lambda s: {"pk": s.survey_answer.pk},
            method="post",
            data=lambda s: {"tag": ""},
            expect=who(("ok", "404"), ("ok", "404"), "403", "ok"),
        )
    ],
    # Jobs (the kernel): everyone lists his own; a job's page, status and file are its owner's.
    "portal:job_list": [Entry(expect=SIGNED_IN)],
    "portal:api_tokens": [
        Entry(expect=SIGNED_IN),
        Entry(method="post", data=lambda s: {"expires_on": in_days(30)}, expect=SIGNED_IN),
    ],
    "portal:api_token_revoke": [
        Entry(lambda s: {"pk": s.api_token.pk}, method="post", expect=TOKEN_OWNER)
    ],
    # The switch of the version for the visually impaired: anyone's display preference.
    "portal:low_vision": [Entry(method="post", data=lambda s: {"mode": "on"}, expect=PUBLIC)],
    **{
        f"portal:{name}": [Entry(lambda s: {"pk": s.job.pk}, expect=JOB_OWNER)]
        for name in ("job_detail", "job_status", "job_file")
    },
}


def named_patterns(patterns=None, namespace=""):
    """Every named URL pattern of the portal but the admin site's own (tested below) and the
    API's (tests/api/test_api_matrix.py runs this matrix against it)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def url_name(key: str) -> str:
    return key.split("[", 1)[0]


def test_every_url_has_an_entry_in_the_matrix():
    names = set(named_patterns())
    covered = {url_name(key) for key in ENTRIES}
    assert names - covered == set(), "URL без строки в матрице прав: добавьте её в ENTRIES"
    assert covered - names == set(), "строка матрицы для URL, которого больше нет"


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        if response["Location"].startswith(reverse("login")):
            return "login"
        levels = [m.level for m in get_messages(response.wsgi_request)]
        return "refused" if any(level >= message_levels.WARNING for level in levels) else "ok"
    context = response.context or {}
    if status in (400, 409) or ("form" in context and context["form"].errors):
        return "refused"
    if 200 <= status < 300:
        return "ok"
    return str(status)


def user_of(world, role):
    """The role's user; the "own" side is always the World's Главное управление."""
    return {
        "anonymous": None,
        "official": world.official,
        "officer": world.officer,
        "coordinator": world.coordinator,
        "admin": world.admin,
    }[role]


@pytest.fixture
def sides(world):
    own = Side(world, world.authority, world.unit, world.official, world.officer)
    foreign = Side(
        world, world.city_authority, world.city_unit, world.city_official, world.city_officer
    )
    return own, foreign


@pytest.mark.parametrize("role", ROLES)
def test_url_permissions(client, world, sides, role):
    user = user_of(world, role)
    mismatches = []
    for key, entries in sorted(ENTRIES.items()):
        for entry in entries:
            for side, expected in zip(sides, entry.expect[role], strict=True):
                url = reverse(url_name(key), kwargs=entry.kwargs(side) if entry.kwargs else None)
                client.logout()
                if user:
                    client.force_login(user)
                savepoint = transaction.savepoint()
                try:
                    data = entry.data(side) if entry.data else {}
                    got = outcome(getattr(client, entry.method)(url, data))
                finally:
                    transaction.savepoint_rollback(savepoint)
                if got != expected:
                    where = "own" if side is sides[0] else "foreign"
                    mismatches.append(f"{key} {where} {url}: {got}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize(
    "role, expected",
    [("anonymous", "login"), ("official", "login"), ("officer", "login")]
    + [("coordinator", "ok"), ("admin", "ok")],
)
def test_admin_site(client, world, role, expected):
    user = user_of(world, role)
    if user:
        client.force_login(user)
    response = client.get(reverse("admin:index"))
    if response.status_code == 302:
        assert reverse("admin:login") in response["Location"]
        got = "login"
    else:
        got = "ok" if response.status_code == 200 else str(response.status_code)
    assert got == expected
