"""The registry's menus and how its records appear in breadcrumbs (portal.navigation).
Names as in the Procedure (320-рп): «реестр процессов», its «актуализация» and «публикация»;
a link, its page's crumb and the start of its page's title say the same."""

from django.urls import reverse

from portal import tasks
from portal.navigation import Link, Menu, register_crumb, register_menu
from registry.models import Campaign, ImportBatch, Process, Proposal, ReengineeringPlanEntry


def works_on_a_registry(user) -> bool:
    return user.works_on_a_registry


def add_title(user) -> str:
    # The official's row goes into a proposal the officer reviews.
    return "Внести процесс" if user.applies_changes_directly else "Предложить процесс"


REGISTRY = Menu(
    "Реестр",
    (
        Link("Реестр процессов", "registry:process_list", pages=("registry:process_*",)),
        Link(add_title, "registry:process_add", works_on_a_registry),
        Link(
            "Загрузка реестра из файла",
            "registry:import_upload",
            works_on_a_registry,
            pages=("registry:import_*",),
        ),
        Link("Предложения", "registry:proposal_list", pages=("registry:proposal_*",)),
        Link(
            "Актуализация",
            "registry:campaign_list",
            pages=("registry:campaign_*", "registry:coverage*"),
        ),
        Link(
            "План реинжиниринга",
            "registry:reengineering",
            pages=("registry:reengineering*",),
        ),
        Link("Публикация", "registry:versions", pages=("registry:version*", "registry:publish")),
        Link("Опубликованные реестры", "public_index", pages=("public_*",)),
    ),
    order=10,
)
TASKS = Menu("Мои задачи", (Link("Мои задачи", "registry:tasks", badge=tasks.count_for),), order=50)
# Visitors who are not signed in: the published registries only.
PUBLIC = Menu(
    "Опубликованные реестры",
    (Link("Опубликованные реестры", "public_index", pages=("public_*",)),),
    order=10,
    signed_in=False,
    anonymous=True,
)


def register() -> None:
    register_menu(REGISTRY, TASKS, PUBLIC)
    register_crumb(Process, title=lambda p: f"{p.authority.display_name}, процесс {p.identifier}")
    register_crumb(Proposal, title=lambda p: f"Предложение № {p.pk}")
    register_crumb(
        Campaign,
        title=lambda c: c.title,
        url=lambda c: reverse("registry:campaign_detail", args=[c.pk]),
    )
    register_crumb(
        ReengineeringPlanEntry,
        title=lambda e: f"{e.authority.display_name}, процесс {e.process.identifier}",
        url=lambda e: reverse("registry:reengineering_entry", args=[e.pk]),
    )
    register_crumb(
        ImportBatch,
        title=lambda b: b.file_name,
        url=lambda b: reverse("registry:import_detail", args=[b.pk]),
    )
