"""The fixed choices of the registry app's models, apart from the models so that any model
module may import them without importing another."""

from django.db import models


class Role(models.TextChoices):
    OFFICIAL = "official", "сотрудник структурного подразделения"
    AUTHORIZED_OFFICER = "authorized_officer", "уполномоченное лицо органа власти"
    COORDINATOR = "coordinator", "координатор"
    ADMINISTRATOR = "administrator", "администратор"


class Directory(models.TextChoices):
    """Where a user's account lives when it is not the portal's own (sign-in by directory)."""

    LDAP = "ldap", "LDAP / Active Directory"
    OIDC = "oidc", "OpenID Connect"


class CampaignKind(models.TextChoices):
    QUARTERLY = "quarterly", "ежеквартальная актуализация"
    ONE_OFF = "one_off", "сбор сведений к сроку"


class AnswerState(models.TextChoices):
    WAITING = "waiting", "нет ответа"
    PROPOSAL = "proposal", "направлено предложение"
    NO_CHANGES = "no_changes", "изменений нет"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "предпросмотр"
    APPLIED = "applied", "применен"
    PROPOSED = "proposed", "направлен в предложение"
    CANCELLED = "cancelled", "отменен"
    EXPIRED = "expired", "не подтвержден в срок"


class Level(models.TextChoices):
    """The level of public power; it selects the catalogue edition and its wording."""

    REGIONAL = "regional", "региональный"
    MUNICIPAL = "municipal", "муниципальный"


class OrganizationKind(models.TextChoices):
    REGION = "region", "субъект Российской Федерации"
    MUNICIPALITY = "municipality", "муниципальное образование"
    AUTHORITY = "authority", "орган власти"
    UNIT = "unit", "структурное подразделение"


class LinkType(models.TextChoices):
    """The other row's role relative to this row."""

    PREDECESSOR = "predecessor", "предшествующий"
    SUCCESSOR = "successor", "последующий"


class ProposalState(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на проверке"
    RETURNED = "returned", "возвращено на доработку"
    APPROVED = "approved", "одобрено"
    APPLIED = "applied", "внесено в реестр"


class ProposalAction(models.TextChoices):
    ADD = "add", "добавить"
    CHANGE = "change", "изменить"
    EXCLUDE = "exclude", "исключить"
