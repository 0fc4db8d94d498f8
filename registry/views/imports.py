"""Loading the registry from a spreadsheet: upload, preview, confirm or cancel."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import DetailView, FormView

from portal.jobs import JobBusy, active_job, start_job
from portal.views.scoped import ScopedViewMixin
from registry.forms import (
    ImportUploadForm,
)
from registry.jobs import apply_import
from registry.models import (
    ImportBatch,
    ImportStatus,
    User,
)
from registry.services.imports import confirm
from registry.services.xlsx_import import ImportReport, RegistryImport

# What an upload's pages show with it.
BATCHES = ImportBatch.objects.select_related("authority", "default_unit", "uploaded_by")


def report_rows(report: ImportReport):
    """Unchanged rows are only counted: a file of 50 000 rows must not become one page."""
    return sorted(
        (r for r in report.rows if r.action != "unchanged" or r.warnings),
        key=lambda r: ({"error": 0, "changed": 1, "new": 2}.get(r.action, 3), r.row),
    )


class ImportUploadView(ScopedViewMixin, FormView):
    queryset = BATCHES
    form_class = ImportUploadForm
    template_name = "registry/import_upload.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.works_on_a_registry:
            raise PermissionDenied("Загружать реестр из файла может сотрудник органа власти.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = self.get_queryset().defer("file_data", "sheet", "report")[:10]
        return context

    def in_flight_refusal(self) -> str | None:
        limit = settings.UPLOADS_IN_FLIGHT_PER_USER
        waiting = ImportBatch.objects.in_flight().filter(uploaded_by=self.request.user).count()
        if waiting < limit:
            return None
        return (
            f"Неподтвержденных загрузок у вас уже {waiting} (допускается не более {limit}): "
            "подтвердите или отмените их в списке «Последние загрузки» ниже и "
            f"загрузите файл снова. Неподтвержденная загрузка хранится "
            f"{settings.UPLOAD_RETENTION_DAYS} дн."
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if "file" in form.errors:  # the file refused (empty, too big): a bad request
            response.status_code = 400
        return response

    def refused(self, form, message: str):
        form.add_error("file", message)
        response = self.form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        # Checked before the file is read (cheap), and again under a lock before it is kept.
        refusal = self.in_flight_refusal()
        if refusal:
            return self.refused(form, refusal)
        upload = form.cleaned_data["file"]
        data = upload.read()
        authority = form.cleaned_data["authority"]
        unit = form.cleaned_data.get("default_unit")
        name = upload.name[:255]
        sheet, report = RegistryImport(authority, self.request.user, unit).read(data, name)
        if report.file_errors:  # unreadable: nothing is kept
            return self.refused(form, " ".join(report.file_errors))
        if report.has_errors:  # cannot be confirmed: the report is shown, nothing is kept
            form.add_error(
                "file",
                f"В файле «{name}» есть ошибки (строки ниже): ничего не записано, файл не "
                "сохранен. Исправьте ошибки и загрузите файл снова.",
            )
            response = self.render_to_response(
                self.get_context_data(form=form, report=report, rows=report_rows(report))
            )
            response.status_code = 400
            return response
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=self.request.user.pk).first()
            refusal = self.in_flight_refusal()
            if refusal:
                return self.refused(form, refusal)
            batch = ImportBatch.objects.create(
                sheet=sheet.to_json(),
                authority=authority,
                default_unit=unit,
                uploaded_by=self.request.user,
                file_name=name,
                file_size=len(data),
                file_sha256=hashlib.sha256(data).hexdigest(),
                report=report.to_json(),
                fingerprint=report.fingerprint(),
            )
        return redirect("registry:import_detail", pk=batch.pk)


class ImportDetailView(ScopedViewMixin, DetailView):
    template_name = "registry/import_detail.html"
    context_object_name = "batch"
    queryset = BATCHES.defer("file_data", "sheet")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = ImportReport.from_json(self.object.report)
        context["report"] = report
        context["rows"] = report_rows(report)
        context["can_apply"] = (
            self.object.status == ImportStatus.PREVIEW
            and not self.object.expired
            and not report.has_errors
        )
        context["applying"] = active_job(confirm.IMPORT_LOCK.format(pk=self.object.pk))
        return context


class ImportConfirmView(ScopedViewMixin, View):
    queryset = BATCHES

    def post(self, request, pk):
        batch = self.scoped_object(
            ImportBatch.objects.with_rows_in_file().only("pk", "status", "created_at"), pk=pk
        )
        detail = redirect("registry:import_detail", pk=pk)
        lock = confirm.IMPORT_LOCK.format(pk=pk)
        # A job re-checks and writes a large upload; one applied, cancelled or expired is
        # refused at once below, without a job.
        pending = batch.status == ImportStatus.PREVIEW and not batch.expired
        if pending and batch.rows_in_file > settings.IMPORT_INLINE_ROWS:
            try:
                job = start_job(
                    request.user,
                    "import_apply",
                    f"Загрузка из файла № {pk}",
                    apply_import,
                    lock=lock,
                    busy=confirm.APPLYING,
                    back=(detail.url, "К загрузке"),
                    batch_id=pk,
                )
            except JobBusy as busy:
                messages.error(request, busy.message)
                return detail
            return redirect("portal:job_detail", job.pk)
        running = active_job(lock)
        if running is not None:
            messages.error(request, confirm.APPLYING.format(number=running.pk))
            return detail
        try:
            confirmation = confirm.confirm_upload(pk, request.user)
        except ImportBatch.DoesNotExist as error:
            raise Http404("Загрузка не найдена.") from error
        messages.add_message(
            request, getattr(messages, confirmation.level.upper()), confirmation.message
        )
        if confirmation.proposal is not None:
            return redirect(confirmation.proposal)
        return detail


class ImportCancelView(ScopedViewMixin, View):
    queryset = BATCHES

    def post(self, request, pk):
        batch = self.scoped_object(pk=pk)
        # A conditional UPDATE out of PREVIEW: a confirm committed meanwhile stays applied.
        if batch.status == ImportStatus.PREVIEW and batch.purge(ImportStatus.CANCELLED):
            messages.info(request, "Загрузка отменена, реестр не изменен.")
        else:
            messages.info(request, "Эта загрузка уже применена или отменена.")
        return redirect("registry:import_upload")
