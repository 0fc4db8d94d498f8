"""Rows taken out but kept: nothing the portal records is deleted."""

from django.db import models


class NotRemovedManager(models.Manager):
    """The rows in force; removed ones stay in the table for the record."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Removable(models.Model):
    """A row that is taken out by setting its `removed_at` (each model names that field in its
    own words) and kept with its history. The default manager, and so every related manager,
    sees the rows in force; `all_objects` (the base manager) sees every row. A subclass with
    its own Meta extends Removable.Meta."""

    all_objects = models.Manager()
    objects = NotRemovedManager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"
        default_manager_name = "objects"
