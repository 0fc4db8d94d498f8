"""Client segment profiles and the rows of their table of attributes."""

from django.db import models
from simple_history.models import HistoricalRecords

from portal.models import Removable
from portal.scoping import Scope
from registry.models import Process, ProcessGroup
from segmentation.choices import ClientKind

from .records import AuthorityRecord

# A module name, so that the service records one state per save with the sets included.
PROFILE_HISTORY = HistoricalRecords(m2m_fields=["groups", "processes"])


class SegmentProfile(AuthorityRecord):
    direction = models.TextField(
        "наименование направления деятельности органа власти",
        help_text="Пункт 1 формы профиля клиентского сегмента.",
    )
    name = models.CharField("профиль клиентского сегмента", max_length=500)
    client_kind = models.CharField(
        "клиенты", max_length=20, choices=ClientKind.choices, default=ClientKind.EXTERNAL
    )
    path_features = models.TextField("особенности клиентского пути", blank=True)
    channels = models.TextField("предпочтительные каналы взаимодействия", blank=True)
    groups = models.ManyToManyField(
        ProcessGroup, blank=True, related_name="+", verbose_name="группы процессов"
    )
    processes = models.ManyToManyField(
        Process, blank=True, related_name="segment_profiles", verbose_name="услуги (строки реестра)"
    )
    history = PROFILE_HISTORY

    class Meta:
        verbose_name = "профиль клиентского сегмента"
        verbose_name_plural = "профили клиентских сегментов"
        ordering = ["authority__full_name", "name"]

    def __str__(self) -> str:
        return self.name


class SegmentAttribute(Removable):
    """A row of the table "Признаки клиентского сегмента" (№ п/п, признак, значение). A row the
    table lost is kept, marked removed (nothing is deleted), and comes back if the table grows
    to its number again."""

    profile = models.ForeignKey(SegmentProfile, on_delete=models.CASCADE, related_name="attributes")
    number = models.PositiveSmallIntegerField("№ п/п")
    attribute = models.CharField("признак сегментации", max_length=500)
    value = models.CharField("значение сегмента", max_length=1000)
    removed_at = models.DateTimeField("убран из таблицы", null=True, blank=True)
    history = HistoricalRecords()

    scoping = Scope(owner="profile__authority", rules=AuthorityRecord.scoping.rules)

    class Meta(Removable.Meta):
        verbose_name = "признак клиентского сегмента"
        verbose_name_plural = "признаки клиентского сегмента"
        ordering = ["profile", "number"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="one_attribute_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.attribute}: {self.value}"
