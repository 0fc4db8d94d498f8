"""Roadmap pages: the coordinator's deadlines board (also as XLSX), the list of roadmaps, a
roadmap as its document shows it (also as it stood on a day), a measure with its evidence and
status, and the iCalendar feed. Querysets are scoped through services.access; writing is left
to services.items."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from registry.views.downloads import written_xlsx_response
from roadmaps.filters import DeadlineFilterSet
from roadmaps.forms import EvidenceForm, StatusForm
from roadmaps.models import CalendarFeedToken, ItemResponsible, ItemStatus, RoadmapItem
from roadmaps.services import (
    access,
    board,
    deadlines,
    feeds,
    history,
    ical,
    registry_link,
    templates,
)
from roadmaps.services import items as item_service
from roadmaps.services.export import export_rows
from roadmaps.tables import STATE_CSS, DeadlineTable
from segmentation.services.coverage import ASPECT_LABELS, demanded_by_measure

PAGE_SIZE = 50


def _date_param(request, name) -> date | None:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


class DeadlineBoardView(LoginRequiredMixin, TemplateView):
    """Every measure the user may see, overdue first; ?export=xlsx gives exactly these rows."""

    template_name = "roadmaps/deadlines.html"

    def get_filterset(self):
        return DeadlineFilterSet(
            self.request.GET or None,
            queryset=access.visible_items(self.request.user),
            request=self.request,
        )

    def board(self):
        filterset = self.get_filterset()
        today = timezone.localdate()
        if filterset.is_bound and not filterset.is_valid():
            return filterset, today, deadlines.DUE_SOON_DAYS, [], []
        within = filterset.within_days()
        all_rows = board.rows(filterset.qs, today, within)
        state = filterset.chosen_state()
        shown = [r for r in all_rows if r.state == state] if state else all_rows
        return filterset, today, within, all_rows, shown

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        filterset, today, within, all_rows, shown = self.board()
        if filterset.is_bound and not filterset.is_valid():
            messages.error(request, "Выгрузка не сформирована: проверьте условия отбора.")
            return redirect("roadmaps:deadlines")
        return written_xlsx_response(
            lambda path: export_rows(shown, path),
            f"Сроки мероприятий дорожных карт — {today:%d.%m.%Y}.xlsx",
        )

    def get_context_data(self, **kwargs):
        filterset, today, within, all_rows, shown = self.board()
        page = Paginator(shown, PAGE_SIZE).get_page(self.request.GET.get("page"))
        table = DeadlineTable(list(page.object_list))
        query = self.request.GET.copy()
        query.pop("page", None)
        export_query = query.copy()
        export_query["export"] = "xlsx"
        token = feeds.token_for(self.request.user)
        feed_url = self.request.build_absolute_uri(reverse("roadmaps:calendar", args=[token.token]))
        authority = filterset.form.cleaned_data.get("authority") if filterset.is_valid() else None
        return super().get_context_data(
            filter=filterset,
            table=table,
            page=page,
            query=query.urlencode(),
            export_query=export_query.urlencode(),
            today=today,
            within=within,
            progress=board.progress_by_authority(all_rows),
            bar_states=board.BAR_STATES,
            state_css=STATE_CSS,
            total=len(shown),
            feed_url=feed_url + (f"?authority={authority.pk}" if authority else ""),
            **kwargs,
        )


class RoadmapListView(LoginRequiredMixin, TemplateView):
    template_name = "roadmaps/roadmap_list.html"

    def get_context_data(self, **kwargs):
        measures = Q(items__is_section=False)
        roadmaps = (
            access.visible_roadmaps(self.request.user)
            .select_related("owner__successor")
            .annotate(
                measures=Count("items", filter=measures),
                done=Count("items", filter=measures & Q(items__status=ItemStatus.DONE)),
            )
        )
        return super().get_context_data(roadmaps=roadmaps, **kwargs)


class RoadmapDetailView(LoginRequiredMixin, TemplateView):
    """The plan as its document shows it; ?on=date shows it as it stood then (history),
    ?since=date highlights what was added or changed after that day."""

    template_name = "roadmaps/roadmap_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        roadmap = get_object_or_404(access.visible_roadmaps(user), pk=self.kwargs["pk"])
        today = timezone.localdate()
        on = _date_param(self.request, "on")
        since = _date_param(self.request, "since")
        responsibles = ItemResponsible.objects.select_related("organization__successor")
        if on is not None:
            rows = [
                {"item": state, "state": None, "historical": True}
                for state in history.items_on(roadmap, on)
            ]
        else:
            items = roadmap.items.prefetch_related(
                "evidence",
                Prefetch("responsibles", queryset=responsibles.order_by("position", "pk")),
            ).order_by("sort_key")
            rows = [
                {
                    "item": item,
                    "state": None if item.is_section else deadlines.classify(item, today),
                    "historical": False,
                }
                for item in items
            ]
        changes = history.changes_since(roadmap, since, on) if since else {}
        for row in rows:
            row["change"] = change = changes.get(row["item"].id)
            row["changed_fields"] = (
                [str(RoadmapItem._meta.get_field(f).verbose_name) for f in change.fields]
                if change
                else []
            )
            row["css"] = STATE_CSS.get(row["state"].value, "") if row["state"] else ""
        return super().get_context_data(
            roadmap=roadmap,
            rows=rows,
            on=on,
            since=since,
            today=today,
            changes=changes,
            can_edit=access.may_edit(user, roadmap),
            appendices=access.visible_roadmaps(user).filter(parent=roadmap),
            **kwargs,
        )


class ItemMixin:
    def get_item(self):
        items = access.visible_items(self.request.user).select_related(
            "roadmap__owner__successor", "parent"
        )
        return get_object_or_404(items, pk=self.kwargs["pk"])


class ItemDetailView(LoginRequiredMixin, ItemMixin, TemplateView):
    template_name = "roadmaps/item_detail.html"

    def get_context_data(self, **kwargs):
        evidence_form = kwargs.pop("evidence_form", None)
        status_form = kwargs.pop("status_form", None)
        item = self.get_item()
        if item.is_section:
            raise Http404("Раздел плана не имеет своей страницы.")
        today = timezone.localdate()
        can_edit = access.may_edit(self.request.user, item.roadmap)
        owner = item.roadmap.owner
        aspect = demanded_by_measure(item.text)
        return super().get_context_data(
            item=item,
            roadmap=item.roadmap,
            # Measures 3.x.1-3.x.3 lead to the segmentation coverage they demand.
            coverage_aspect=aspect,
            registry_progress=registry_link.progress(item),
            # A typical plan's item: the same item in every authority's plan, side by side.
            instances=templates.compare(item, access.visible_items(self.request.user))
            if item.roadmap.is_template
            else None,
            coverage_label=ASPECT_LABELS.get(aspect or "", ""),
            coverage_authority=owner if owner.is_authority else None,
            state=deadlines.classify(item, today),
            last_day=deadlines.last_day(item),
            days_left=deadlines.days_left(item, today),
            state_css=STATE_CSS,
            evidence=item.evidence.select_related("added_by"),
            records=item.history.select_related("legal_act", "history_user").order_by(
                "-history_date"
            )[:20],
            can_edit=can_edit,
            evidence_form=evidence_form
            or EvidenceForm(initial={"document_type": item.document_type}),
            status_form=status_form or StatusForm(initial={"status": item.status}),
            **kwargs,
        )


class EditItemView(LoginRequiredMixin, ItemMixin, View):
    refusal = (
        "Изменять исполнение мероприятий может только уполномоченное лицо органа власти, "
        "которому принадлежит дорожная карта."
    )

    def post(self, request, pk):
        item = self.get_item()
        if item.is_section:
            raise Http404
        if not access.may_edit(request.user, item.roadmap):
            raise PermissionDenied(self.refusal)
        return self.change(request, item)

    def invalid(self, request, item, **forms):
        """The item page again, with the refused form and its errors."""
        view = ItemDetailView(request=request, args=(), kwargs={"pk": item.pk})
        response = view.render_to_response(view.get_context_data(**forms))
        response.status_code = 400
        return response


class EvidenceAddView(EditItemView):
    def change(self, request, item):
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                evidence = item_service.add_evidence(
                    item,
                    user=request.user,
                    document_type=data["document_type"],
                    number=data["number"],
                    date=data["date"],
                    title=data["title"],
                    url=data["url"],
                    file=data["file"] or None,
                )
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Подтверждающий документ добавлен: {evidence}.")
                return redirect("roadmaps:item_detail", pk=item.pk)
        return self.invalid(request, item, evidence_form=form)


class ItemStatusView(EditItemView):
    def change(self, request, item):
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                item_service.set_status(
                    item,
                    form.cleaned_data["status"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as refused:
                for message in refused.messages:
                    messages.error(request, message)
            else:
                item.refresh_from_db()
                messages.success(
                    request,
                    f"Статус мероприятия {item.number}: {item.get_status_display()}.",
                )
            return redirect("roadmaps:item_detail", pk=item.pk)
        return self.invalid(request, item, status_form=form)


class CalendarFeedView(View):
    """The secret address is the credential: no session, no login."""

    def get(self, request, token):
        feed = (
            CalendarFeedToken.objects.select_related("user")
            .filter(token=token, user__is_active=True)
            .first()
        )
        if feed is None:
            raise Http404("Нет такого календаря.")
        authority_id = None
        if request.GET.get("authority"):
            try:
                authority_id = int(request.GET["authority"])
            except ValueError:
                raise Http404("Нет такого органа власти.") from None
        text = ical.calendar(
            feeds.events(feed.user, authority_id), name="Сроки мероприятий дорожных карт"
        )
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="roadmaps.ics"'
        return response


class MyMeasuresView(LoginRequiredMixin, TemplateView):
    """ "Мои мероприятия": the measures the user answers for (access.my_items, the same as his
    roadmap tasks), every state, in the deadlines board's order; ?export=xlsx gives exactly
    these rows. A user who answers for none (a coordinator, an administrator) is told so and
    sent to the deadlines board."""

    template_name = "roadmaps/mine.html"

    def rows(self, today: date) -> list[board.Row] | None:
        items = access.my_items(self.request.user)
        return None if items is None else board.rows(items, today)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        today = timezone.localdate()
        rows = self.rows(today)
        if rows is None:
            return redirect("roadmaps:mine")
        return written_xlsx_response(
            lambda path: export_rows(rows, path),
            f"Мои мероприятия дорожных карт — {today:%d.%m.%Y}.xlsx",
        )

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = self.rows(today)
        table_attrs = {**DeadlineTable.Meta.attrs, "data-testid": "my-measures"}
        return super().get_context_data(
            today=today,
            within=deadlines.DUE_SOON_DAYS,
            has_own=rows is not None,
            total=len(rows or []),
            counts=[
                (state, count, STATE_CSS[state.value])
                for state, count in board.state_counts(rows or [])
            ],
            table=DeadlineTable(rows or [], attrs=table_attrs, empty_text="Мероприятий нет."),
            **kwargs,
        )
