"""The pages of stored figures (portal.figures): what they show of their freshness, the
recomputation they queue themselves when stale, and the coordinators' button."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views import View

from portal.figures import freshness, recompute
from portal.scoping import can
from portal.views.scoped import ScopedViewMixin

RECOMPUTE = "recompute"


class FiguresPageMixin:
    """For an ObjectListView over a model of stored figures per authority. Declares
    `figures_kind` (the job's kind), `figures_title`, `figures_task` (a job_task of no
    parameters) and `recompute_url_name`; `expected_authorities()` is how many authorities
    the figures should cover."""

    figures_kind = ""
    figures_title = ""
    figures_task = None
    recompute_url_name = ""

    def expected_authorities(self) -> int:
        raise NotImplementedError

    def figures_context(self) -> dict:
        user = self.request.user
        fresh = freshness(self.get_queryset(), self.expected_authorities(), self.figures_kind)
        queued_now = False
        if fresh.stale and fresh.job is None:
            fresh.job, queued_now = recompute(
                user, self.figures_kind, self.figures_title, self.figures_task
            )
        return {
            "freshness": fresh,
            "queued_now": queued_now,
            "stale_minutes": settings.FIGURES_STALE_MINUTES,
            "can_recompute": fresh.job is None and can(user, RECOMPUTE, self.model()),
            "recompute_url": reverse(self.recompute_url_name),
        }


class RecomputeFiguresView(ScopedViewMixin, View):
    """POST: queues the recomputation of `model`'s figures (at most one at a time) and goes
    back to `page_url_name`."""

    figures_kind = ""
    figures_title = ""
    figures_task = None
    page_url_name = ""
    scope_action = RECOMPUTE

    def post(self, request):
        if not can(request.user, RECOMPUTE, self.model()):
            raise PermissionDenied("Пересчитать сведения может координатор.")
        job, queued = recompute(
            request.user, self.figures_kind, self.figures_title, self.figures_task
        )
        text = "Пересчет поставлен в очередь" if queued else "Пересчет уже выполняется"
        if job.user_id == request.user.pk:  # another's job page is not his to open
            link = reverse("portal:job_detail", args=[job.pk])
            text = format_html('{}: <a href="{}">задание № {}</a>.', text, link, job.pk)
        else:
            text = f"{text}: задание № {job.pk}."
        messages.info(request, text)
        return redirect(self.page_url_name)
