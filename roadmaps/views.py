"""Roadmap pages: the coordinator's deadlines board (also as XLSX), the list of roadmaps, a
roadmap as its document shows it (also as it stood on a day), a measure with its evidence and
status, the iCalendar feed, the amendment of a plan by a legal act, an authority's plan made
from a typical one, and "Мои мероприятия". Querysets are scoped through services.access;
writing is left to services (items, amendments, templates)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views import View
from django.views.generic import TemplateView

from portal.downloads import protected_file_response, written_xlsx_response
from portal.locking import StaleEdit, refuse_stale
from portal.params import date_param, int_param
from registry.models import Organization
from roadmaps.filters import DeadlineFilterSet
from roadmaps.forms import (
    EditionUploadForm,
    EvidenceForm,
    InstantiateForm,
    ItemEditFormSet,
    LegalActForm,
    StatusForm,
)
from roadmaps.models import (
    CalendarFeedToken,
    Evidence,
    ItemResponsible,
    ItemStatus,
    LegalActKind,
    RoadmapItem,
)
from roadmaps.services import (
    access,
    amendments,
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
from roadmaps.services.reader import SpreadsheetError, canonical_number, read_roadmap
from roadmaps.tables import STATE_CSS, DeadlineTable
from segmentation.services.coverage import ASPECT_LABELS, demanded_by_measure

PAGE_SIZE = 50


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
        on = date_param(self.request, "on")
        since = date_param(self.request, "since")
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
            acts=history.acts_of(roadmap),
            may_instantiate=templates.authorities_for(user, roadmap).exists(),
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
            status_form=status_form or StatusForm(initial={"status": item.status}, versioned=item),
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
                errors = refused.error_dict if hasattr(refused, "error_dict") else {None: refused}
                for field, error in errors.items():
                    form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, f"Подтверждающий документ добавлен: {evidence}.")
                return redirect("roadmaps:item_detail", pk=item.pk)
        return self.invalid(request, item, evidence_form=form)


class EvidenceFileView(LoginRequiredMixin, View):
    """An evidence file, to whoever may see its measure (services.access), always as a
    download with the type its content showed (portal.downloads)."""

    def get(self, request, pk):
        evidence = get_object_or_404(
            Evidence.objects.filter(item__in=access.visible_items(request.user)).exclude(file=""),
            pk=pk,
        )
        missing = Http404("Файл подтверждающего документа не найден в хранилище.")
        if not evidence.file.storage.exists(evidence.file.name):
            raise missing
        try:
            stream = evidence.file.open("rb")
        except (OSError, ObjectDoesNotExist):
            raise missing from None
        return protected_file_response(stream, evidence.download_name, evidence.content_type)


class ItemStatusView(EditItemView):
    def change(self, request, item):
        form = StatusForm(request.POST, versioned=item)
        if form.is_valid():
            try:
                item_service.set_status(
                    item,
                    form.cleaned_data["status"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.opened_version,
                )
            except StaleEdit:
                # The item page as it is now, with a fresh status form.
                view = ItemDetailView(request=request, args=(), kwargs={"pk": item.pk})
                return refuse_stale(
                    request,
                    lambda: view.render_to_response(view.get_context_data()),
                    message="Мероприятие изменил другой пользователь, пока вы редактировали "
                    "форму: статус не сохранен. Ниже — текущие значения; повторите.",
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


class CalendarReissueView(LoginRequiredMixin, View):
    """ "Выпустить новую ссылку": the old feed address stops working at once."""

    def post(self, request):
        feeds.reissue(request.user)
        messages.success(
            request,
            "Выпущена новая ссылка на календарь сроков. Прежняя ссылка больше не работает: "
            "обновите подписку в календаре.",
        )
        return redirect(reverse("roadmaps:deadlines") + "#calendar")


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
        authority_id = int_param(request, "authority")
        text = ical.calendar(
            feeds.events(feed.user, authority_id), name="Сроки мероприятий дорожных карт"
        )
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="roadmaps.ics"'
        # The user's own deadlines: no shared cache keeps them; calendars ask again each time.
        response["Cache-Control"] = "private, no-cache"
        return response


class RoadmapAmendView(LoginRequiredMixin, TemplateView):
    """Changes to a plan by a legal act: the rows typed in, or filled from a newer edition's
    file; "Проверить" shows what changes without writing, "Внести" writes it on the act's
    basis. Only the plan's editors (services.access.may_edit)."""

    template_name = "roadmaps/roadmap_amend.html"
    NEW_ROWS = 5
    refusal = (
        "Изменения в дорожную карту вносит уполномоченное лицо органа власти, которому она "
        "принадлежит."
    )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.roadmap = get_object_or_404(
            access.visible_roadmaps(request.user).select_related("owner", "template"),
            pk=kwargs["pk"],
        )
        if not access.may_edit(request.user, self.roadmap):
            raise PermissionDenied(self.refusal)
        self.now = timezone.now()  # before the items are read: a later save is someone else's
        self.items = {i.pk: i for i in self.roadmap.items.order_by("sort_key")}
        return super().dispatch(request, *args, **kwargs)

    def current_edits(self) -> list[amendments.ItemEdit]:
        return [
            amendments.ItemEdit(
                number=i.number,
                text=i.text,
                deadline_text=i.deadline_text,
                responsible_text=i.responsible_text,
                document_type=i.document_type,
                footnotes=i.footnotes,
                item_id=i.pk,
                cancel=i.status == ItemStatus.CANCELLED,
            )
            for i in self.items.values()
        ]

    def rows_formset(self, edits):
        edits = [e for e in edits if e.item_id is not None or not e.blank]
        initial = [vars(edit) for edit in edits] + [{} for _ in range(self.NEW_ROWS)]
        return ItemEditFormSet(initial=initial, prefix="items")

    def get(self, request, *args, **kwargs):
        return self.page(
            LegalActForm(initial={"kind": LegalActKind.ORDER}),
            self.rows_formset(self.current_edits()),
            opened_at=self.now,
        )

    def post(self, request, *args, **kwargs):
        act_form = LegalActForm(request.POST)
        formset = ItemEditFormSet(request.POST, prefix="items")
        opened_at = _opened_at(request.POST.get("opened_at", ""))
        reason = request.POST.get("reason", "").strip()
        action = request.POST.get("action")
        if opened_at is None:
            if action == "apply":
                messages.error(
                    request,
                    "Форма повреждена или устарела (нет времени ее открытия): откройте ее "
                    "заново, изменения не внесены.",
                )
                return redirect("roadmaps:roadmap_amend", pk=self.roadmap.pk)
            opened_at = self.now
        if action == "load":
            return self.load(act_form, formset, opened_at, reason)
        if not formset.is_valid():
            return self.page(act_form, formset, opened_at, reason=reason, status=400)
        edits = [form.edit() for form in formset.forms]
        if action != "apply":
            plan = amendments.plan_amendment(self.roadmap, edits)
            return self.page(act_form, self.rows_formset(edits), opened_at, plan, reason)
        if not act_form.is_valid():
            plan = amendments.plan_amendment(self.roadmap, edits)
            messages.error(request, "Укажите реквизиты правового акта, вносящего изменения.")
            return self.page(act_form, self.rows_formset(edits), opened_at, plan, reason, True, 400)
        try:
            plan, act, counts = amendments.amend_by_act(
                self.roadmap,
                edits,
                act_form.values(),
                user=request.user,
                reason=reason,
                opened_at=opened_at,
                today=timezone.localdate(),
            )
        except (amendments.AmendmentRefused, ValidationError) as refused:
            messages.error(request, "; ".join(getattr(refused, "messages", [str(refused)])))
            plan = amendments.plan_amendment(self.roadmap, edits)
            return self.page(act_form, self.rows_formset(edits), opened_at, plan, reason, True, 400)
        messages.success(
            request,
            f"Изменения внесены на основании акта: {act}. "
            f"{amendments.counts_text(counts).capitalize()}.",
        )
        url = reverse("roadmaps:roadmap_detail", args=[self.roadmap.pk])
        return redirect(f"{url}?since={act.date - timedelta(days=1):%Y-%m-%d}")

    def load(self, act_form, formset, opened_at, reason):
        """A newer edition's file fills the rows: nothing is written until "Внести"."""
        upload = EditionUploadForm(self.request.POST, self.request.FILES)
        if not upload.is_valid():
            for message in upload.errors.get("edition", []):
                messages.error(self.request, message)
            return self.page(act_form, formset, opened_at, reason=reason, upload=upload, status=400)
        file = upload.cleaned_data["edition"]
        try:
            report = read_roadmap(file.name, self.roadmap.owner, data=file.read())
        except SpreadsheetError as refusal:  # its message is whole sentences: shown as is
            report = None
            messages.error(self.request, str(refusal))
        if report is None or report.has_errors:
            if report is not None:
                messages.error(
                    self.request,
                    "В файле есть ошибки, строки не заполнены: "
                    + "; ".join(str(m) for m in report.errors),
                )
            return self.page(act_form, formset, opened_at, reason=reason, upload=upload, status=400)
        plan = amendments.plan_edition(self.roadmap, report)
        messages.info(
            self.request,
            f"Строки заполнены из файла {file.name}. Проверьте изменения и внесите их, указав "
            "правовой акт.",
        )
        return self.page(
            act_form,
            self.rows_formset(plan.edits),
            opened_at,
            plan,
            reason or f"Новая редакция плана из файла {file.name}",
            file_report=report,
        )

    def page(
        self,
        act_form,
        formset,
        opened_at,
        plan=None,
        reason="",
        show_act_errors=False,
        status=200,
        upload=None,
        file_report=None,
    ):
        changes = {c.number: c for c in plan.changes} if plan else {}
        rows = []
        for form in formset.forms:
            item = self.items.get(_int(form["item_id"].value()))
            number = item.number if item else (form["number"].value() or "").strip()
            number = canonical_number(number) if NUMBER_ONLY.match(number) else number
            rows.append(
                {
                    "form": form,
                    "item": item,
                    "change": changes.get(number),
                    "errors": plan.row_errors.get(number, []) if plan else [],
                }
            )
        response = self.render_to_response(
            self.get_context_data(
                roadmap=self.roadmap,
                act_form=act_form,
                formset=formset,
                rows=rows,
                plan=plan,
                reason=reason,
                opened_at=opened_at.isoformat(),
                show_act_errors=show_act_errors,
                upload=upload or EditionUploadForm(),
                file_report=file_report,
                acts=history.acts_of(self.roadmap),
            )
        )
        response.status_code = status
        return response


NUMBER_ONLY = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _opened_at(value: str):
    try:
        return parse_datetime(value)
    except ValueError:  # well formed but not a date, e.g. 30 February
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RoadmapInstantiateView(LoginRequiredMixin, TemplateView):
    """The authority's own plan made from a typical one (services.templates.instantiate): its
    officer (or an administrator for any authority of the region) gives the unit, the dates
    and, if there is one already, the act that approves it."""

    template_name = "roadmaps/roadmap_instantiate.html"
    refusal = "План органа власти по типовому плану создает уполномоченное лицо этого органа."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.template = get_object_or_404(
            access.visible_roadmaps(request.user).filter(is_template=True), pk=kwargs["pk"]
        )
        self.authorities = templates.authorities_for(request.user, self.template)
        if not self.authorities.exists():
            return self.nothing_to_make(request)
        return super().dispatch(request, *args, **kwargs)

    def nothing_to_make(self, request):
        """A second submit, a stale tab: the plan is there already — say so and show it."""
        user = request.user
        own = (
            access.editable_roadmaps(user).filter(template=self.template).first()
            if user.is_authorized_officer
            else None
        )
        if own is not None:
            messages.info(
                request,
                f"У органа «{own.owner.display_name}» уже есть план по этому типовому плану.",
            )
            return redirect("roadmaps:roadmap_detail", pk=own.pk)
        if user.is_administrator:
            messages.info(
                request, "У всех органов власти региона уже есть планы по этому типовому плану."
            )
            return redirect("roadmaps:roadmap_detail", pk=self.template.pk)
        raise PermissionDenied(self.refusal)

    def forms(self, data=None):
        today = timezone.localdate()
        units = Organization.objects.units().active_on(today).filter(authority__in=self.authorities)
        form = InstantiateForm(
            data,
            template=self.template,
            authorities=self.authorities,
            units=units.order_by("full_name"),
        )
        act_form = LegalActForm(data, initial={"kind": LegalActKind.ORDER})
        return form, act_form

    def get(self, request, *args, **kwargs):
        form, act_form = self.forms()
        return self.render_to_response(self.get_context_data(form=form, act_form=act_form))

    def post(self, request, *args, **kwargs):
        form, act_form = self.forms(request.POST)
        with_act = bool(request.POST.get("act-number") or request.POST.get("act-date"))
        if form.is_valid() and (not with_act or act_form.is_valid()):
            try:
                roadmap = templates.instantiate_with_act(
                    self.template,
                    form.cleaned_data["authority"],
                    user=request.user,
                    unit=form.cleaned_data["unit"],
                    deadlines=form.deadlines(),
                    act_values=act_form.values() if with_act else None,
                )
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    f"Создан план «{roadmap}»: пунктов — {roadmap.items.count()}. Пункты "
                    "связаны с типовым планом.",
                )
                return redirect("roadmaps:roadmap_detail", pk=roadmap.pk)
        context = self.get_context_data(form=form, act_form=act_form, show_act_errors=with_act)
        response = self.render_to_response(context)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(template=self.template, **kwargs)


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
