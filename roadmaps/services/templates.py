"""A typical roadmap (seed 003) instantiated for an authority: its items copied with a link to
the template item, each unit the typical plan addresses ("структурное подразделение органа",
"…, ответственное за кадровое обеспечение") given the authority's own unit for it, the
registry figures of "реинжиниринг 10% процессов …" bound, and the authority's dates where it
sets them; coordinators then compare authorities item by item (services.collective)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from registry.models import Organization
from roadmaps.models import ItemResponsible, LegalAct, Roadmap, RoadmapItem
from roadmaps.services import items as item_service
from roadmaps.services import registry_link
from roadmaps.services.importer import get_or_create_act
from roadmaps.services.reader import parse_deadline

# How the typical plan names "the authority's own unit" in its responsible column; its other
# addressees (the HR unit, the press officers) are named in full and get a unit each.
OWN_UNIT = "структурное подразделение органа"


def refusal(deadline) -> str:
    """Why a typed deadline is refused (the reader's problem says what an import keeps)."""
    why = deadline.problem.split(":")[0].split("» ", 1)[-1]
    detail = "" if why == "не распознан" else f" ({why})"
    return (
        f"срок «{deadline.text}» не распознан{detail}. Укажите дату ДД.ММ.ГГГГ, "
        "«до ДД.ММ.ГГГГ», «Исполнено» или оставьте пустым. План не создан."
    )


@transaction.atomic
def instantiate(
    template: Roadmap,
    authority: Organization,
    *,
    user,
    unit: Organization | None = None,
    deadlines: dict[str, str] | None = None,
    act: LegalAct | None = None,
    units: dict[str, Organization] | None = None,
) -> Roadmap:
    """`deadlines`: number -> deadline text as the authority's plan writes it ("до 01.03.2027");
    the others keep the template's. `unit` answers for "структурное подразделение органа",
    `units` for the other addressees as the typical plan writes them (addressees()); an
    addressee given no unit stays as written."""
    if not template.is_template:
        raise ValidationError("Это не типовой план.")
    if not authority.is_authority:
        raise ValidationError("План по типовому плану создается для органа власти.")
    own = user.is_authorized_officer and user.authority and user.authority.pk == authority.pk
    if not (user.is_administrator or own):
        raise PermissionDenied("План органа власти создает его уполномоченное лицо.")
    units = {_key(n): u for n, u in {**(units or {}), OWN_UNIT: unit}.items() if u is not None}
    if any(u.authority_id != authority.pk for u in units.values()):
        raise ValidationError("Подразделение не входит в орган власти.")
    Roadmap.objects.select_for_update().get(pk=template.pk)  # one copy at a time (double click)
    if Roadmap.objects.filter(owner=authority, template=template).exists():
        raise ValidationError(f"У органа «{authority}» уже есть план по этому типовому плану.")
    deadlines = deadlines or {}
    numbers = {i.number for i in template.items.all()}
    unknown = sorted(set(deadlines) - numbers)
    if unknown:
        raise ValidationError(f"В типовом плане нет пунктов: {', '.join(unknown)}.")
    roadmap = Roadmap.objects.create(
        owner=authority,
        title=f"{template.title} — {authority.display_name}",
        template=template,
        legal_act=act,
    )
    copies: dict[int, RoadmapItem] = {}
    reason = f"По типовому плану «{template.title}»"
    for source in template.items.order_by("sort_key").prefetch_related("responsibles"):
        item = item_service.copy_item(
            source, roadmap=roadmap, parent=copies.get(source.parent_id), template_item=source
        )
        if source.number in deadlines:
            parsed = parse_deadline(deadlines[source.number])
            if parsed.problem:
                raise ValidationError(f"Пункт {source.number}: {refusal(parsed)}")
            item.deadline_text = parsed.text
            item.deadline_kind = parsed.kind
            item.deadline_date = parsed.date
        item_service.save_recorded(item, act=act, user=user, reason=reason)
        copies[source.pk] = item
        ItemResponsible.objects.bulk_create(
            _responsible(item, r, units) for r in source.responsibles.all()
        )
    # The typical plan is the region's, with no registry to measure: the copy is the
    # authority's, so its "реинжиниринг 10% процессов …" measures get their figures.
    registry_link.bind_targets(roadmap)
    return roadmap


def addressees(template: Roadmap) -> list[str]:
    """The typical plan's other parts of the authority than "структурное подразделение
    органа" (the HR unit, the press officers), as written, in the plan's order."""
    names = (
        ItemResponsible.objects.filter(item__roadmap=template, organization__isnull=True)
        .order_by("item__sort_key", "position")
        .values_list("name", flat=True)
    )
    found = dict.fromkeys(n for n in names if _names_a_unit(n) and _key(n) != _key(OWN_UNIT))
    return list(found)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _names_a_unit(name: str) -> bool:
    # units and staff of the authority itself, not its head or the working group
    return _key(name).startswith(("структурное подразделение", "сотрудники"))


def _responsible(item, source: ItemResponsible, units: dict) -> ItemResponsible:
    unit = units.get(_key(source.name)) if source.organization_id is None else None
    if unit is not None:
        return ItemResponsible(item=item, organization=unit, position=source.position)
    return ItemResponsible(
        item=item,
        organization_id=source.organization_id,
        name=source.name,
        position=source.position,
    )


def authorities_for(user, template: Roadmap):
    """The authorities the user may make a plan for from this typical plan (and has none yet):
    his own for an authorized officer, any of the plan's region for an administrator."""
    none = Organization.objects.none()
    if not template.is_template or not user.is_authenticated or not user.is_active:
        return none
    if user.is_administrator:
        authorities = Organization.objects.authorities().filter(parent=template.owner)
    elif user.is_authorized_officer and user.authority is not None:
        authorities = Organization.objects.filter(pk=user.authority.pk)
    else:
        return none
    planned = Roadmap.objects.filter(template=template).values("owner_id")
    return authorities.exclude(pk__in=planned).order_by("full_name")


@transaction.atomic
def instantiate_with_act(template, authority, *, user, act_values=None, **options):
    """The page's one call: the approving act (if given; a known one is reused) and the plan
    are written together, or neither."""
    act = get_or_create_act(**act_values) if act_values else None
    return instantiate(template, authority, user=user, act=act, **options)


@dataclass
class InstanceRow:
    item: RoadmapItem
    authority: Organization
    evidence: int


def compare(template_item: RoadmapItem, visible_items) -> list[InstanceRow]:
    """The same template item in every authority's plan the user may see."""
    rows = (
        visible_items.filter(template_item=template_item)
        .select_related("roadmap__owner")
        .prefetch_related("evidence")
        .order_by("roadmap__owner__full_name")
    )
    return [InstanceRow(i, i.roadmap.owner, len(i.evidence.all())) for i in rows]
