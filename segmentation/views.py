"""Segment profiles, touchpoints, satisfaction assessments and coverage. Every queryset comes
from portal.scoping; writing through services.profiles or the forms' model validation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views import View
from django.views.generic import DetailView

from portal.charts import figures_download, figures_requested, with_download
from portal.downloads import xlsx_response
from portal.lists import ObjectListView, TableExporter
from portal.locking import StaleEdit, posted_version, refuse_stale
from portal.navigation import Crumb
from portal.reports import ReportView
from portal.scoping import CHANGE, can
from portal.views.figures import FiguresPageMixin, RecomputeFiguresView
from portal.views.scoped import ScopedViewMixin
from registry.models import Organization, OrganizationKind
from registry.views.campaigns import chosen_authority
from segmentation import charts
from segmentation.filters import (
    AssessmentFilterSet,
    ProfileFilterSet,
    SegmentationFiguresFilterSet,
    TouchpointFilterSet,
)
from segmentation.forms import (
    AssessmentForm,
    AttributeFormSet,
    SegmentProfileForm,
    TouchpointForm,
    attribute_rows,
)
from segmentation.jobs import SEGMENTATION_FIGURES, recompute_segmentation_figures
from segmentation.models import (
    SatisfactionAssessment,
    SegmentationFigures,
    SegmentProfile,
    Survey,
    Touchpoint,
)
from segmentation.services import coverage, profiles, records, reports, xlsx
from segmentation.tables import (
    AssessmentTable,
    ProfileTable,
    SegmentationFiguresTable,
    TouchpointTable,
)


def new_record(model, user):
    """A new record of the user's authority, unsaved, for can(user, "change", ...)."""
    return model(authority=user.authority)


def keeps_records(user) -> bool:
    """An administrator, or a user of an authority: the Scope's "change" on a new record."""
    return can(user, CHANGE, new_record(SegmentProfile, user))


PROFILES = SegmentProfile.objects.select_related("authority").prefetch_related(
    "attributes", "groups"
)
TOUCHPOINTS = Touchpoint.objects.select_related("authority", "group", "process__typical_process")
ASSESSMENTS = SatisfactionAssessment.objects.select_related(
    "authority", "group", "process__typical_process"
)


class ProfileListView(ObjectListView):
    """The segmentation page: the profiles (?export=xlsx: the listed ones), and below them the
    touchpoints and assessments, whose own lists filter and export them."""

    queryset = PROFILES
    filterset_class = ProfileFilterSet
    table_class = ProfileTable
    table_pagination = False  # the page always listed every profile
    template_name = "segmentation/profile_list.html"
    exporter = TableExporter(ProfileTable, "Профили клиентских сегментов")

    def get_export_filename(self, rows) -> str:
        return f"Профили клиентских сегментов — {timezone.localdate():%d.%m.%Y}.xlsx"

    def get_context_data(self, **kwargs):
        archived = self.filterset.archived_chosen()
        touchpoints = self.scoped(TOUCHPOINTS).filter(is_archived=archived)
        assessments = self.scoped(ASSESSMENTS).filter(is_archived=archived)
        return super().get_context_data(
            profiles=self.object_list,
            touchpoints=touchpoints,
            assessments=assessments,
            touchpoint_table=TouchpointTable(touchpoints),
            assessment_table=AssessmentTable(assessments),
            archived=archived,
            can_create=keeps_records(self.request.user),
            **kwargs,
        )


class RecordListView(ObjectListView):
    """The touchpoints' or the assessments' own list: filtered, paged, as XLSX; titled by the
    model's plural name, exported in its table's columns."""

    template_name = "segmentation/record_list.html"
    kind = ""  # "touchpoint": its add page is segmentation:touchpoint_add

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.title = capfirst(cls.queryset.model._meta.verbose_name_plural)
        cls.exporter = TableExporter(cls.table_class, cls.title)

    def get_export_filename(self, rows) -> str:
        return f"{self.title} — {timezone.localdate():%d.%m.%Y}.xlsx"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title,
            add_url=f"segmentation:{self.kind}_add",
            report_url=f"segmentation:{self.kind}_report",
            report_label=self.report_label,
            archived=self.filterset.archived_chosen(),
            can_create=keeps_records(self.request.user),
            **kwargs,
        )


class TouchpointListView(RecordListView):
    queryset = TOUCHPOINTS
    filterset_class = TouchpointFilterSet
    table_class = TouchpointTable
    kind = "touchpoint"
    report_label = "Перечень точек взаимодействия"


class AssessmentListView(RecordListView):
    queryset = ASSESSMENTS
    filterset_class = AssessmentFilterSet
    table_class = AssessmentTable
    kind = "assessment"
    report_label = "Отчет об уровне удовлетворенности"


class ProfileDetailView(ScopedViewMixin, DetailView):
    """Also the printable page; ?export=xlsx gives the form as XLSX."""

    template_name = "segmentation/profile_detail.html"
    context_object_name = "profile"
    queryset = SegmentProfile.objects.select_related("authority")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            profile = self.get_object()
            return xlsx_response(
                xlsx.profile_xlsx(profile), f"Профиль клиентского сегмента — {profile.name}.xlsx"
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can(self.request.user, CHANGE, self.object)
        return context


class ProfileFormView(ScopedViewMixin, View):
    template_name = "segmentation/profile_form.html"
    model = SegmentProfile
    breadcrumb_object = "profile"

    @classmethod
    def get_breadcrumbs(cls, request, context):
        crumbs = super().get_breadcrumbs(request, context)
        profile = context.get("profile")
        if profile is None:
            return crumbs
        return [*crumbs, Crumb("Изменение" if profile.pk else "Новый профиль")]

    def get_profile(self, request, pk):
        if pk is None:
            profile = new_record(SegmentProfile, request.user)
            if not can(request.user, CHANGE, profile):
                raise PermissionDenied("Профили ведут сотрудники органа власти.")
            return profile
        profile = self.scoped_object(pk=pk)
        if not can(request.user, CHANGE, profile):
            raise PermissionDenied("Профиль другого органа власти изменять нельзя.")
        return profile

    def render(self, form, formset, profile, status=200):
        context = {"form": form, "formset": formset, "profile": profile}
        return render(self.request, self.template_name, context, status=status)

    def blank(self, profile, status=200):
        rows = profile.attributes.all() if profile.pk else []
        initial = [{"attribute": a.attribute, "value": a.value} for a in rows]
        formset = AttributeFormSet(prefix="attributes", initial=initial or [{}, {}, {}])
        form = SegmentProfileForm(instance=profile, user=self.request.user)
        return self.render(form, formset, profile, status=status)

    def get(self, request, pk=None):
        return self.blank(self.get_profile(request, pk))

    def post(self, request, pk=None):
        profile = self.get_profile(request, pk)
        form = SegmentProfileForm(request.POST, instance=profile, user=request.user)
        formset = AttributeFormSet(request.POST, prefix="attributes")
        if form.is_valid() and formset.is_valid():
            try:
                saved = profiles.save_profile(
                    form.instance,
                    attribute_rows(formset),
                    form.cleaned_data["groups"],
                    form.cleaned_data["processes"],
                    request.user,
                    expected_version=form.opened_version,
                )
            except StaleEdit as stale:
                # The form again, on the profile as it is now.
                current = stale.current
                return refuse_stale(request, lambda: self.blank(current), current, "Профиль")
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Профиль «{saved.name}» сохранен.")
                return redirect("segmentation:profile_detail", pk=saved.pk)
        messages.error(request, "Профиль не сохранен: исправьте отмеченное.")
        return self.render(form, formset, profile, status=400)


class ArchiveView(ScopedViewMixin, View):
    """Archiving instead of deleting; archived records leave coverage but stay readable."""

    models = {
        "profile": SegmentProfile,
        "touchpoint": Touchpoint,
        "assessment": SatisfactionAssessment,
        "survey": Survey,  # an archived survey's public page is a 404
    }

    def post(self, request, kind, pk):
        model = self.models.get(kind)
        if model is None:
            raise PermissionDenied
        record = self.scoped_object(model, pk=pk)
        try:
            records.set_archived(
                record, request.POST.get("restore") != "1", request.user, posted_version(request)
            )
        except StaleEdit as stale:
            messages.error(
                request,
                "Запись изменил другой пользователь, пока вы смотрели страницу: она "
                f"{'в архиве' if stale.current.is_archived else 'действует'}. Проверьте и "
                "повторите.",
            )
            return redirect(LISTS.get(kind, "segmentation:profile_list"))
        messages.success(
            request, "Запись перенесена в архив." if record.is_archived else "Запись восстановлена."
        )
        return redirect(LISTS.get(kind, "segmentation:profile_list"))


LISTS = {"survey": "segmentation:survey_list"}  # where an archived record's kind is listed


class RecordCreateView(ScopedViewMixin, View):
    """A touchpoint or a satisfaction assessment of the user's authority: new, or edited."""

    template_name = "segmentation/record_form.html"
    breadcrumb_object = "record"
    form_class = None
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not keeps_records(request.user):
            raise PermissionDenied("Записи ведут сотрудники органа власти.")
        return super().dispatch(request, *args, **kwargs)

    def get_record(self, pk):
        model = self.form_class._meta.model
        if pk is None:
            return model()
        record = self.scoped_object(model, pk=pk)
        if not can(self.request.user, CHANGE, record):
            raise PermissionDenied("Запись другого органа власти.")
        return record

    def render(self, form, status=200):
        context = {"form": form, "title": self.title, "record": form.instance}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        record = self.get_record(pk)
        if record.pk is not None and record.is_archived:
            messages.error(request, records.ARCHIVED)
            return redirect(reverse("segmentation:profile_list") + f"#{self.anchor}")
        initial = request.GET.dict() if record.pk is None else None
        return self.render(self.form_class(user=request.user, instance=record, initial=initial))

    def post(self, request, pk=None):
        form = self.form_class(request.POST, user=request.user, instance=self.get_record(pk))
        if form.is_valid():
            if not can(request.user, CHANGE, form.instance):
                raise PermissionDenied("Запись другого органа власти.")
            try:
                records.save_record(form.instance, request.user, form.opened_version)
            except StaleEdit as stale:
                fresh = self.form_class(user=request.user, instance=stale.current)
                return refuse_stale(request, lambda: self.render(fresh), stale.current)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"{self.title}: запись сохранена.")
                return redirect(reverse("segmentation:profile_list") + f"#{self.anchor}")
        return self.render(form, status=400)


class TouchpointCreateView(RecordCreateView):
    model = Touchpoint
    form_class = TouchpointForm
    title = "Точка взаимодействия с клиентом"
    anchor = "touchpoints"


class AssessmentCreateView(RecordCreateView):
    model = SatisfactionAssessment
    form_class = AssessmentForm
    title = "Оценка удовлетворенности клиентов"
    anchor = "assessments"


class CoverageView(FiguresPageMixin, ObjectListView):
    """The segmentation coverage. Of the country: every authority's stored figures
    (SegmentationFigures, computed by a job), paged, filtered, with totals and XLSX. Of one
    authority (?authority=, an officer's own): per process group the services without
    profile, touchpoints, assessment, read live; ?export=xlsx gives the same table."""

    template_name = "segmentation/coverage_list.html"
    breadcrumb_object = "chosen"  # one authority's page
    model = SegmentationFigures
    # an organization no longer an authority keeps its old row: not shown, not summed
    queryset = SegmentationFigures.objects.filter(
        authority__kind=OrganizationKind.AUTHORITY
    ).select_related("authority__parent")
    table_class = SegmentationFiguresTable
    filterset_class = SegmentationFiguresFilterSet
    exporter = TableExporter(SegmentationFiguresTable, "Охват услуг сегментацией")
    paginate_by = 25  # a page of 50 authorities rendered in 150-250 ms at 1M rows
    figures_kind = SEGMENTATION_FIGURES
    figures_title = "Расчет охвата услуг сегментацией по органам власти"
    figures_task = recompute_segmentation_figures
    recompute_url_name = "segmentation:coverage_recompute"

    def get(self, request, *args, **kwargs):
        chosen = chosen_authority(self)
        if chosen is None:
            return super().get(request, *args, **kwargs)
        entries = coverage.authority_coverage(chosen)
        tables = [(chosen, entries)]
        if request.GET.get("export") == "xlsx":
            return xlsx_response(xlsx.coverage_xlsx(tables), "Охват сегментацией.xlsx")
        chart = charts.authority_chart(entries)
        if figures_requested(request):
            return figures_download(request, [chart])
        context = {
            "tables": tables,
            "entries": entries,
            "chart": with_download(request, chart)[0],
            "gaps": [e for e in entries if e.gaps],
            "chosen": chosen,
            "national": request.user.sees_all_authorities,
            "aspects": [(a, coverage.ASPECT_LABELS[a]) for a in coverage.ASPECTS],
        }
        return render(request, "segmentation/coverage.html", context)

    def expected_authorities(self) -> int:
        return self.scoped(Organization).authorities().count()

    def get_export_filename(self, rows) -> str:
        return f"Охват услуг сегментацией — {timezone.localdate():%d.%m.%Y}.xlsx"

    @cached_property
    def totals(self) -> dict:
        """The stored figures of the filtered authorities summed (never the rows counted)."""
        return self.object_list.order_by().aggregate(
            authorities=Count("pk"),
            services=Sum("services"),
            **{aspect: Sum(aspect) for aspect in coverage.ASPECTS},
        )

    def get_charts(self):
        return [charts.national_chart(self.totals)]

    def get_context_data(self, **kwargs):
        totals = self.totals
        services = totals["services"] or 0
        shares = [
            (coverage.ASPECT_LABELS[a], totals[a] or 0, 100 * (totals[a] or 0) / services)
            for a in coverage.ASPECTS
            if services
        ]
        return super().get_context_data(
            totals=totals, shares=shares, **self.figures_context(), **kwargs
        )


class CoverageRecomputeView(RecomputeFiguresView):
    model = SegmentationFigures
    figures_kind = SEGMENTATION_FIGURES
    figures_title = CoverageView.figures_title
    figures_task = recompute_segmentation_figures
    page_url_name = "segmentation:coverage"


class RecordReportView(ReportView):
    """A report of the records the user sees (not archived), as a printable page and XLSX:
    the segmentation report with the profiles attached, the touchpoints, the satisfaction
    report by process group (segmentation.services.reports)."""

    builder = None  # reports.<...>_report(queryset) -> Report

    def records(self):
        return self.scoped(self.model).filter(is_archived=False)

    def report_size(self) -> int:
        return self.records().count()

    def build_report(self):
        return type(self).builder(self.records())

    def get_filename(self) -> str:
        return f"{self.breadcrumb_title} — {timezone.localdate():%d.%m.%Y}.xlsx"


class ProfileReportView(RecordReportView):
    model = SegmentProfile
    builder = staticmethod(reports.segmentation_report)
    breadcrumb_title = "Отчет о проведении сегментации"


class TouchpointReportView(RecordReportView):
    model = Touchpoint
    builder = staticmethod(reports.touchpoint_report)
    breadcrumb_title = "Перечень точек взаимодействия"


class AssessmentReportView(RecordReportView):
    model = SatisfactionAssessment
    builder = staticmethod(reports.satisfaction_report)
    breadcrumb_title = "Отчет об уровне удовлетворенности"
