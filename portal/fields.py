"""Fields that mean the same thing in every app."""

from django.conf import settings
from django.db import models


def reference(to, verbose_name=None, *, optional=False, **options):
    """A link to a record that must outlive the one pointing at it: nothing the portal keeps is
    deleted, so the target is PROTECTed. `optional` allows an empty link (null and blank)."""
    if optional:
        options = {"null": True, "blank": True, **options}
    return models.ForeignKey(to, on_delete=models.PROTECT, verbose_name=verbose_name, **options)


def user_field(verbose_name=None, *, optional=True, **options):
    """The user who did something to the record ("создал", "исключил", "проверил"), with no
    reverse accessor on the user. Optional unless told."""
    return reference(
        settings.AUTH_USER_MODEL, verbose_name, optional=optional, related_name="+", **options
    )
