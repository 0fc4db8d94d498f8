"""The fixed choices of the roadmaps app's models, apart from the models so that any model
module may import them without importing another."""

from django.db import models


class LegalActKind(models.TextChoices):
    ORDER = "order", "распоряжение"
    RESOLUTION = "resolution", "постановление"
    DECREE = "decree", "указ"
    DIRECTIVE = "directive", "приказ"
    LAW = "law", "закон"
    OTHER = "other", "иной акт"


class DeadlineKind(models.TextChoices):
    DATE = "date", "дата"
    UNTIL = "until", "до даты"
    DONE = "done", "исполнено"
    NONE = "none", "не указан"
    # The document has something in the column that is not a date ("до 01.11.20213"): the text
    # is kept, no date is guessed, and the import reports the line.
    INVALID = "invalid", "не распознан"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "исполнено"
    CANCELLED = "cancelled", "отменено"


# Where a measure stands against its deadline on a day (services.deadlines.classify).
class DeadlineState(models.TextChoices):
    OVERDUE = "overdue", "просрочено"
    DUE_SOON = "due_soon", "срок скоро"
    LATER = "later", "в срок"
    NO_DATE = "no_date", "срок не указан"
    DONE = "done", "исполнено"
    CANCELLED = "cancelled", "отменено"


class Metric(models.TextChoices):
    """What the portal can measure for a measure from its own data (services.measured); which
    wording asks for which is data (MeasureMetric, fixtures/roadmaps/measure_metrics.json)."""

    REGISTRY_FORMED = "registry_formed", "реестр процессов сформирован"
    REGISTRY_APPROVED = "registry_approved", "реестр процессов утвержден"
    REGISTRY_PUBLISHED = "registry_published", "реестр процессов опубликован"
    ACTUALIZATION = "actualization", "ежеквартальная актуализация реестра"
    REENGINEERING = "reengineering", "реинжиниринг процессов группы"
    REENGINEERING_PLAN = "reengineering_plan", "план мероприятий по реинжинирингу"
    TOUCHPOINTS = "touchpoints", "перечень точек взаимодействия"
    PROFILE = "profile", "сегментация клиентов"
    ASSESSMENT = "assessment", "оценка удовлетворенности"
