"""The fixed choices of the segmentation app's models, apart from the models so that any model
module may import them without importing another."""

from django.db import models


class ClientKind(models.TextChoices):
    # Seed 001 item 2: a client and an internal client (an employee).
    EXTERNAL = "external", "внешний клиент"
    INTERNAL = "internal", "внутренний клиент (сотрудник)"


class Channel(models.TextChoices):
    # The digital ones as the catalogue's placement points (column 14 of seeds 001 and 004).
    IN_PERSON = "in_person", "личный прием"
    PHONE = "phone", "телефон"
    EPGU = "epgu", "Единый портал государственных и муниципальных услуг (функций)"
    REGIONAL_PORTAL = (
        "regional_portal",
        "региональный портал государственных и муниципальных услуг (функций)",
    )
    WEBSITE = "website", "сайт органа власти"
    EMAIL = "email", "электронная почта"
    POST = "post", "почта"
    MFC = "mfc", "многофункциональный центр"
    SOCIAL = "social", "социальные сети, мессенджеры"
    SYSTEM = "system", "информационная система"
    OTHER = "other", "иное"
