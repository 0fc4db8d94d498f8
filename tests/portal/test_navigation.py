"""The menus of the bar and the breadcrumbs (portal.navigation): each role is offered only the
pages it may use, the current section is marked, inner pages have a trail built from the
page's record and its parents."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from portal.navigation import Crumb, Link, Menu, record_crumbs
from portal.scoping import VIEW, can
from tests.roadmaps.conftest import make_item, make_roadmap

pytestmark = pytest.mark.django_db


def page_of(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def menu_links(html):
    """The links of the bar's menus (the user menu aside)."""
    bar = html.split('data-testid="main-menu"', 1)[1].split("</ul>\n      {%", 1)[0]
    bar = bar.split('data-testid="user-menu"', 1)[0]
    return re.findall(r'class="(?:dropdown-item|nav-link)[^"]*" href="([^"#]+)"', bar)


def crumbs(html):
    nav = re.search(r'data-testid="breadcrumbs">(.*?)</nav>', html, re.S)
    if nav is None:
        return []
    return [
        re.sub(r"<[^>]+>", "", li).strip()
        for li in re.findall(r"<li[^>]*>(.*?)</li>", nav[1], re.S)
    ]


def test_each_role_is_offered_only_what_it_may_use(world):
    url = reverse("registry:tasks")
    add, upload = reverse("registry:process_add"), reverse("registry:import_upload")
    admin, mine = reverse("admin:index"), reverse("roadmaps:mine")

    official = page_of(world.official, url)
    links = menu_links(official)
    assert add in links and upload in links and mine in links and admin not in links
    assert ">Предложить процесс<" in official and ">Внести процесс<" not in official

    officer = page_of(world.officer, url)
    assert ">Внести процесс<" in officer and admin not in menu_links(officer)

    coordinator = menu_links(page_of(world.coordinator, url))
    # A coordinator enters no rows and has no authority's measures; he keeps the reference data.
    assert add not in coordinator and upload not in coordinator and mine not in coordinator
    assert admin in coordinator and reverse("segmentation:coverage") in coordinator

    anonymous = page_of(None, reverse("public_index"))
    assert menu_links(anonymous) == [reverse("public_index"), reverse("login")]
    assert 'data-testid="logout"' not in anonymous and ">Войти<" in anonymous


def test_the_user_menu_names_the_user_and_signs_out_by_post(world):
    html = page_of(world.official, reverse("registry:process_list"))
    menu = html.split('data-testid="user-menu"', 1)[1].split("</li>", 1)[0]
    assert str(world.official) in menu
    assert world.official.get_role_display() in menu
    assert world.unit.display_name in menu
    # An official's unit and the authority it belongs to.
    assert f'data-testid="user-authority">{world.authority.display_name}<' in menu
    assert re.search(r'<form method="post" action="/accounts/logout/">', menu)
    assert 'data-testid="logout">Выйти<' in menu


def test_the_current_section_and_page_are_marked(world):
    html = page_of(world.officer, reverse("registry:proposal_list"))
    marked = re.findall(r'href="([^"]+)" aria-current="page"', html)
    assert marked == [reverse("registry:proposal_list")]
    toggles = re.findall(r'dropdown-toggle([^"]*)"[^>]*>(\w[^<]*)<', html)
    assert [title for css, title in toggles if "active" in css] == ["Реестр"]

    # The form «Внести процесс» opens is marked as itself, not as the rows' list.
    html = page_of(world.officer, reverse("registry:process_add"))
    assert re.findall(r'href="([^"]+)" aria-current="page"', html) == [
        reverse("registry:process_add")
    ]


def test_breadcrumbs_of_inner_pages(world):
    row = world.own_row
    assert crumbs(page_of(world.officer, reverse("registry:process_list"))) == [
        "Главная",
        "Реестр",
        "Реестр процессов",
    ]
    assert crumbs(page_of(world.officer, reverse("registry:process_history", args=[row.pk]))) == [
        "Главная",
        "Реестр",
        "Реестр процессов",
        f"Главное управление, процесс {row.identifier}",
        "История изменений",
    ]
    assert crumbs(page_of(world.officer, reverse("registry:process_edit", args=[row.pk])))[-1] == (
        "Изменение"
    )
    # A visitor's trail goes through his own menu (not the signed-in users' «Реестр»).
    assert crumbs(page_of(None, reverse("public_index"))) == ["Главная", "Опубликованные реестры"]
    # No trail on the page of no section.
    assert crumbs(page_of(None, reverse("login"))) == []


def test_a_measure_is_under_its_plan_and_the_plan_under_the_one_it_is_appended_to(world):
    plan = make_roadmap(world.authority, "План мероприятий Омской области")
    appendix = make_roadmap(
        world.authority, "План Главного управления", parent=plan, appendix_number="29"
    )
    item = make_item(appendix, "1.1.")
    assert [c.title for c in record_crumbs(item, world.officer)] == [
        "План мероприятий Омской области",
        "Приложение № 29: План Главного управления",
        "Мероприятие 1.1.",
    ]
    html = page_of(world.officer, reverse("roadmaps:item_detail", args=[item.pk]))
    trail = crumbs(html)
    assert trail[:2] == ["Главная", "Дорожные карты"] and trail[-1] == "Мероприятие 1.1."
    assert f'href="{reverse("roadmaps:roadmap_detail", args=[plan.pk])}"' in html


def test_a_trail_ends_at_a_record_whose_model_names_no_parent():
    class Plain:
        pk = 1

        def __str__(self):
            return "Запись"

        def get_absolute_url(self):
            return "/x/"

    assert record_crumbs(Plain(), AnonymousUser()) == [Crumb("Запись", "/x/")]


def test_a_trail_names_no_parent_plan_the_user_may_not_view(world):
    # the city's plan, with the Главное управление's appendix to it and that one's own appendix
    parent = make_roadmap(world.city_authority, "План Администрации города Омска")
    appendix = make_roadmap(
        world.authority, "План Главного управления", parent=parent, appendix_number="3"
    )
    annex = make_roadmap(world.authority, "План отдела", parent=appendix, appendix_number="1")
    item = make_item(annex, "1.1.")
    assert not can(world.officer, VIEW, parent) and can(world.officer, VIEW, appendix)
    assert [c.title for c in record_crumbs(item, world.officer)] == [
        "Приложение № 3: План Главного управления",
        "Приложение № 1: План отдела",
        "Мероприятие 1.1.",
    ]
    # the coordinator views every plan: the whole trail
    assert record_crumbs(item, world.coordinator)[0] == Crumb(
        str(parent), reverse("roadmaps:roadmap_detail", args=[parent.pk])
    )
    # on the page: neither the parent's title nor its link
    html = page_of(world.officer, reverse("roadmaps:roadmap_detail", args=[appendix.pk]))
    assert crumbs(html)[-1] == "Приложение № 3: План Главного управления"
    assert "План Администрации города Омска" not in html
    assert reverse("roadmaps:roadmap_detail", args=[parent.pk]) not in html
    # a visitor's trail would name no scoped parent either
    assert record_crumbs(appendix, AnonymousUser()) == [
        Crumb(str(appendix), reverse("roadmaps:roadmap_detail", args=[appendix.pk]))
    ]


def test_a_link_covers_its_pages():
    link = Link("Строки", "registry:process_list", pages=("registry:process_*",))
    assert link.covers("registry:process_list") and link.covers("registry:process_edit")
    assert not link.covers("registry:proposal_list")
    assert Menu("Один", (link,)).dropdown is False


def test_no_template_writes_a_trail_of_its_own(world):
    """One trail per page, from {% breadcrumbs %}: a second <nav> would be a second landmark
    for a screen reader (the public registry had one)."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    by_hand = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if path.name != "_breadcrumbs.html" and 'class="breadcrumb' in path.read_text()
    ]
    assert by_hand == []
    from registry.services import publication

    publication.publish(world.authority, world.officer)
    for user in (None, world.officer):
        html = page_of(user, reverse("public_registry", args=[world.authority.pk]))
        assert html.count('data-testid="breadcrumbs"') == html.count('<ol class="breadcrumb') == 1
        assert crumbs(html)[-1] == world.authority.display_name


@pytest.mark.parametrize("role", ["official", "officer", "coordinator"])
def test_a_menu_link_its_crumb_and_its_page_title_say_the_same(world, role):
    """The seeds' wording once: «Реестр процессов» in the menu is «Реестр процессов» in the
    trail and the title of the page it opens (not «Строки реестра» in one of them). Verb links
    («Внести процесс») open a form whose title says what it does."""
    user = getattr(world, role)
    html = page_of(user, reverse("registry:tasks"))
    bar = html.split('data-testid="main-menu"', 1)[1].split('data-testid="user-menu"', 1)[0]
    links = re.findall(
        r'class="(?:dropdown-item|nav-link)[^"]*" href="([^"#]+)"[^>]*>([^<]+)<', bar
    )
    checked = 0
    for url, label in links:
        label = label.strip()
        if url in (reverse("registry:process_add"), reverse("admin:index")):
            continue
        page = page_of(user, url)
        title = re.search(r"<title>(.*?)</title>", page, re.S)[1].strip()
        assert title.startswith(label), (url, label, title)
        trail = crumbs(page)
        # The link's crumb; a page may go on to its record (coverage: the authority).
        assert not trail or label in trail[1:3], (url, label, trail)
        checked += 1
    assert checked >= 8


def test_the_home_page_links_say_what_the_menu_says(world):
    def links(user):
        html = page_of(user, reverse("home"))
        box = html.split('data-testid="home-links"', 1)[1].split("</ul>", 1)[0]
        return dict((title, url) for url, title in re.findall(r'href="([^"]+)">([^<]+)<', box))

    officer, official, coordinator = (
        links(u) for u in (world.officer, world.official, world.coordinator)
    )
    assert (
        officer["Внести процесс"]
        == official["Предложить процесс"]
        == reverse("registry:process_add")
    )
    assert reverse("registry:process_add") not in coordinator.values()
    assert officer["Реестр процессов"] == reverse("registry:process_list")
    assert officer["Сроки мероприятий"] == reverse("roadmaps:deadlines")
    assert officer["Дорожные карты"] == reverse("roadmaps:roadmap_list")
