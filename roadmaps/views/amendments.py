"""The amendment of a roadmap by a legal act: the rows of the new edition, checked and
applied by services.amendments."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.generic import TemplateView

from portal.scoping import CHANGE, can
from portal.views.scoped import ScopedViewMixin
from roadmaps.forms import (
    EditionUploadForm,
    ItemEditFormSet,
    LegalActForm,
    WordEditFormSet,
)
from roadmaps.models import (
    LegalActKind,
    Roadmap,
)
from roadmaps.services import (
    amendments,
    history,
)
from roadmaps.services.amendments import words
from roadmaps.services.amendments.act_text import parse_act_text
from roadmaps.services.reader import SpreadsheetError, read_roadmap


class RoadmapAmendView(ScopedViewMixin, TemplateView):
    """Changes to a plan by a legal act: the rows typed in, or filled from a newer edition's
    file; "Проверить" shows what changes without writing, "Внести" writes it on the act's
    basis. Only the plan's editors (can "change")."""

    template_name = "roadmaps/roadmap_amend.html"
    breadcrumb_object = "roadmap"
    breadcrumb_title = "Внесение изменений"
    queryset = Roadmap.objects.select_related("owner", "template")
    NEW_ROWS = 5
    refusal = (
        "Изменения в дорожную карту вносит уполномоченное лицо органа власти, которому она "
        "принадлежит."
    )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.roadmap = self.scoped_object(pk=kwargs["pk"])
        if not can(request.user, CHANGE, self.roadmap):
            raise PermissionDenied(self.refusal)
        self.now = timezone.now()  # before the items are read: a later save is someone else's
        self.items = {i.pk: i for i in self.roadmap.items.order_by("sort_key")}
        return super().dispatch(request, *args, **kwargs)

    def rows_formset(self, edits):
        initial = amendments.form_initial(edits, self.NEW_ROWS)
        return ItemEditFormSet(initial=initial, prefix="items")

    def get(self, request, *args, **kwargs):
        return self.page(
            LegalActForm(initial={"kind": LegalActKind.ORDER}),
            self.rows_formset(amendments.current_edits(self.items.values())),
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
        if action in ("words_parse", "words_preview", "words_apply"):
            return self.words(action, act_form, opened_at, reason)
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

    WORD_ROWS = 3

    def words_formset(self, edits=(), data=None):
        if data is not None:
            return WordEditFormSet(data, prefix="words")
        initial = [
            {"target": e.target, "numbers": ", ".join(e.numbers), "old": e.old, "new": e.new}
            for e in edits
        ]
        return WordEditFormSet(
            initial=initial + [{} for _ in range(self.WORD_ROWS)], prefix="words"
        )

    def words(self, action, act_form, opened_at, reason):
        """Word-level edits («в строке 1.4 слова … заменить словами …»): the act's sentences
        read into edits, each row shown before and after, then written on the act — every row
        or none. The rows of the plan are shown as they stand."""
        rows = self.rows_formset(amendments.current_edits(self.items.values()))
        act_text = self.request.POST.get("act_text", "")
        page = partial(self.page, act_form, rows, opened_at, reason=reason, act_text=act_text)
        if action == "words_parse":
            found = parse_act_text(act_text)
            if found:
                messages.info(
                    self.request,
                    f"Из текста акта прочитано изменений: {len(found)}. Проверьте их.",
                )
            else:
                messages.error(
                    self.request,
                    'В тексте акта не найдено изменений вида «в строке 1.4 слова "…" заменить '
                    'словами "…"», «в названии слова …», «после таблицы дополнить сноской …».',
                )
            return page(words_formset=self.words_formset(found))
        word_forms = self.words_formset(data=self.request.POST)
        if not word_forms.is_valid():
            return page(words_formset=word_forms, status=400)
        edits = [f.edit() for f in word_forms.forms if f.cleaned_data and not f.empty]
        plan = words.plan_words(self.roadmap, edits)
        posted = self.request.POST.get("words_fingerprint") or None
        if action == "words_preview" or plan.errors or posted is None:
            return page(
                words_formset=word_forms, word_plan=plan, status=400 if plan.errors else 200
            )
        if not act_form.is_valid():
            messages.error(self.request, "Укажите реквизиты правового акта, вносящего изменения.")
            return page(words_formset=word_forms, word_plan=plan, show_act_errors=True, status=400)
        try:
            plan = words.amend_words(
                self.roadmap,
                edits,
                act_form.values(),
                user=self.request.user,
                reason=reason,
                today=timezone.localdate(),
                fingerprint=posted,
            )
        except (amendments.AmendmentRefused, ValidationError) as refused:
            messages.error(self.request, "; ".join(getattr(refused, "messages", [str(refused)])))
            plan = words.plan_words(self.roadmap, edits)
            return page(words_formset=word_forms, word_plan=plan, status=400)
        act = plan.act
        where = ", ".join(dict.fromkeys(c.where for c in plan))
        messages.success(
            self.request, f"Изменения слов внесены на основании акта: {act}. Изменено: {where}."
        )
        url = reverse("roadmaps:roadmap_detail", args=[self.roadmap.pk])
        return redirect(f"{url}?since={act.date - timedelta(days=1):%Y-%m-%d}")

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
        words_formset=None,
        **extra,
    ):
        rows = amendments.page_rows(
            [(f, f["item_id"].value(), f["number"].value()) for f in formset.forms],
            self.items,
            plan,
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
                words_formset=words_formset or self.words_formset(),
                **extra,
            )
        )
        response.status_code = status
        return response


def _opened_at(value: str):
    try:
        return parse_datetime(value)
    except ValueError:  # well formed but not a date, e.g. 30 February
        return None
