"""What every segmentation record shares: its authority, author, version and archiving, and
the process group or registry row it is kept for."""

from django.core.exceptions import ValidationError
from django.db import models

from portal.fields import reference, user_field
from portal.locking import Versioned
from portal.scoping import CHANGE, KEEP, OFFICIAL, Reach, RestrictedQuerySet, Scope
from registry.models import Process, ProcessGroup, organization_field


class AuthorityRecord(Versioned):
    """What every segmentation record has: the authority that keeps it, who and when, its
    version (a stale save is refused), and archiving instead of deletion."""

    authority = organization_field("орган власти")
    created_at = models.DateTimeField("создано", auto_now_add=True)
    created_by = user_field(optional=False, null=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    updated_by = user_field()
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


class ScopedToService(AuthorityRecord):
    """Kept for a process group or for one registry row (service) of the authority."""

    group = reference(ProcessGroup, "группа процессов", optional=True, related_name="+")
    process = reference(Process, "услуга (строка реестра)", optional=True, related_name="+")

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
