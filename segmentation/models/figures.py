"""The segmentation coverage of each authority, stored: the national coverage page sums these
rows instead of reading every registry row and record of the country
(segmentation.services.figures computes them in a job; portal.figures says when they are
stale)."""

from __future__ import annotations

from django.db import models

from portal.scoping import RestrictedQuerySet, Scope
from registry.models import Organization
from registry.models.figures import RECOMPUTE, RECOMPUTE_RULES, VIEW_RULES


class SegmentationFigures(models.Model):
    authority = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="segmentation_figures",
        verbose_name="орган власти",
    )
    services = models.PositiveIntegerField("услуг в реестре", default=0)
    profile = models.PositiveIntegerField("с профилем клиентского сегмента", default=0)
    touchpoints = models.PositiveIntegerField("с точками взаимодействия", default=0)
    assessment = models.PositiveIntegerField("с оценкой удовлетворенности", default=0)
    groups_with_services = models.PositiveIntegerField("групп с услугами", default=0)
    groups_complete = models.PositiveIntegerField("групп с полным охватом", default=0)
    # the mean of the three shares, stored for the sort; 0 when there are no services
    percent = models.FloatField("охват, %", default=0)
    computed_at = models.DateTimeField("рассчитано")

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="authority", rules={"view": VIEW_RULES, RECOMPUTE: RECOMPUTE_RULES})

    class Meta:
        verbose_name = "охват услуг сегментацией"
        verbose_name_plural = "охват услуг сегментацией"

    def __str__(self) -> str:
        return f"{self.authority}: {self.percent:.1f} %"
