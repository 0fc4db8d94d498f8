"""The one scoping entry point: who may see or do what with which rows.

After NetBox's `RestrictedQuerySet.restrict(user, action)`: every scoped model declares, once,
where its owning authority is (`Scope(owner="roadmap__owner")`) and, where it differs from the
portal's rule, how far each role reaches for an action. Lists, details, forms, exports, the
API and the admin all get their rows from `queryset.restrict(user, action)`; single objects are
checked with `can(user, action, obj)`, which applies the same rule in Python; views get
their rows through `portal.views.scoped.ScopedViewMixin`.

The rule (DEFAULT_RULES): administrators read every authority; a coordinator reads the
authorities of his region or municipality (a nationwide coordinator every authority); an
authority's officer and the officials of its units read their authority's rows; the officer
(and an administrator) changes them. A model narrows or widens this per action.

The kernel imports no app: a user is anything with `is_authenticated`, `is_active`,
`scope_role` (one of the role names below), `authority` (an organization with `pk` and
`parent_id`, or None), `unit_ids` (the user's unit and the units under it), `territory_ids`
(a coordinator's region or municipality and its authorities), `nationwide` (a coordinator of
the whole country) and `pk`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

ADMINISTRATOR = "administrator"
COORDINATOR = "coordinator"
OFFICER = "authorized_officer"
OFFICIAL = "official"

VIEW = "view"
CHANGE = "change"


class Reach(Enum):
    """How far a role reaches for an action."""

    ALL = "all"  # every row
    # the user's region or municipality and its authorities (user.territory_ids); every row
    # for a nationwide user (a federal coordinator)
    TERRITORY = "territory"
    REGION = "region"  # the user's authority and the region or municipality it belongs to
    AUTHORITY = "authority"  # the user's authority
    UNITS = "units"  # the user's unit and the units under it
    OWN = "own"  # what the user himself wrote, within his authority
    SELF = "self"  # rows the user himself asked for, whatever his authority (his jobs)


READ = {ADMINISTRATOR: Reach.ALL, COORDINATOR: Reach.TERRITORY, OFFICER: Reach.AUTHORITY}
READ[OFFICIAL] = Reach.AUTHORITY
KEEP = {ADMINISTRATOR: Reach.ALL, OFFICER: Reach.AUTHORITY}
DEFAULT_RULES: Mapping[str, Mapping[str, Reach]] = {VIEW: READ, CHANGE: KEEP}
# Every role reaches its own rows and nobody else's (an administrator included).
SELF_ONLY = dict.fromkeys((ADMINISTRATOR, COORDINATOR, OFFICER, OFFICIAL), Reach.SELF)


@dataclass(frozen=True)
class Scope:
    """Where a model's rows belong and who reaches them.

    owner: path to the owning authority ("authority", "roadmap__owner"); None for rows that
        belong to a user, not to an authority (reached by Reach.SELF only);
    unit: path to the unit, for Reach.UNITS;
    author: path to the user who wrote (or asked for) the row, for Reach.OWN, Reach.SELF,
        `private` and `not_own`;
    private: field values of rows only their author sees (drafts);
    private_for: the actions `private` limits (None: every action); a workflow's own step
        (reviewing a proposal) checks the row's state itself and says why in its words;
    rules: per action, how far each role reaches; an action named here replaces the default
        one, a role not named reaches nothing;
    not_own: actions a user may not take on a row he wrote (nobody approves his own proposal);
    distinct: the owner path crosses a to-many relation (a campaign's participants).
    """

    owner: str | None = None
    unit: str | None = None
    author: str | None = None
    private: Mapping[str, object] = field(default_factory=dict)
    private_for: frozenset[str] | None = None
    rules: Mapping[str, Mapping[str, Reach]] = field(default_factory=dict)
    not_own: frozenset[str] = frozenset()
    distinct: bool = False

    def __post_init__(self):
        reaches = {
            r for action in (VIEW, CHANGE, *self.rules) for r in self._rules(action).values()
        }
        if self.owner is None and reaches - {Reach.ALL, Reach.SELF}:
            raise ImproperlyConfigured("Scope без owner: допустимы только Reach.ALL и Reach.SELF.")
        if Reach.SELF in reaches and not self.author:
            raise ImproperlyConfigured("Reach.SELF требует author: кто просил эти строки.")
        if Reach.UNITS in reaches and not self.unit:
            raise ImproperlyConfigured("Reach.UNITS требует unit: путь к подразделению.")
        if (Reach.OWN in reaches or self.private or self.not_own) and not self.author:
            raise ImproperlyConfigured("Reach.OWN, private и not_own требуют author.")

    def _rules(self, action: str) -> Mapping[str, Reach]:
        # an action named with no roles ({}) means nobody, not the default
        return self.rules[action] if action in self.rules else DEFAULT_RULES.get(action, {})

    def reach(self, user, action: str) -> Reach | None:
        if not user.is_authenticated or not user.is_active:
            return None
        rules = self.rules[action] if action in self.rules else DEFAULT_RULES.get(action)
        if rules is None:
            raise ImproperlyConfigured(f"Действие «{action}» не описано в правилах доступа.")
        reach = rules.get(user.scope_role)
        if reach is Reach.TERRITORY and getattr(user, "nationwide", False):
            return Reach.ALL
        return reach

    def condition(self, user, action: str) -> Q | None:
        """The rows the user reaches as one Q; None when he reaches none."""
        reach = self.reach(user, action)
        if reach is None:
            return None
        if reach is Reach.ALL:
            condition = Q()
        elif reach is Reach.SELF:
            condition = Q(**{self.author: user.pk})
        elif reach is Reach.UNITS:
            condition = Q(**{f"{self.unit}__in": list(user.unit_ids)})
        elif reach is Reach.TERRITORY:
            if not user.territory_ids:
                return None
            condition = Q(**{f"{self.owner}__in": list(user.territory_ids)})
        else:
            authority = user.authority
            if authority is None:
                return None
            condition = Q(**{self.owner: authority.pk})
            if reach is Reach.REGION and authority.parent_id:
                condition |= Q(**{self.owner: authority.parent_id})
            if reach is Reach.OWN:
                condition &= Q(**{self.author: user.pk})
        if self._is_private(action):
            condition &= ~Q(**self.private) | Q(**{self.author: user.pk})
        if action in self.not_own:
            condition &= ~Q(**{self.author: user.pk})
        return condition

    def restrict(self, queryset: models.QuerySet, user, action: str) -> models.QuerySet:
        condition = self.condition(user, action)
        if condition is None:
            return queryset.none()
        queryset = queryset.filter(condition)
        return queryset.distinct() if self.distinct else queryset

    def allows(self, user, action: str, obj) -> bool:
        """The same rule for one object, in Python (the object may be unsaved)."""
        if self.distinct:
            if obj.pk is None:
                return False
            return (
                self.restrict(type(obj)._default_manager.all(), user, action)
                .filter(pk=obj.pk)
                .exists()
            )
        reach = self.reach(user, action)
        if reach is None:
            return False
        author = _value(obj, self.author) if self.author else None
        private = self._is_private(action) and all(
            _value(obj, k) == v for k, v in self.private.items()
        )
        if private and author != user.pk:
            return False
        if action in self.not_own and author == user.pk:
            return False
        if reach is Reach.ALL:
            return True
        if reach is Reach.SELF:
            return author is not None and author == user.pk
        if reach is Reach.UNITS:
            return _value(obj, self.unit) in set(user.unit_ids)
        if reach is Reach.TERRITORY:
            return _value(obj, self.owner) in set(user.territory_ids)
        authority = user.authority
        if authority is None:
            return False
        owner = _value(obj, self.owner)
        owners = {authority.pk}
        if reach is Reach.REGION and authority.parent_id:
            owners.add(authority.parent_id)
        return owner in owners and (reach is not Reach.OWN or author == user.pk)

    def _is_private(self, action: str) -> bool:
        return bool(self.private) and (self.private_for is None or action in self.private_for)


def _value(obj, path: str):
    """The value a queryset path names ("roadmap__owner" -> obj.roadmap.owner_id)."""
    *through, last = path.split("__")
    for name in through:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    # the id when it is a foreign key: no query for the related row
    if hasattr(obj, f"{last}_id"):
        return getattr(obj, f"{last}_id")
    return getattr(obj, last, None)


def scope_of(model) -> Scope:
    scope = getattr(model, "scoping", None)
    if not isinstance(scope, Scope):
        raise ImproperlyConfigured(f"{model.__name__} не объявляет scoping = Scope(...).")
    return scope


def can(user, action: str, obj) -> bool:
    """May the user take this action on this object: the views', templates' and admin's check."""
    return scope_of(type(obj)).allows(user, action, obj)


class RestrictedQuerySet(models.QuerySet):
    """The queryset of every scoped model."""

    def restrict(self, user, action: str = VIEW):
        return scope_of(self.model).restrict(self, user, action)

    def visible_to(self, user):
        return self.restrict(user, VIEW)

    def editable_by(self, user):
        return self.restrict(user, CHANGE)


def restrict(queryset_or_model, user, action: str = VIEW) -> models.QuerySet:
    """`restrict()` for a model, a manager or any queryset of a scoped model."""
    if isinstance(queryset_or_model, type):
        queryset_or_model = queryset_or_model._default_manager
    queryset = queryset_or_model.all()
    return scope_of(queryset.model).restrict(queryset, user, action)
