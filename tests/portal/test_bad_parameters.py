"""Hostile query parameters on every list, board, export and feed: a 400 with a Russian
message or a page with a form error (200), never a 500 (issue 11, item 9)."""

import re
from urllib.parse import urlencode

import pytest

from registry.models import RegistryVersion
from registry.services import publication
from roadmaps.services import feeds
from tests.roadmaps.conftest import import_omsk

# 302: an export refused goes back to its page with the message; 404: a well-formed id
# of nothing (or of what the user may not see).
ALLOWED = (200, 302, 400, 404)
HUGE = "9" * 20
HOSTILE = [
    HUGE,
    "-" + HUGE,
    "1e400",
    "abc",
    "1.5",
    "0x10",
    "--5",
    "+5",
    "٣",  # a non-ASCII digit
    "2024-13-45",
    "99999-01-01",
    "\x00",
    " ".join(["слово"] * 1000),
    "я" * 5000,
]

# (user attribute of the World, URL template, parameters); {roadmap}, {version}, {token}
# are filled in below.
PAGES = [
    (
        "officer",
        "/registry/processes/",
        [
            "q",
            "page",
            "per_page",
            "sort",
            "authority",
            "unit",
            "group",
            "typical_process",
            "status",
            "kind",
            "is_non_typical",
            "excluded",
            "columns",
        ],
    ),
    ("coordinator", "/registry/processes/?export=xlsx", ["q", "authority", "sort"]),
    ("officer", "/registry/link-targets/?authority={authority}", ["q", "authority"]),
    ("officer", "/registry/proposals/", ["state", "authority", "unit", "overdue", "page"]),
    ("coordinator", "/registry/campaigns/", ["page", "authority"]),
    ("officer", "/registry/coverage/", ["authority"]),
    ("coordinator", "/registry/versions/", ["authority"]),
    ("officer", "/registry/versions/compare/?a={version}&b={version}", ["a", "b"]),
    ("officer", "/registry/tasks/", ["page"]),
    ("coordinator", "/roadmaps/", ["page"]),
    (
        "coordinator",
        "/roadmaps/deadlines/",
        [
            "within",
            "authority",
            "section",
            "responsible",
            "deadline_from",
            "deadline_to",
            "state",
            "page",
        ],
    ),
    ("coordinator", "/roadmaps/deadlines/?export=xlsx", ["within", "authority", "deadline_to"]),
    ("officer", "/roadmaps/mine/", ["page", "export"]),
    ("officer", "/roadmaps/{roadmap}/", ["on", "since"]),
    ("officer", "/roadmaps/calendar/{token}.ics", ["authority"]),
    ("officer", "/segmentation/", ["archived", "page"]),
    ("coordinator", "/segmentation/coverage/", ["authority"]),
    ("coordinator", "/segmentation/coverage/?export=xlsx", ["authority"]),
    ("officer", "/segmentation/touchpoints/add/", ["authority", "group", "process", "channel"]),
    ("officer", "/segmentation/assessments/add/", ["authority", "group", "process"]),
    (None, "/public/", ["page"]),
    (None, "/public/{authority}/", ["page", "number"]),
]

CASES = [
    pytest.param(who, url, name, id=f"{url}-{name}") for who, url, names in PAGES for name in names
]


@pytest.fixture
def places(world):
    roadmap = import_omsk()
    version = publication.publish(world.authority, world.officer)
    assert isinstance(version, RegistryVersion)
    return {
        "roadmap": roadmap.pk,
        "version": version.pk,
        "token": feeds.token_for(world.officer).token,
        "authority": world.authority.pk,
    }


@pytest.mark.parametrize(("who", "url", "name"), CASES)
def test_hostile_parameter_is_refused_or_ignored_never_500(client, world, places, who, url, name):
    client.raise_request_exception = False
    if who:
        client.force_login(getattr(world, who))
    url = url.format(**places)
    sep = "&" if "?" in url else "?"
    failures = []
    for value in HOSTILE:
        # The parameter replaces one of the URL's own, if it has it.
        base = re.sub(rf"([?&]){name}=[^&]*&?", r"\1", url).rstrip("&?")
        sep = "&" if "?" in base else "?"
        response = client.get(base + sep + urlencode({name: value}))
        text = "" if response.streaming else response.content.decode(errors="replace")
        if response.status_code not in ALLOWED:
            failures.append((value[:20], response.status_code))
        elif response.status_code == 400 and (
            not re.search(r'data-testid="bad-request">[^<]*[а-яА-Я]{4}', text)
            or "Traceback" in text
        ):
            failures.append((value[:20], "400 without a Russian message"))
    assert not failures


def test_many_word_search_is_a_form_error_and_the_query_is_capped(client, world):
    client.force_login(world.officer)
    response = client.get("/registry/processes/", {"q": " ".join(["слово"] * 1000)})
    assert response.status_code == 200
    assert "В строке поиска не больше 20 слов." in response.content.decode()
    response = client.get("/registry/processes/", {"q": "я" * 201})
    assert "не длиннее 200 символов" in response.content.decode()
    # The suggestion search (no form) cuts the string instead of refusing it.
    response = client.get(
        "/registry/link-targets/",
        {"authority": world.authority.pk, "q": "обращений " + "x " * 1000},
    )
    assert response.status_code == 200
    assert [r["identifier"] for r in response.json()["results"]] == []


def test_huge_within_is_a_form_error(client, world):
    client.force_login(world.coordinator)
    response = client.get("/roadmaps/deadlines/", {"within": HUGE})
    assert response.status_code == 200
    assert "меньше либо равно 366" in response.content.decode()


@pytest.mark.parametrize("value", ["2024-13-45", "99999-01-01", "вчера", HUGE])
def test_bad_date_is_a_400_with_the_reason(client, world, places, value):
    client.force_login(world.officer)
    response = client.get(f"/roadmaps/{places['roadmap']}/", {"on": value})
    assert response.status_code == 400
    assert "Параметр «on» должен быть датой в виде ГГГГ-ММ-ДД." in response.content.decode()


def test_non_numeric_id_is_a_400_and_an_absent_one_a_404(client, world, places):
    client.force_login(world.officer)
    url = "/registry/versions/compare/"
    response = client.get(url, {"a": "abc", "b": places["version"]})
    assert response.status_code == 400
    assert "Параметр «a» должен быть целым числом." in response.content.decode()
    assert client.get(url, {"a": HUGE + "9", "b": places["version"]}).status_code == 400
    assert client.get(url, {"a": 10**9, "b": places["version"]}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/registry/processes/{HUGE}/",
        f"/registry/proposals/{HUGE}/",
        f"/registry/campaigns/{HUGE}/",
        f"/registry/versions/{HUGE}/xlsx/",
        f"/roadmaps/{HUGE}/",
        f"/roadmaps/items/{HUGE}/",
        f"/segmentation/profiles/{HUGE}/",
        f"/public/{HUGE}/",
        f"/public/{{authority}}/{HUGE}/xlsx/",
        # NUL and other non-slug characters in the calendar's secret never reach a query.
        "/roadmaps/calendar/%00.ics",
        "/roadmaps/calendar/a%00b.ics",
        "/roadmaps/calendar/%D1%8F.ics",
    ],
)
def test_huge_ids_in_the_path_are_not_found(client, world, places, url):
    client.raise_request_exception = False
    client.force_login(world.coordinator)
    assert client.get(url.format(**places)).status_code == 404


@pytest.mark.parametrize("value", ["2024-W01-1", "20240101", "2024-001", "2024-01-01T00:00"])
def test_only_the_yyyy_mm_dd_form_is_a_date(client, world, places, value):
    client.force_login(world.officer)
    response = client.get(f"/roadmaps/{places['roadmap']}/", {"on": value})
    assert response.status_code == 400
    assert "Параметр «on» должен быть датой в виде ГГГГ-ММ-ДД." in response.content.decode()


def test_the_message_of_an_id_out_of_range_names_only_its_lower_bound(client, world, places):
    client.force_login(world.officer)
    response = client.get("/registry/versions/compare/", {"a": "0", "b": places["version"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Параметр «a» должен быть числом не меньше 1." in page
    assert "9223372036854775807" not in page


def test_a_bounded_parameter_names_both_bounds(rf):
    from portal.params import BadParameter, int_param

    with pytest.raises(BadParameter, match="от 1 до 10"):
        int_param(rf.get("/", {"n": "11"}), "n", max_value=10)


@pytest.mark.parametrize("url", ["/registry/coverage/", "/segmentation/coverage/"])
def test_both_coverage_pages_take_authority_0_as_every_authority(client, world, url):
    client.force_login(world.coordinator)
    everyone = client.get(url)
    zero = client.get(url, {"authority": "0"})
    assert everyone.status_code == zero.status_code == 200
    assert client.get(url, {"authority": "-1"}).status_code == 400


@pytest.mark.parametrize("value", ["abc", HUGE, "0"])
def test_a_bad_authority_on_the_versions_page_is_a_400(client, world, value):
    client.force_login(world.coordinator)
    response = client.get("/registry/versions/", {"authority": value})
    assert response.status_code == 400
    assert "Параметр «authority»" in response.content.decode()


def test_the_400_page_rendered_without_a_request_links_home(rf):
    from django.template.loader import render_to_string

    page = render_to_string("400.html")
    assert 'href=""' not in page
    assert "Открыть страницу без параметров" not in page
    assert 'href="/"' in page
    with_request = render_to_string("400.html", request=rf.get("/registry/processes/"))
    assert 'href="/registry/processes/"' in with_request
