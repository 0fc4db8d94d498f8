"""Client segmentation of an authority (appendix № 2 to order 329-рп, "Форма профиля
клиентского сегмента"), the touchpoints with clients and satisfaction assessments, each tied
to process groups and registry rows (the measures 3.x.1-3.x.3 of the roadmaps)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from portal.locking import Versioned
from portal.scoping import CHANGE, KEEP, OFFICIAL, Reach, RestrictedQuerySet, Scope
from registry.models import Organization, Process, ProcessGroup
from segmentation.choices import Channel, ClientKind


class AuthorityRecord(Versioned):
    """What every segmentation record has: the authority that keeps it, who and when, its
    version (a stale save is refused), and archiving instead of deletion."""

    authority = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="орган власти"
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    is_archived = models.BooleanField("в архиве", default=False)

    objects = RestrictedQuerySet.as_manager()
    # Every user of the authority keeps its segmentation records; coordinators read them.
    scoping = Scope(owner="authority", rules={CHANGE: {**KEEP, OFFICIAL: Reach.AUTHORITY}})

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.authority_id and not self.authority.is_authority:
            raise ValidationError({"authority": "Укажите орган власти."})


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


class CurrentAttributeManager(models.Manager):
    """The rows of the table as it is now; rows taken out stay, marked removed."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class SegmentAttribute(models.Model):
    """A row of the table "Признаки клиентского сегмента" (№ п/п, признак, значение). A row the
    table lost is kept, marked removed (nothing is deleted), and comes back if the table grows
    to its number again."""

    profile = models.ForeignKey(SegmentProfile, on_delete=models.CASCADE, related_name="attributes")
    number = models.PositiveSmallIntegerField("№ п/п")
    attribute = models.CharField("признак сегментации", max_length=500)
    value = models.CharField("значение сегмента", max_length=1000)
    removed_at = models.DateTimeField("убран из таблицы", null=True, blank=True)
    history = HistoricalRecords()

    all_objects = models.Manager()
    objects = CurrentAttributeManager()
    scoping = Scope(owner="profile__authority", rules=AuthorityRecord.scoping.rules)

    class Meta:
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        verbose_name = "признак клиентского сегмента"
        verbose_name_plural = "признаки клиентского сегмента"
        ordering = ["profile", "number"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="one_attribute_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.attribute}: {self.value}"


class ScopedToService(AuthorityRecord):
    """Kept for a process group or for one registry row (service) of the authority."""

    group = models.ForeignKey(
        ProcessGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="группа процессов",
    )
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="услуга (строка реестра)",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.group_id is None and self.process_id is None:
            raise ValidationError("Укажите группу процессов или услугу (строку реестра).")
        if self.process_id and self.authority_id and self.process.authority_id != self.authority_id:
            raise ValidationError({"process": "Строка реестра другого органа власти."})
        if self.process_id and self.group_id and self.process.group_id != self.group_id:
            raise ValidationError({"group": "Строка реестра относится к другой группе процессов."})


class Touchpoint(ScopedToService):
    channel = models.CharField("канал взаимодействия", max_length=30, choices=Channel.choices)
    place = models.CharField("место или информационная система", max_length=500)
    description = models.TextField("что происходит в точке контакта", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "точка взаимодействия с клиентом"
        verbose_name_plural = "точки взаимодействия с клиентами"
        ordering = ["authority__full_name", "group__order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.place}"


class SatisfactionAssessment(ScopedToService):
    period_start = models.DateField("период: с")
    period_end = models.DateField("период: по")
    method = models.CharField(
        "метод оценки", max_length=300, help_text="Например, анкетирование, интервью, отзывы."
    )
    sample_size = models.PositiveIntegerField("размер выборки (респондентов)")
    result = models.TextField("результат оценки")
    satisfied_share = models.DecimalField(
        "доля удовлетворенных, %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    problems = models.TextField("выявленные проблемы", blank=True)
    actions = models.TextField("принятые меры", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "оценка удовлетворенности клиентов"
        verbose_name_plural = "оценки удовлетворенности клиентов"
        ordering = ["authority__full_name", "-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="assessment_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfied_share__isnull=True)
                | models.Q(satisfied_share__gte=0, satisfied_share__lte=100),
                name="satisfied_share_is_a_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method}, {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "Конец периода раньше его начала."})
