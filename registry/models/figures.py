"""The catalogue coverage of each authority, stored: the national coverage page sums these
rows instead of reading a million registry rows (registry.services.figures computes them in
a job; portal.figures says when they are stale)."""

from __future__ import annotations

from django.db import models

from portal.scoping import ADMINISTRATOR, COORDINATOR, READ, Reach, RestrictedQuerySet, Scope

from .organizations import Organization

# Who may ask for a recomputation of stored figures (portal.views.figures.RECOMPUTE): any
# coordinator, since the job recomputes every authority's row (a region's coordinator
# included); what he then reads is VIEW's rule, his region's authorities.
RECOMPUTE = "recompute"
RECOMPUTE_RULES = {ADMINISTRATOR: Reach.ALL, COORDINATOR: Reach.ALL}
VIEW_RULES = READ


class CatalogueFigures(models.Model):
    authority = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="catalogue_figures",
        verbose_name="орган власти",
    )
    rows = models.PositiveIntegerField("строк реестра", default=0)
    reengineered = models.PositiveIntegerField("прошли реинжиниринг", default=0)
    groups_total = models.PositiveIntegerField("групп в перечне", default=0)
    groups_covered = models.PositiveIntegerField("групп в реестре", default=0)
    typicals_total = models.PositiveIntegerField("типовых процессов в перечне", default=0)
    typicals_covered = models.PositiveIntegerField("типовых процессов в реестре", default=0)
    # stored for the sort and the filter by share; 0 when the catalogue has none
    percent = models.FloatField("охват, %", default=0)
    computed_at = models.DateTimeField("рассчитано")

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="authority", rules={"view": VIEW_RULES, RECOMPUTE: RECOMPUTE_RULES})

    class Meta:
        verbose_name = "охват перечня органом власти"
        verbose_name_plural = "охват перечня органами власти"

    def __str__(self) -> str:
        return f"{self.authority}: {self.typicals_covered} из {self.typicals_total}"

    @property
    def groups_missing(self) -> int:
        return self.groups_total - self.groups_covered
