"""Published versions of an authority's registry and the public pages (no login)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from portal.confirm import Confirmation, confirmation_page
from portal.db import ReplicaReadMixin
from portal.downloads import stored_file_response, stored_xlsx_response
from portal.jobs import JobBusy, active_job, start_job
from portal.params import int_param
from portal.scoping import can, restrict
from portal.views.scoped import ScopedViewMixin, UnscopedViewMixin
from registry.columns import edition_columns
from registry.forms import PublicSearchForm
from registry.forms.versions import ApprovalForm, PlacementForm
from registry.jobs import publish_registry, published_message
from registry.models import (
    Organization,
    RegistryVersion,
    VersionApproval,
)
from registry.services import publication, version_records

PUBLISHING = (
    "Реестр этого органа власти уже публикуется (задание № {number}): дождитесь окончания "
    "публикации и обновите страницу."
)


def _authority_for(request, param="authority"):
    """The authority a page is about: the user's own, or one chosen among those he sees
    (from the query string, or the form posted)."""
    visible = restrict(Organization, request.user).authorities()
    data = request.GET if param in request.GET else request.POST
    value = int_param(request, param, data=data)
    if request.user.authority is not None:
        if value is not None and value != request.user.authority.pk:
            raise Http404("Орган власти не найден.")  # never another authority's page
        return request.user.authority
    if value is None:
        return None
    try:
        return visible.get(pk=value)
    except Organization.DoesNotExist as error:
        raise Http404("Орган власти не найден.") from error


class VersionListView(ScopedViewMixin, TemplateView):
    template_name = "registry/versions.html"
    model = Organization

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        authority = _authority_for(self.request)
        context["authorities"] = (
            self.get_queryset().authorities().order_by("full_name")
            if user.authority is None
            else []
        )
        context["authority"] = authority
        if authority is not None:
            preview = publication.publication_preview(authority)
            context["status"] = preview.status
            context["versions"] = (
                authority.registry_versions.defer("rows")
                .select_related("published_by")
                .prefetch_related("placements", "approvals")
            )
            context["can_publish"] = can(user, "publish", authority)
            context["publishing"] = active_job(publication.PUBLISH_LOCK.format(pk=authority.pk))
            context["confirm"] = publish_confirmation(authority, preview)
        return context


def publish_confirmation(authority, preview) -> Confirmation:
    versions_url = f"{reverse('registry:versions')}?authority={authority.pk}"
    return Confirmation(
        key="publish",
        button="Опубликовать текущую версию",
        title="Опубликовать реестр?",
        text=preview.text,
        confirm="Опубликовать",
        action=reverse("registry:publish"),
        page=f"{reverse('registry:publish')}?authority={authority.pk}",
        fields={"authority": authority.pk},
        refused=preview.refused,
        style="success",
        size="sm",
        cancel=versions_url,
    )


class PublishView(ScopedViewMixin, View):
    model = Organization
    scope_action = "publish"

    def get(self, request):
        """The confirmation as a page, for a browser without scripts."""
        authority = self._authority(request)
        preview = publication.publication_preview(authority)
        return confirmation_page(request, publish_confirmation(authority, preview))

    def _authority(self, request):
        authority = _authority_for(request)
        if authority is None:
            raise Http404("Орган власти не выбран.")
        if not can(request.user, "publish", authority):
            raise PermissionDenied("Публикует реестр уполномоченное лицо органа власти.")
        return authority

    def post(self, request):
        authority = self._authority(request)
        versions_url = f"{reverse('registry:versions')}?authority={authority.pk}"
        lock = publication.PUBLISH_LOCK.format(pk=authority.pk)
        rows = publication.published_rows(authority).count()
        if rows > settings.PUBLISH_INLINE_ROWS:  # a web worker does not write it: a job does
            if publication.publication_status(authority).due is None:
                messages.warning(request, publication.NOTHING_CHANGED)  # refused before a job
                return redirect(versions_url)
            try:
                job = start_job(
                    request.user,
                    "publication",
                    f"Публикация реестра: {authority.display_name}",
                    publish_registry,
                    lock=lock,
                    busy=PUBLISHING,
                    back=(versions_url, "К версиям реестра"),
                    authority_id=authority.pk,
                )
            except JobBusy as busy:
                messages.error(request, busy.message)
                return redirect(versions_url)
            return redirect("portal:job_detail", job.pk)
        running = active_job(lock)
        if running is not None:
            messages.error(request, PUBLISHING.format(number=running.pk))
            return redirect(versions_url)
        try:
            version = publication.publish(authority, request.user)
        except publication.NothingToPublish as refused:
            messages.warning(request, str(refused))
            return redirect(versions_url)
        messages.success(request, published_message(version))
        return redirect(versions_url)


class VersionDownloadView(ScopedViewMixin, View):
    queryset = RegistryVersion.objects.select_related("authority").defer("rows")

    def get(self, request, pk):
        version = self.scoped_object(pk=pk)
        return version_file_response(version, "xlsx")


class VersionCompareView(ScopedViewMixin, TemplateView):
    template_name = "registry/version_compare.html"
    breadcrumb_title = "Сравнение версий"
    queryset = RegistryVersion.objects.select_related("authority")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = self.get_queryset()
        try:
            first = versions.get(pk=int_param(self.request, "a"))
            second = versions.get(pk=int_param(self.request, "b"))
        except RegistryVersion.DoesNotExist as error:
            raise Http404("Версия не найдена.") from error
        if first.authority_id != second.authority_id:
            raise Http404("Сравниваются версии одного органа власти.")
        old, new = sorted((first, second), key=lambda v: v.number)
        context.update(old=old, new=new, diff=publication.compare(old, new))
        return context


VERSION_FILE_MISSING = "Файл XLSX этой версии реестра не найден в хранилище."


def version_file_response(version, kind: str):
    stem = f"Реестр процессов — {version.authority.display_name} — версия {version.number}"
    if kind == "xlsx":
        return stored_xlsx_response(version.xlsx, f"{stem}.xlsx", VERSION_FILE_MISSING)
    if kind == "csv":
        return FileResponse(
            io.BytesIO(publication.csv_bytes(version)),
            as_attachment=True,
            filename=f"{stem}.csv",
            content_type="text/csv; charset=utf-8",
        )
    raise Http404


# --- public pages: published versions only, no login ---------------------------------------


def published_authorities():
    return Organization.objects.authorities().filter(registry_versions__isnull=False).distinct()


class PublicIndexView(ReplicaReadMixin, UnscopedViewMixin, TemplateView):
    unscoped_because = "the public registry: published versions only, no sign-in"
    template_name = "registry/public_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Every published authority of the country (3,600): names and links only, the link
        # reversed once, not per row in the template (the page took 340 ms, issue 13).
        link = reverse("public_registry", args=[_ANY_PK])
        context["authorities"] = [
            (link.replace(str(_ANY_PK), str(pk)), name)
            for pk, name in Organization.objects.authorities()
            .filter(Exists(RegistryVersion.objects.filter(authority=OuterRef("pk"))))
            .order_by("full_name")
            .values_list("pk", "full_name")
        ]
        return context


_ANY_PK = 987654321  # a number no other part of the public link holds


def _public_version(authority_pk, number=None, rows=True):
    authority = get_object_or_404(published_authorities(), pk=authority_pk)
    versions = (
        authority.registry_versions.all() if rows else authority.registry_versions.defer("rows")
    )
    version = (
        get_object_or_404(versions, number=number)
        if number
        else versions.order_by("-number").first()
    )
    return authority, version


PUBLIC_PAGE_SIZE = 20  # rows per page: 14 columns each, a card per row on a phone


class PublicRegistryView(ReplicaReadMixin, UnscopedViewMixin, TemplateView):
    """The last published version of an authority's registry: searched, paged. An authority
    that has not published yet has a page saying so (200); only an unknown one is a 404."""

    unscoped_because = "the public registry: published versions only, no sign-in"
    template_name = "registry/public_registry.html"
    breadcrumb_object = "authority"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        authority = get_object_or_404(Organization.objects.authorities(), pk=kwargs["authority_pk"])
        versions = list(authority.registry_versions.defer("rows").order_by("-number"))
        # the headers the last version was published with, whatever the authority's level now
        edition = versions[0].edition if versions else authority.edition
        columns = dict(sorted(edition_columns(edition).items()))
        context.update(authority=authority, columns=columns, versions=versions)
        if not versions:
            return context
        version = authority.registry_versions.get(pk=versions[0].pk)
        form = PublicSearchForm(self.request.GET)
        rows = publication.matching_rows(version, form.words)
        page = Paginator(rows, PUBLIC_PAGE_SIZE).get_page(int_param(self.request, "page"))
        query = urlencode({"q": form.words}) if form.words else ""
        headers = [column.header for column in columns.values()]
        placement, approval = version_records.current(version)
        context.update(
            version=version,
            placement=placement,
            approval=approval,
            form=form,
            page=page,
            # each row's cells with their headers: the table's and the cards' (narrow screens)
            rows=[(row["values"], list(zip(headers, row["values"], strict=True))) for row in page],
            query=query,
            found=len(rows),
        )
        return context


class PublicFileView(ReplicaReadMixin, UnscopedViewMixin, View):
    unscoped_because = "the public registry's files: published versions only, no sign-in"

    def get(self, request, authority_pk, number, kind):
        # the XLSX is a file of its own: the frozen rows are not read for it
        authority, version = _public_version(authority_pk, number, rows=kind != "xlsx")
        if kind in ("xlsx", "csv"):
            return version_file_response(version, kind)
        if kind == "json":
            return JsonResponse(
                publication.json_payload(version), json_dumps_params={"ensure_ascii": False}
            )
        if kind == "passport":
            urls = {
                fmt: request.build_absolute_uri(
                    reverse("public_file", args=[authority.pk, version.number, fmt])
                )
                for fmt in ("xlsx", "csv", "json")
            }
            return JsonResponse(
                publication.data_passport(version, urls), json_dumps_params={"ensure_ascii": False}
            )
        raise Http404


# --- after publishing: the placement on the official website and the approving act --------


class VersionRecordView(ScopedViewMixin, TemplateView):
    """A version's placement on the official website (URL, date) and its approving act
    (items 5, 27-28), with every earlier entry; the officer who may publish records them."""

    template_name = "registry/version_record.html"
    breadcrumb_title = "Размещение на сайте и утверждение"
    queryset = RegistryVersion.objects.select_related("authority").defer("rows")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.version = self.scoped_object(pk=kwargs["pk"])
        self.may_record = can(request.user, "publish", self.version.authority)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.version
        context.update(
            version=version,
            authority=version.authority,
            may_record=self.may_record,
            placements=version.placements.select_related("recorded_by"),
            approvals=version.approvals.select_related("recorded_by"),
            placement_form=kwargs.get("placement_form") or PlacementForm(),
            approval_form=kwargs.get("approval_form") or ApprovalForm(),
        )
        return context

    def post(self, request, pk):
        if not self.may_record:
            raise PermissionDenied(
                "Размещение и акт об утверждении записывает уполномоченное лицо органа власти."
            )
        which = request.POST.get("form")
        if which == "placement":
            form = PlacementForm(request.POST)
            record, done = self._placement, "Размещение на официальном сайте записано."
        elif which == "approval":
            form = ApprovalForm(request.POST, request.FILES)
            record, done = self._approval, "Акт об утверждении реестра записан."
        else:
            raise Http404("Нет такой формы.")
        if form.is_valid():
            try:
                record(form)
            except ValidationError as refused:
                _add_errors(form, refused)
            else:
                messages.success(request, done)
                return redirect("registry:version_record", self.version.pk)
        context = self.get_context_data(**{f"{which}_form": form})
        return self.render_to_response(context, status=400)

    def _placement(self, form):
        data = form.cleaned_data
        version_records.record_placement(
            self.version, data["url"], data["placed_on"], self.request.user
        )

    def _approval(self, form):
        data = form.cleaned_data
        version_records.record_approval(
            self.version,
            data["act_kind"],
            data["act_number"],
            data["act_date"],
            self.request.user,
            file=data.get("file"),
        )


def _add_errors(form, refused: ValidationError) -> None:
    if hasattr(refused, "error_dict"):
        for name, errors in refused.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, refused.messages)


class VersionActFileView(ScopedViewMixin, View):
    """The approving act's file, to whoever sees the version, always as a download."""

    queryset = VersionApproval.objects.exclude(file="")

    def get(self, request, pk):
        approval = self.scoped_object(pk=pk)
        return stored_file_response(
            approval.file,
            approval.file_name,
            approval.content_type,
            missing="Файл акта не найден в хранилище.",
        )
