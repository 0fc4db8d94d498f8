"""The registry itself: one Process per row of the typical form, links between rows."""

from __future__ import annotations

import re
from functools import partial

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Left
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portal.cells import cell_text
from portal.fields import reference, user_field
from portal.locking import Versioned
from portal.models import Removable
from portal.params import search_words
from portal.scoping import (
    ADMINISTRATOR,
    CHANGE,
    OFFICER,
    OFFICIAL,
    Reach,
    RestrictedQuerySet,
    Scope,
)

from ..choices import LinkType
from .catalogue import (
    InclusionReason,
    PlacementPoint,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    TypicalProcess,
)
from .organizations import organization_field


def normalize_text(value: str) -> str:
    """Case-, ё- and whitespace-insensitive form used for search and matching."""
    return re.sub(r"\s+", " ", (value or "").lower().replace("ё", "е")).strip()


IDENTIFIER_NUMBER = re.compile(r"[0-9]{1,18}")


def normalize_identifier(value: str) -> str:
    """Trimmed; a number loses its leading zeros, so "01" and "1" are one identifier."""
    value = (value or "").strip()
    return str(int(value)) if IDENTIFIER_NUMBER.fullmatch(value) else value


def identifier_number(value: str) -> int | None:
    """The numeric value of a numeric identifier (ASCII digits only, fits a bigint)."""
    return int(value) if IDENTIFIER_NUMBER.fullmatch(value or "") else None


class LifeSituation(models.Model):
    """Column 2: a life situation shared by many rows and authorities."""

    name = models.CharField("жизненная ситуация", max_length=500)
    # Unique in normalized form, so "Рождение ребёнка" and "рождение ребенка" are one entry.
    normalized_name = models.CharField(max_length=500, unique=True, editable=False)

    class Meta:
        verbose_name = "жизненная ситуация"
        verbose_name_plural = "жизненные ситуации"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = re.sub(r"\s+", " ", self.name).strip()
        self.normalized_name = normalize_text(self.name)
        super().save(*args, **kwargs)

    @classmethod
    def get_or_create_by_name(cls, name: str) -> LifeSituation | None:
        name = re.sub(r"\s+", " ", name or "").strip()
        if not name:
            return None
        situation, _ = cls.objects.get_or_create(
            normalized_name=normalize_text(name), defaults={"name": name}
        )
        return situation


# What column 12 shows of the row at the other end of a link, whichever authority it is in.
_TARGET_FIELDS = (
    "identifier",
    "function_name",
    "process_name",
    "is_excluded",
    "authority_id",
    "typical_process_id",
    "authority__short_name",
    "authority__full_name",
    "typical_process__name",
)
LINK_TARGET_FIELDS = {
    side: tuple(f"{side}__{name}" for name in _TARGET_FIELDS)
    for side in ("successor", "predecessor")
}


class ProcessQuerySet(RestrictedQuerySet):
    """The one scoping entry point for every list, detail, form and export of processes."""

    def search(self, text: str, field: str = "search_text"):
        """Rows whose normalized text contains every word of `text` (case and ё ignored).

        On PostgreSQL a word of the full search also matches its other forms (Russian
        stemming: «заявление» finds «заявления»), and both conditions use GIN indexes
        (trigrams for the substring, the stored tsvector for the forms: migration 0014)."""
        queryset = self
        stemmed = field == "search_text" and connections[self.db].vendor == "postgresql"
        for word in search_words(normalize_text(text)):
            condition = Q(**{f"{field}__contains": word})
            if stemmed:
                condition |= Q(search_vector=SearchQuery(word, config="russian"))
            queryset = queryset.filter(condition)
        return queryset

    def link_targets(self):
        """Rows of any authority that may be named in column 12; only these fields are exposed."""
        return self.select_related("authority", "typical_process").only("id", *_TARGET_FIELDS)

    def with_related(self):
        """Everything a list or export shows, in a constant number of queries. Only the two
        organizations are joined: with the five catalogue tables joined too PostgreSQL spent
        27 ms planning a page that runs in 1-3 ms (0.5 ms with two joins, docs/benchmarks.md);
        the catalogue entries of a page come by their ids, one small query each."""
        return self.select_related("authority", "unit").drawing(COLUMN_PREFETCHES)

    def drawing(self, columns):
        """Prefetches what these list columns draw from other tables, and nothing else: a
        page showing 9 of the 14 columns skips the links' and placement's 3 queries."""
        lookups = [
            lookup() if callable(lookup) else lookup
            for column in columns
            for lookup in COLUMN_PREFETCHES.get(column, ())
        ]
        return self.prefetch_related(None).prefetch_related(*lookups)


def _links(side: str) -> models.Prefetch:
    """A row's links on one side, with what column 12 prints of the other row."""
    return models.Prefetch(
        f"{side}_links",
        queryset=ProcessLink.objects.select_related(
            f"{side}__authority", f"{side}__typical_process"
        ).only(
            "id",
            "predecessor_id",
            "successor_id",
            "owner_authority_id",
            *LINK_TARGET_FIELDS[side],
        ),
    )


# What each column of the list (registry.tables.ProcessTable) reads from other tables (a
# callable: the Prefetch is made when asked for, after ProcessLink below is defined).
COLUMN_PREFETCHES = {
    "life_situation": ("life_situation",),
    "group": ("group",),
    "name": ("typical_process",),
    "status": ("status",),
    "kind": ("kind",),
    "placement": ("placement_points",),
    "links": (partial(_links, "successor"), partial(_links, "predecessor")),
}


# Free text sorts by its first characters: a B-tree entry holds at most 2,704 bytes, a cell
# 32,767 characters. On PostgreSQL's C collation a prefix orders exactly as the text does.
SORT_PREFIX = 100
SORTED_TEXT = (
    "function_name",
    "client",
    "regulating_act",
    "responsible",
    "input_data",
    "output_data",
)


def text_sort_key(field: str) -> Left:
    return Left(field, SORT_PREFIX)


# Columns 2, 6, 7, 9 and 13 sort by what a row refers to: the life situation's name, the
# catalogue entries' order. Copied into the row (key: (relation, attribute); kept by
# prepare_for_save() and services.sort_keys.entries_changed()), so that a sort walks one index
# of this table instead of sorting a third of a million joined rows.
STORED_SORT_KEYS = {
    "life_situation_name": ("life_situation", "name"),
    "group_order": ("group", "order"),
    "typical_order": ("typical_process", "order"),
    "status_order": ("status", "order"),
    "kind_order": ("kind", "order"),
}
# Column 6 and column 7 share one order: group, typical process, a non-typical name.
NAME_SORT = (
    F("group_order"),
    F("group_id"),
    F("typical_order"),
    text_sort_key("process_name"),
    F("id"),
)
SORTS = {
    **{field: (text_sort_key(field), F("id")) for field in SORTED_TEXT},
    "group": NAME_SORT,
    "name": NAME_SORT,
    "status": (F("status_order"), F("status_id"), F("id")),
    "kind": (F("kind_order"), F("kind_id"), F("id")),
    "life_situation": (F("life_situation_name"), F("life_situation_id"), F("id")),
}


def _sort_indexes() -> list[models.Index]:
    """One index per sort of the list, in the list's exact order. Of every row, not only
    those in force: the list also shows excluded rows (partial ones made that a 5-7 s sort);
    the few excluded rows are skipped as the index is walked."""
    indexes, done = [], set()
    for column, keys in SORTS.items():
        if keys in done:
            continue
        done.add(keys)
        indexes.append(models.Index(*keys, name=f"process_{column}_order"))
    return indexes


# Every saved state of a row: who, when, why (the change reason names the proposal, the file
# or the restore). Derived search fields are left out. A module name, so that the services can
# record one state per change with column 14 included (see services.processes.save_recorded).
PROCESS_HISTORY = HistoricalRecords(
    excluded_fields=[
        "search_text",
        "search_vector",
        "name_search_text",
        "identifier_number",
        "updated_at",
        *STORED_SORT_KEYS,
    ],
    m2m_fields=["placement_points"],
    # the reason quotes the exclusion ground or the file name: longer than 100 characters
    history_change_reason_field=models.TextField(null=True),
)


class Process(Versioned):
    """One row of the registry: a process (measure) of a function, service or digital service."""

    authority = organization_field(
        "орган власти", related_name="processes", limit_choices_to={"kind": "authority"}
    )
    unit = organization_field(
        "структурное подразделение",
        related_name="unit_processes",
        limit_choices_to={"kind": "unit"},
        help_text="Подразделение, которое готовит сведения о процессе (п. 7 Порядка).",
    )
    # Column 1. Text, because item 10 only recommends numbers; identifier_number sorts them.
    identifier = models.CharField("идентификатор процесса", max_length=50)
    identifier_number = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    life_situation = reference(
        LifeSituation, "жизненная ситуация", optional=True, related_name="processes"
    )
    function_name = cell_text("название функции, услуги, сервиса")  # column 3
    client = cell_text("клиент", blank=True)  # column 4
    regulating_act = cell_text("регулирующий акт")  # column 5
    group = reference(ProcessGroup, "группа процессов", optional=True, related_name="processes")
    typical_process = reference(
        TypicalProcess, "типовой процесс", optional=True, related_name="processes"
    )
    is_non_typical = models.BooleanField("нетиповой процесс", default=False)
    process_name = cell_text("название нетипового процесса", blank=True)  # column 7
    responsible = cell_text("ответственный за процесс")  # column 8
    status = reference(
        ReengineeringStatus, "статус процесса (статус реинжиниринга)", related_name="processes"
    )
    input_data = cell_text("данные на входе", blank=True)  # column 10
    output_data = cell_text("данные на выходе", blank=True)  # column 11
    kind = reference(ProcessKind, "вид процесса", optional=True, related_name="processes")
    # Sort keys: what the row's references sort by (STORED_SORT_KEYS).
    life_situation_name = models.CharField(max_length=500, null=True, editable=False)
    group_order = models.PositiveSmallIntegerField(null=True, editable=False)
    typical_order = models.PositiveSmallIntegerField(null=True, editable=False)
    status_order = models.PositiveSmallIntegerField(null=True, editable=False)
    kind_order = models.PositiveSmallIntegerField(null=True, editable=False)
    placement_points = models.ManyToManyField(  # column 14
        PlacementPoint, blank=True, related_name="processes", verbose_name="точки размещения"
    )
    placement_url = models.URLField("адрес в сети «Интернет»", max_length=500, blank=True)

    # Item 8 of the Procedure: why the function is in the registry; 8(2) is the flag.
    # Outside the 14 columns: the XLSX form, its import and the publication do not carry them.
    is_interdepartmental = models.BooleanField(
        "межведомственный процесс",
        default=False,
        help_text="Хотя бы один процесс функции выполняется совместно двумя или более органами "
        "власти (подпункт 2 пункта 8 Порядка).",
    )
    inclusion_reasons = models.ManyToManyField(
        InclusionReason,
        blank=True,
        related_name="processes",
        verbose_name="основания включения в реестр",
    )

    is_excluded = models.BooleanField("исключен из реестра", default=False)
    excluded_reason = models.TextField("основание исключения", blank=True)
    excluded_at = models.DateTimeField("исключен", null=True, blank=True)
    excluded_by = user_field("исключил")

    search_text = models.TextField(editable=False, blank=True)
    # PostgreSQL keeps it from search_text by a trigger (migration 0014); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    # Only what other authorities see of the row (link targets): identifier and names.
    name_search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменен", auto_now=True)
    created_by = user_field("создал")
    updated_by = user_field("изменил")

    objects = ProcessQuerySet.as_manager()
    history = PROCESS_HISTORY

    scoping = Scope(
        owner="authority",
        unit="unit",
        rules={CHANGE: {ADMINISTRATOR: Reach.ALL, OFFICER: Reach.AUTHORITY, OFFICIAL: Reach.UNITS}},
    )

    class Meta:
        verbose_name = "процесс"
        verbose_name_plural = "процессы реестра"
        ordering = ["authority_id", "identifier_number", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "identifier"],
                name="unique_process_identifier_per_authority",
                violation_error_message=(
                    "Идентификатор процесса уже есть в реестре этого органа власти."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(is_non_typical=True, typical_process__isnull=True)
                | models.Q(is_non_typical=False, typical_process__isnull=False),
                name="process_typical_or_explicitly_non_typical",
                violation_error_message=(
                    "Выберите процесс из перечня типовых процессов "
                    "или отметьте «Нетиповой процесс»."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "identifier_number"]),
            # the rare flags' filters: a few rows of a million, in the list's default order
            models.Index(
                fields=["authority", "identifier_number", "identifier"],
                condition=models.Q(is_non_typical=True, is_excluded=False),
                name="process_non_typical_order",
            ),
            models.Index(
                fields=["authority", "identifier_number", "identifier"],
                condition=models.Q(is_excluded=True),
                name="process_excluded_order",
            ),
            # item 8(2): none at all where the authorities have not marked them yet
            models.Index(
                fields=["authority", "identifier_number", "identifier"],
                condition=models.Q(is_interdepartmental=True, is_excluded=False),
                name="process_interdept_order",
            ),
            # a coordinator's list sorted by column 1 across every authority
            models.Index(
                fields=["identifier_number", "identifier", "id"],
                condition=models.Q(is_excluded=False),
                name="process_identifier_order",
            ),
            models.Index(fields=["authority", "unit"]),
            *_sort_indexes(),
        ]

    def __str__(self) -> str:
        return f"{self.identifier}. {self.name}"

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:process_detail", args=[self.pk])

    def clean(self):
        if self.is_non_typical and not (self.process_name or "").strip():
            raise ValidationError(
                {"process_name": "Графа 7: для нетипового процесса укажите название."}
            )
        if self.unit_id and self.authority_id and self.unit.authority_id != self.authority_id:
            raise ValidationError({"unit": "Подразделение не входит в орган власти строки."})

    @property
    def name(self) -> str:
        """Column 7 as written in the registry."""
        if self.typical_process_id:
            return self.typical_process.name
        return self.process_name

    def prepare_for_save(self) -> None:
        """Derived fields; called by save() and by bulk writes, which skip save()."""
        self.identifier = normalize_identifier(self.identifier)
        self.identifier_number = identifier_number(self.identifier)
        if self.typical_process_id:
            self.group = self.typical_process.group
            self.process_name = ""
        for key, (relation, attribute) in STORED_SORT_KEYS.items():
            entry = getattr(self, relation) if getattr(self, f"{relation}_id") else None
            setattr(self, key, getattr(entry, attribute) if entry is not None else None)
        self.search_text = self.build_search_text()
        self.name_search_text = normalize_text(
            " \n".join((self.identifier, self.function_name, self.name))
        )

    def build_search_text(self) -> str:
        parts = [
            self.identifier,
            self.function_name,
            self.name,
            self.regulating_act,
            self.life_situation.name if self.life_situation_id else "",
            self.client,
            self.responsible,
        ]
        return normalize_text(" \n".join(p for p in parts if p))

    # Column 12, as seen from this row. Uses prefetched links when with_related() was used.
    def link_entries(self) -> list[tuple[ProcessLink, Process, str]]:
        """(link, other row, its role relative to this row), predecessors first."""
        rows = [(link, link.predecessor, "predecessor") for link in self.predecessor_links.all()]
        rows += [(link, link.successor, "successor") for link in self.successor_links.all()]
        return rows

    def related_links(self) -> list[tuple[Process, str]]:
        """(other process, link type from this row's point of view), predecessors first."""
        return [(other, link_type) for _, other, link_type in self.link_entries()]

    def links_text(self) -> str:
        """Column 12 in the form's wording: "2 (предшествующий); 5 (последующий)"."""
        parts = []
        for other, link_type in self.related_links():
            label = LinkType(link_type).label
            ref = other.identifier
            if other.authority_id != self.authority_id:
                ref = f"{other.authority.display_name}: {ref}"
            parts.append(f"{ref} ({label})")
        return "; ".join(parts)


class ProcessLink(Removable):
    """Stored once as predecessor -> successor; each row shows it in its own terms.

    A link belongs to the authority through whose row it was entered: only that authority
    removes it, so another authority's row cannot drop it from under its owner.
    """

    predecessor = reference(Process, "предшествующий процесс", related_name="successor_links")
    successor = reference(Process, "последующий процесс", related_name="predecessor_links")
    owner_authority = organization_field("внесена органом власти")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = user_field()
    removed_at = models.DateTimeField("удалена", null=True, blank=True)
    removed_by = user_field()

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta(Removable.Meta):
        verbose_name = "связь процессов"
        verbose_name_plural = "связи процессов"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                condition=models.Q(removed_at__isnull=True),
                name="unique_active_process_link",
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="process_link_not_self",
                violation_error_message="Процесс не может быть связан сам с собой.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"
