"""The top menu and the breadcrumbs, from one description.

Each app registers its menus (`register_menu`) and how its records appear in a trail
(`register_crumb`) in its AppConfig.ready(), as with portal.tasks: the kernel imports no app.
A link names the view names of the pages it leads to (`pages`, fnmatch patterns), so the same
data marks the current section in the menu and starts the breadcrumbs of every inner page:

    Главная › <menu> › <link> › <the page's records, parents first> › <the page itself>

A view says which record its page is about and what its own crumb is
(`BreadcrumbsMixin.breadcrumb_object` / `breadcrumb_title`, portal/views/scoped.py); the
`{% breadcrumbs %}` tag of base.html reads them from the view that answered the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from django.urls import NoReverseMatch, reverse

from portal.scoping import VIEW, can


def everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class Link:
    # A title or a function of the user (the official proposes what the officer enters).
    title: str | Callable[[object], str]
    url_name: str
    # Whether the user's role may use the page (the view refuses the others anyway).
    allowed: Callable[[object], bool] = everyone
    # The view names of the pages under this link (fnmatch patterns, e.g. "registry:process_*").
    pages: tuple[str, ...] = ()
    # Its name in the breadcrumbs, when the menu's wording is a verb («Внести процесс»).
    crumb: str = ""
    # A figure beside the title in the bar, a function of the user (the count of «Мои задачи»).
    badge: Callable[[object], object] | None = None

    def covers(self, view_name: str) -> bool:
        return view_name == self.url_name or any(fnmatchcase(view_name, p) for p in self.pages)

    def label(self, user) -> str:
        return self.title(user) if callable(self.title) else self.title


@dataclass(frozen=True)
class Menu:
    title: str
    links: tuple[Link, ...]
    order: int = 100
    # A menu of one link is a plain link in the bar (no dropdown).
    signed_in: bool = True
    anonymous: bool = False
    # Only for staff (the admin's «Справочники»).
    staff: bool = False
    # False: not in the bar, only the start of its pages' breadcrumbs (the user menu's pages).
    in_bar: bool = True

    @property
    def dropdown(self) -> bool:
        return len(self.links) > 1

    def shown_to(self, user) -> bool:
        if not user.is_authenticated:
            return self.anonymous
        return self.signed_in and (user.is_staff or not self.staff)


MENUS: list[Menu] = []

# The kernel's own pages: the admin (reference data and users) and a user's jobs.
ADMIN = Menu("Справочники", (Link("Справочники", "admin:index"),), order=40, staff=True)
JOBS = Menu(
    "Мои задания",
    (Link("Мои задания", "portal:job_list", pages=("portal:job_*",)),),
    in_bar=False,
)
API_TOKENS = Menu(
    "Мои ключи API",
    (Link("Мои ключи API", "portal:api_tokens", pages=("portal:api_token*",)),),
    in_bar=False,
)


@dataclass(frozen=True)
class CrumbRule:
    title: Callable[[object], str]
    url: Callable[[object], str] | None = None
    parent: Callable[[object], object] | None = None


CRUMBS: dict[type, CrumbRule] = {}


def register_menu(*menus: Menu) -> None:
    """Adds menus once (ready() may run again, e.g. in tests), in their `order`."""
    for menu in menus:
        if menu not in MENUS:
            MENUS.append(menu)
    MENUS.sort(key=lambda m: m.order)


register_menu(ADMIN, JOBS, API_TOKENS)


def register_crumb(model, title=str, url=None, parent=None) -> None:
    """How a record of `model` appears in a trail: its title, its page (default:
    get_absolute_url()) and the record whose crumb comes before it (a scoped model: shown
    only to a user who may view it, record_crumbs)."""
    CRUMBS[model] = CrumbRule(title, url, parent)


# -- what a page shows ------------------------------------------------------------------------


@dataclass
class Crumb:
    title: str
    url: str = ""


@dataclass
class ShownLink:
    title: str
    url: str
    active: bool
    badge: object = None


@dataclass
class ShownMenu:
    title: str
    links: list[ShownLink]
    dropdown: bool
    active: bool = field(init=False)

    def __post_init__(self):
        self.active = any(link.active for link in self.links)

    @property
    def url(self) -> str:
        return self.links[0].url


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # an app's page not installed in this configuration
        return ""


def _user(request):
    # A page rendered outside the middleware (an error page in a test) has no user.
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return user


def view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def _current_link(current: str) -> Link | None:
    """The one link marked current: the page's own link, else the first whose pages include
    it (the registry's rows include the form that «Внести процесс» opens)."""
    links = [link for menu in MENUS for link in menu.links]
    exact = [link for link in links if link.url_name == current]
    return (exact or [link for link in links if link.covers(current)] or [None])[0]


def menus_for(request) -> list[ShownMenu]:
    """The menus of the bar: only the links the user's role may use, the current one marked."""
    user, current = _user(request), view_name(request)
    active = _current_link(current)
    active_name = active.url_name if active else None
    shown = []
    for menu in MENUS:
        if not (menu.in_bar and menu.shown_to(user)):
            continue
        links = [
            ShownLink(
                link.label(user),
                _url(link.url_name),
                link.url_name == active_name,
                link.badge(user) if link.badge else None,
            )
            for link in menu.links
            if link.allowed(user)
        ]
        links = [link for link in links if link.url]
        if links:
            shown.append(ShownMenu(menu.title, links, menu.dropdown and len(links) > 1))
    return shown


def section_crumbs(request) -> list[Crumb]:
    """Home, the menu and the link whose pages include the current one."""
    current = view_name(request)
    for menu in MENUS:
        if not menu.shown_to(_user(request)):  # a visitor's trail goes through his own menu
            continue
        for link in menu.links:
            if link.covers(current):
                crumbs = [Crumb("Главная", _url("home"))]
                title = link.crumb or link.label(_user(request))
                if menu.dropdown and title != menu.title:
                    crumbs.append(Crumb(menu.title))
                return [*crumbs, Crumb(title, _url(link.url_name))]
    return []


def record_crumbs(obj, user) -> list[Crumb]:
    """The record and its parents, parents first. The record is the page's own (its view has
    checked it); a parent the user may not view is left out with all above it, so a trail
    names no record the user could not open (an appendix to another authority's plan)."""
    trail: list[Crumb] = []
    seen = 0
    while obj is not None and seen < 10:  # a parent cycle must not hang a page
        if seen and not can(user, VIEW, obj):
            break
        seen += 1
        rule = CRUMBS.get(type(obj))
        if rule is None:
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
            trail.append(Crumb(str(obj), url))
            break
        url = rule.url(obj) if rule.url else getattr(obj, "get_absolute_url", lambda: "")()
        trail.append(Crumb(rule.title(obj), url))
        obj = rule.parent(obj) if rule.parent else None
    return trail[::-1]
