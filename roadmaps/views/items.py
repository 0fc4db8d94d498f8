"""A measure: its card, its evidence and its status."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from portal.downloads import stored_file_response
from portal.locking import StaleEdit, refuse_stale
from portal.scoping import CHANGE, can
from portal.views.scoped import ScopedViewMixin
from roadmaps.forms import (
    EvidenceForm,
    StatusForm,
)
from roadmaps.models import (
    SPLIT,
    Evidence,
    RoadmapItem,
)
from roadmaps.services import (
    collective,
    deadlines,
    measured,
    registry_link,
    templates,
)
from roadmaps.services import items as item_service
from roadmaps.tables import STATE_CSS
from segmentation.services.coverage import ASPECT_LABELS, demanded_by_measure


def first_missing(item: RoadmapItem, named: list[str]) -> str:
    """The evidence form's document type: the plan's, or the first named one still missing."""
    if len(named) < 2:
        return item.document_type
    missing = item.missing_documents()
    return missing[0] if missing else named[0]


def responsible_rows(item: RoadmapItem) -> tuple[list[str], list]:
    """The item's responsible bodies as the plan shows them and, for a share of a collective
    measure, apart from them the units its authority named (services.collective)."""
    if not item.share_of_id:
        return item.responsible_display(), []
    links = list(item.responsibles.select_related("organization__successor"))
    units = [r for r in links if r.organization_id and r.organization.is_unit]
    return [r.display() for r in links if r not in units], units


class ItemMixin(ScopedViewMixin):
    queryset = RoadmapItem.objects.select_related(
        "roadmap__owner__successor", "parent", "share_of__roadmap"
    )

    def get_item(self):
        return self.scoped_object(pk=self.kwargs["pk"])


class ItemDetailView(ItemMixin, TemplateView):
    template_name = "roadmaps/item_detail.html"
    breadcrumb_object = "item"

    def get_context_data(self, **kwargs):
        evidence_form = kwargs.pop("evidence_form", None)
        status_form = kwargs.pop("status_form", None)
        item = self.get_item()
        if item.is_section:
            raise Http404("Раздел плана не имеет своей страницы.")
        today = timezone.localdate()
        can_edit = can(self.request.user, CHANGE, item)
        owner = item.roadmap.owner
        aspect = demanded_by_measure(item.text)
        named = item.named_documents()
        bodies, units = responsible_rows(item)
        return super().get_context_data(
            item=item,
            roadmap=item.roadmap,
            # Measures 3.x.1-3.x.3 lead to the segmentation coverage they demand.
            coverage_aspect=aspect,
            registry_progress=registry_link.progress(item),
            # The figure the measure's wording asks for, from the portal's own data.
            reading=measured.measure(item),
            # A typical plan's item: the same item in every authority's plan, side by side.
            instances=templates.compare(item, self.scoped(RoadmapItem))
            if item.roadmap.is_template
            else None,
            # A collective measure: how its authorities' shares stand (services.collective).
            rollup=collective.rollup(item, self.request.user, today),
            addressee=collective.addressee(item),
            may_split=bool(collective.addressee(item))
            and can(self.request.user, SPLIT, item)
            and not collective.split_refusal(item),
            # A share: the units of its authority that answer for it, named by its officer.
            responsible_bodies=bodies,
            share_units=units,
            may_assign_units=can_edit and not collective.units_refusal(item),
            coverage_label=ASPECT_LABELS.get(aspect or "", ""),
            coverage_authority=owner if owner.is_authority else None,
            state=deadlines.classify(item, today),
            last_day=deadlines.last_day(item),
            days_left=deadlines.days_left(item, today),
            state_css=STATE_CSS,
            evidence=item.evidence.select_related("added_by"),
            # A measure whose plan names several documents: which of them are provided.
            checklist=item.document_checklist() if len(named) > 1 else [],
            records=item.history.select_related("legal_act", "history_user").order_by(
                "-history_date"
            )[:20],
            can_edit=can_edit,
            evidence_form=evidence_form
            or EvidenceForm(initial={"document_type": first_missing(item, named)}, named=named),
            status_form=status_form or StatusForm(initial={"status": item.status}, versioned=item),
            **kwargs,
        )


class EditItemView(ItemMixin, View):
    refusal = (
        "Изменять исполнение мероприятий может только уполномоченное лицо органа власти, "
        "которому принадлежит дорожная карта."
    )

    def post(self, request, pk):
        item = self.get_item()
        if item.is_section:
            raise Http404
        if not can(request.user, CHANGE, item):
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
        form = EvidenceForm(request.POST, request.FILES, named=item.named_documents())
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


class EvidenceFileView(ScopedViewMixin, View):
    """An evidence file, to whoever may see its measure (portal.scoping), always as a
    download with the type its content showed (portal.downloads)."""

    queryset = Evidence.objects.exclude(file="")

    def get(self, request, pk):
        evidence = self.scoped_object(pk=pk)
        return stored_file_response(
            evidence.file,
            evidence.download_name,
            evidence.content_type,
            missing="Файл подтверждающего документа не найден в хранилище.",
        )


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
