"""The reference catalogue: editions of the typical form, process groups, typical processes,
reengineering statuses, process kinds and digital placement points. Loaded from
fixtures/catalogue.json by a data migration; never hard-coded in templates or code."""

import re

from django.db import models

from portal.fields import reference
from portal.scoping import ADMINISTRATOR, CHANGE, COORDINATOR, VIEW, Reach, Scope

from ..choices import Level

# Who maintains an edition in «Справочники»: administrators every one, a coordinator his
# territory's (its `territory` is in his territory_ids); the pages read the catalogue through
# the authority's edition, not through these rules.
KEEPERS = {ADMINISTRATOR: Reach.ALL, COORDINATOR: Reach.TERRITORY}
EDITION_RULES = {VIEW: KEEPERS, CHANGE: KEEPERS}


def edition_scope(path: str) -> Scope:
    return Scope(owner=path, rules=EDITION_RULES)


class CatalogueEdition(models.Model):
    """The typical form and catalogue of one region's (municipality's) act: 320-рп is Omsk's.
    A territory without an edition of its own uses the template edition of its level; a new
    territory's edition is copied from a template (registry.services.editions)."""

    code = models.SlugField("код", unique=True)
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    name = models.CharField("наименование", max_length=200)
    source = models.CharField("документ-источник", max_length=500)
    # Item 1 of the client segment profile's form in the act's words (seed 000, appendix 2 of
    # 329-рп: Omsk's bodies named in full), without its number.
    profile_direction = models.CharField(
        "пункт 1 формы профиля клиентского сегмента",
        max_length=500,
        default="Наименование направления деятельности органа власти",
    )
    territory = models.OneToOneField(
        "registry.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalogue_edition",
        limit_choices_to={"kind__in": ("region", "municipality")},
        verbose_name="субъект или муниципальное образование",
        help_text="Чьим актом утверждена редакция; ее формулировки видят органы власти этой "
        "территории.",
    )
    is_template = models.BooleanField(
        "образец",
        default=False,
        help_text="Редакция, по образцу которой создаются редакции новых территорий; ее видят "
        "органы власти территорий без своей редакции.",
    )

    scoping = edition_scope("territory")
    registry_title = models.CharField("наименование реестра", max_length=500)
    # The form's note under the table, worded by each edition's own appendix.
    mandatory_note = models.CharField(
        "примечание к форме", max_length=300, default="* Графы, обязательные для заполнения."
    )

    class Meta:
        verbose_name = "редакция перечня"
        verbose_name_plural = "редакции перечня"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """How a choice names its edition beside others: the level, and the territory of an
        edition copied for one."""
        level = self.get_level_display()
        if self.territory_id and not self.is_template:
            return f"{level}, {self.territory}"
        return level


def template_edition(level: str = "regional") -> CatalogueEdition | None:
    """The template edition of a level: the wording of a page that shows several editions."""
    return CatalogueEdition.objects.filter(level=level, is_template=True).order_by("pk").first()


class CatalogueEntry(models.Model):
    """An entry of the catalogue: placed by its order, shown by its name."""

    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class EditionEntry(CatalogueEntry):
    """An entry of one edition of the typical form, in the edition's order."""

    class Meta(CatalogueEntry.Meta):
        abstract = True
        ordering = ["edition", "order"]


class RegistryColumn(models.Model):
    """A column of the typical form; the wording differs between editions."""

    edition = reference(CatalogueEdition, "редакция", related_name="columns")
    scoping = edition_scope("edition__territory")
    number = models.PositiveSmallIntegerField("номер графы")
    header = models.CharField("заголовок графы", max_length=500)
    mandatory = models.BooleanField("обязательна для заполнения", default=False)

    class Meta:
        verbose_name = "графа формы реестра"
        verbose_name_plural = "графы формы реестра"
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_column_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.header}{'*' if self.mandatory else ''}"


class ProcessGroup(EditionEntry):
    edition = reference(CatalogueEdition, "редакция", related_name="groups")
    scoping = edition_scope("edition__territory")
    code = models.CharField("код", max_length=10)
    name = models.CharField("наименование группы процессов", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=300, blank=True)

    class Meta(EditionEntry.Meta):
        verbose_name = "группа процессов"
        verbose_name_plural = "группы процессов"
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_group_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.short_name or self.name}"

    @property
    def label(self) -> str:
        """The group as pages of any authority name it: the short name names no region (the
        full name of group 5 is the Omsk catalogue's own wording)."""
        return self.short_name or self.name


class TypicalProcess(CatalogueEntry):
    group = reference(ProcessGroup, "группа процессов", related_name="typical_processes")
    scoping = edition_scope("group__edition__territory")
    code = models.CharField("код", max_length=10)
    name = models.CharField("наименование процесса", max_length=500)

    class Meta:
        verbose_name = "типовой процесс"
        verbose_name_plural = "типовые процессы"
        ordering = ["group__edition", "group__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="unique_typical_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ReengineeringStatus(EditionEntry):
    edition = reference(CatalogueEdition, "редакция", related_name="statuses")
    scoping = edition_scope("edition__territory")
    code = models.SlugField("код")
    name = models.CharField("статус", max_length=200)
    is_reengineered = models.BooleanField("считается прошедшим реинжиниринг", default=False)
    aliases = models.JSONField(
        "другие написания",
        default=list,
        blank=True,
        help_text="Встречающиеся варианты формулировки.",
    )

    class Meta(EditionEntry.Meta):
        verbose_name = "статус процесса (статус реинжиниринга)"
        verbose_name_plural = "статусы процессов (статусы реинжиниринга)"
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_status_code")
        ]


class ProcessKind(EditionEntry):
    """Column 13: digital / non-digital, worded per edition."""

    edition = reference(CatalogueEdition, "редакция", related_name="process_kinds")
    scoping = edition_scope("edition__territory")
    code = models.SlugField("код")
    name = models.CharField("вид процесса", max_length=100)
    is_digital = models.BooleanField("цифровой", default=False)

    class Meta(EditionEntry.Meta):
        verbose_name = "вид процесса"
        verbose_name_plural = "виды процессов"
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="unique_kind_code")]


class PlacementPoint(CatalogueEntry):
    """Column 14: where the function (service) is available in digital form."""

    code = models.SlugField("код", unique=True)
    name = models.CharField("точка размещения", max_length=300)

    class Meta(CatalogueEntry.Meta):
        verbose_name = "точка размещения в цифровом виде"
        verbose_name_plural = "точки размещения в цифровом виде"


class CellVariant(CatalogueEntry):
    """How hand-kept registries write a cell: «-», «нет» for an empty cell, «Госуслуги» or
    «сайт министерства» for a placement point. The import understands them, with a warning
    on the row (fixtures/catalogue.json "cell_variants"; edited in «Справочники»)."""

    EMPTY = "empty"
    PLACEMENT = "placement"
    MEANINGS = [(EMPTY, "пустая ячейка"), (PLACEMENT, "точка размещения")]

    text = models.CharField("как пишут в таблицах", max_length=300)
    # The tolerant comparison form (registry.services.imports.catalogue.key), kept on save.
    key = models.CharField(max_length=300, unique=True, editable=False)
    meaning = models.CharField("что означает", max_length=20, choices=MEANINGS)
    placement_point = models.ForeignKey(
        PlacementPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variants",
        verbose_name="точка размещения",
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = "вариант написания ячейки"
        verbose_name_plural = "варианты написания ячеек в загружаемых таблицах"
        ordering = ["meaning", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meaning="empty", placement_point__isnull=True)
                | models.Q(meaning="placement", placement_point__isnull=False),
                name="cell_variant_point_iff_placement",
            )
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        self.key = variant_key(self.text)
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.meaning == self.PLACEMENT and self.placement_point_id is None:
            raise ValidationError({"placement_point": "Укажите точку размещения."})
        if self.meaning == self.EMPTY and self.placement_point_id is not None:
            raise ValidationError({"placement_point": "У пустой ячейки нет точки размещения."})


def variant_key(text: str) -> str:
    """Case, ё/е, spaces, quotes and end punctuation do not count (as the import's key())."""
    value = re.sub(r"\s+", " ", (text or "").lower().replace("ё", "е")).strip()
    for quote in "«»“”\"'":
        value = value.replace(quote, "")
    return value.strip(" .;,")


class ActivityDirection(CatalogueEntry):
    """A direction of activity and the units responsible for it, as an edition's act lists
    them (seed 004, appendix 1 to order 246-р): preselects a campaign's participants
    (`responsible_units`). Kept as the act words it; the units are found by their names."""

    NAMED = "named"
    ALL = "all"
    GROUP_ROWS = "group_rows"
    RULES = [
        (NAMED, "подразделения, названные в акте"),
        (ALL, "все структурные подразделения"),
        (GROUP_ROWS, "подразделения, у которых есть процессы группы в реестре"),
    ]

    edition = reference(CatalogueEdition, "редакция", related_name="directions")
    scoping = edition_scope("edition__territory")
    number = models.PositiveSmallIntegerField("№ п/п")
    name = models.CharField("направление деятельности", max_length=500)
    responsible = models.TextField("ответственный исполнитель")
    group = reference(ProcessGroup, "группа процессов", optional=True, related_name="directions")
    rule = models.CharField("кто отвечает", max_length=20, choices=RULES, default=NAMED)

    class Meta(CatalogueEntry.Meta):
        verbose_name = "направление деятельности (ответственные подразделения)"
        verbose_name_plural = "направления деятельности (ответственные подразделения)"
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_direction_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ExclusionGround(CatalogueEntry):
    """A ground to exclude a row (item 9 of the Procedure, seed 001), offered as a choice;
    «иное» requires the officer's own text."""

    code = models.SlugField("код", unique=True)
    name = models.CharField("основание", max_length=500)
    requires_text = models.BooleanField("нужен свой текст", default=False)

    class Meta(CatalogueEntry.Meta):
        verbose_name = "основание исключения строки"
        verbose_name_plural = "основания исключения строк"


class InclusionReason(CatalogueEntry):
    """Why a function is in the registry (item 8 of the Procedure, seed 001)."""

    code = models.SlugField("код", unique=True)
    name = models.CharField("основание", max_length=500)

    class Meta(CatalogueEntry.Meta):
        verbose_name = "основание включения в реестр"
        verbose_name_plural = "основания включения в реестр"
