"""Registry rows: the list (also as XLSX), a row, its form, exclusion, restoring, history.
Every queryset comes from portal.scoping (ScopedViewMixin, can()); all writing is left to
registry.services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from portal import tasks
from portal.confirm import Confirmation
from portal.lists import ObjectListView
from portal.locking import posted_version
from portal.params import int_param
from portal.scoping import CHANGE, can
from portal.views.scoped import ScopedViewMixin, UnscopedViewMixin
from registry.columns import edition_columns
from registry.filters import ProcessFilterSet
from registry.forms import (
    ExcludeForm,
    ProcessForm,
    ProcessLinkFormSet,
    foreign_links,
    link_initial,
)
from registry.models import (
    LifeSituation,
    Organization,
    Process,
)
from registry.services import history as history_service
from registry.services import processes as process_service
from registry.services import proposals as proposal_service
from registry.services.deadlines import REVIEW_DAYS
from registry.services.row_writes import write_row
from registry.services.xlsx_export import export_registry
from registry.tables import ALWAYS_VISIBLE, DEFAULT_COLUMNS, ProcessTable, column_choices


class HomeView(UnscopedViewMixin, TemplateView):
    unscoped_because = (
        "the landing page: anonymous visitors see it; a user sees his own three most urgent "
        "tasks, each built by a scoped service (tasks_for)"
    )
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_authenticated:
            every = tasks.tasks_for(self.request.user)
            tasks.remember_count(self.request.user, every)  # the bar's badge agrees
            context.update(
                urgent=tasks.most_urgent(every),
                groups=tasks.grouped(every),
                total=len(every),
            )
        return context


def user_edition(user):
    """The catalogue edition whose wording the user's pages use (None: several)."""
    return user.edition


# Columns of catalogue entries the list's filter offers as a select (its choices are read
# for the page anyway): the page's rows take theirs from them, 3 queries fewer.
FILTER_ENTRIES = ("group", "status", "kind")


def take_entries(records, name: str, entries: dict) -> None:
    """Gives each record its entry of the foreign key `name` from `entries` (by id); those
    not there are prefetched (an entry of an edition the selects do not offer)."""
    field = Process._meta.get_field(name)
    missing = []
    for record in records:
        entry = entries.get(getattr(record, field.attname))
        if entry is not None:
            field.set_cached_value(record, entry)
        elif getattr(record, field.attname) is not None:
            missing.append(record)
    prefetch_related_objects(missing, name)


class ProcessListView(ObjectListView):
    queryset = Process.objects.with_related()
    table_class = ProcessTable
    filterset_class = ProcessFilterSet
    template_name = "registry/process_list.html"
    table_template_name = "registry/_process_table.html"
    exporter = export_registry
    session_columns_key = "registry_process_columns"
    shown = None  # the page's shown columns, once get_table_kwargs() has read them

    def get_paginate_by(self, table_data):
        return settings.REGISTRY_PAGE_SIZES[0]  # an unknown ?per_page= falls back to it

    def get_export_filename(self, rows) -> str:
        names = list(
            Organization.objects.filter(pk__in=rows.order_by().values("authority_id"))
            .distinct()
            .values_list("short_name", "full_name")[:2]
        )
        who = (names[0][0] or names[0][1]) if len(names) == 1 else "органы власти"
        return f"Реестр процессов — {who} — {timezone.localdate():%d.%m.%Y}.xlsx"

    def visible_columns(self) -> list[str]:
        """Chosen columns from the request, remembered in the session."""
        all_names = ProcessTable._meta.sequence
        if "columns" in self.request.GET or "columns_set" in self.request.GET:
            chosen = [c for c in self.request.GET.getlist("columns") if c in all_names]
            self.request.session[self.session_columns_key] = chosen
        else:
            chosen = self.request.session.get(self.session_columns_key) or list(DEFAULT_COLUMNS)
        chosen = list(dict.fromkeys([*ALWAYS_VISIBLE, *chosen]))
        if not self.request.user.sees_all_authorities and "authority" in chosen:
            chosen.remove("authority")
        return chosen

    def get_table_data(self):
        rows = super().get_table_data()
        if self.shown is None:  # an export: the whole form
            return rows
        # the page's table: what its shown columns draw, but the entries the filter's
        # selects read anyway (get_table_context)
        return rows.drawing([name for name in self.shown if name not in FILTER_ENTRIES])

    def get_table_context(self) -> dict:
        context = super().get_table_context()
        if context["page"] is not None:
            for name in FILTER_ENTRIES:
                if name in self.shown:
                    take_entries(
                        context["page"].object_list, name, self.filterset.catalogue_entries(name)
                    )
        return context

    def get_table_kwargs(self):
        self.columns = edition_columns(user_edition(self.request.user))
        self.shown = visible = self.visible_columns()
        return {
            "columns": self.columns,
            "exclude": [name for name in ProcessTable._meta.sequence if name not in visible],
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = set(self.visible_columns())
        context["column_choices"] = [
            (name, label, name in visible) for name, label in column_choices(columns=self.columns)
        ]
        context["page_sizes"] = settings.REGISTRY_PAGE_SIZES
        context["can_create"] = self.request.user.works_on_a_registry
        return context


class ProcessDetailView(ScopedViewMixin, DetailView):
    template_name = "registry/process_detail.html"
    context_object_name = "process"
    queryset = Process.objects.with_related().select_related("authority__successor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.object
        user = self.request.user
        context["columns"] = edition_columns(process.authority.edition)
        context["predecessors"] = [link.predecessor for link in process.predecessor_links.all()]
        context["successors"] = [link.successor for link in process.successor_links.all()]
        context["link_warnings"] = process_service.link_warnings(process)
        context["can_edit"] = can(user, CHANGE, process)
        context["proposes"] = not user.applies_changes_directly
        context["pending_items"] = proposal_service.pending_items(process, user)
        # The row's place in its authority's reengineering plan (item 4.3), if it has one.
        context["plan_entry"] = process.reengineering_entries.first()
        if context["can_edit"] and not process.is_excluded:
            context["exclude_confirm"] = exclude_confirmation(user, process)
        return context


class ProcessFormMixin(ScopedViewMixin):
    template_name = "registry/process_form.html"
    model = Process

    def get_form(self, data=None):
        return ProcessForm(data, instance=self.object, user=self.request.user)

    def get_formset(self, data=None):
        # Initial values only to render: a bound formset must validate every row it was sent.
        initial = link_initial(self.object) if self.object.pk and data is None else None
        return ProcessLinkFormSet(data, initial=initial, prefix="links", process=self.object)

    def render(self, form, formset, status=200, **extra):
        context = {
            "form": form,
            "formset": formset,
            "process": self.object if self.object.pk else None,
            "typical_options": form.typical_process_options(),
            "life_situations": LifeSituation.objects.values_list("name", flat=True),
            "foreign_links": foreign_links(self.object) if self.object.pk else [],
            # An official's change goes into a proposal (propose()): the form says so.
            "proposes": not self.request.user.applies_changes_directly,
            "review_days": REVIEW_DAYS,
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form(), self.get_formset())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        formset = self.get_formset(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, "Строка не сохранена: исправьте отмеченные графы.")
            return self.render(form, formset, status=400)
        try:
            written = write_row(
                request.user, form, formset, self.object if self.object.pk else None
            )
        except process_service.StaleEditError as stale:
            return self.render_stale(form, formset, stale.current)
        except proposal_service.ProposalError as refused:
            messages.error(request, str(refused))
            return self.render(form, formset, status=400)
        except ValidationError as error:
            # The form checked this already; the row changed under it (e.g. a unit closed).
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
            messages.error(request, "Строка не сохранена: исправьте отмеченные графы.")
            return self.render(form, formset, status=400)
        except IntegrityError:
            # Checked in the form, yet taken by someone else a moment before this save.
            form.add_error(
                "identifier", "Графа 1: этот идентификатор только что занят. Укажите другой."
            )
            messages.error(request, "Строка не сохранена: исправьте отмеченные графы.")
            return self.render(form, formset, status=400)
        if written.item is not None:
            # An official's form went into his draft proposal; the row changes on approval.
            messages.success(
                request,
                f"Строка добавлена в предложение № {written.item.proposal_id}. Реестр "
                "изменится, когда уполномоченное лицо проверит и одобрит предложение: "
                "направьте его на проверку.",
            )
            return redirect(written.item.proposal)
        process = written.process
        for warning in process_service.link_warnings(process):
            messages.warning(request, warning)
        messages.success(request, self.success_message.format(process=process))
        return HttpResponseRedirect(process.get_absolute_url())


class ProcessCreateView(ProcessFormMixin, View):
    breadcrumb_title = "Новый процесс"
    success_message = "Процесс {process.identifier} внесен в реестр."

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.works_on_a_registry:
            raise PermissionDenied("Вносить строки в реестр может сотрудник органа власти.")
        self.object = Process()
        return super().dispatch(request, *args, **kwargs)


class ProcessUpdateView(ProcessFormMixin, View):
    breadcrumb_object = "process"
    breadcrumb_title = "Изменение"
    success_message = "Изменения процесса {process.identifier} сохранены."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.scoped_object(Process.objects.with_related(), pk=kwargs["pk"])
        if not can(request.user, CHANGE, self.object):
            raise PermissionDenied("Эту строку реестра может изменять другое подразделение.")
        if self.object.is_excluded:
            messages.error(request, "Процесс исключен из реестра: сначала восстановите его.")
            return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def render_stale(self, form, formset, current):
        changed_by = current.updated_by or "другой пользователь"
        messages.error(
            self.request,
            f"Строку уже изменил(а) {changed_by} "
            f"({timezone.localtime(current.updated_at):%d.%m.%Y %H:%M}), пока вы ее редактировали. "
            "Ваши изменения не сохранены, чтобы не затереть чужие. Ниже — текущие значения; "
            "внесите свои правки заново.",
        )
        # The form was built on the row as it is now, so changed_data is what would be lost.
        differences = [form.fields[name].label for name in form.changed_data if name != "version"]
        self.object = current
        fresh_form = ProcessForm(instance=current, user=self.request.user)
        return self.render(fresh_form, self.get_formset(), status=409, stale_fields=differences)


def exclude_confirmation(user, process) -> Confirmation:
    """«Исключить» of the row's page (a modal with the reason) and the exclusion page (the
    same text, without scripts): what will happen, or why there is nothing to do."""
    preview = proposal_service.exclusion_preview(user, process)
    url = reverse("registry:process_exclude", args=[process.pk])
    proposes = not user.applies_changes_directly
    return Confirmation(
        key="exclude",
        button="Предложить исключение" if proposes else "Исключить из реестра",
        title=f"{'Предложить исключение' if proposes else 'Исключить'} процесс "
        f"{process.identifier}{'' if proposes else ' из реестра'}?",
        text=preview.text,
        confirm="Добавить в предложение" if proposes else "Исключить",
        action=url,
        page=url,
        refused=preview.refused,
        style="danger",
        size="sm",
        fields_template="registry/_exclude_fields.html",
        form=ExcludeForm(),
        cancel=process.get_absolute_url(),
    )


class ProcessExcludeView(ScopedViewMixin, FormView):
    model = Process
    form_class = ExcludeForm
    template_name = "registry/process_exclude.html"
    breadcrumb_object = "process"
    breadcrumb_title = "Исключение из реестра"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.process = self.scoped_object(pk=kwargs["pk"])
        if not can(request.user, CHANGE, self.process):
            raise PermissionDenied(
                "Исключить строку может ее подразделение или уполномоченное лицо."
            )
        if self.process.is_excluded:
            messages.info(request, "Процесс уже исключен из реестра.")
            return redirect(self.process)
        self.confirm = exclude_confirmation(request.user, self.process)
        if request.method == "POST" and self.confirm.refused:
            # What the disabled button says: nothing to do, nothing written.
            messages.error(request, self.confirm.refused)
            return redirect(self.process)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(process=self.process, confirm=self.confirm, **kwargs)

    def form_valid(self, form):
        if not self.request.user.applies_changes_directly:
            try:
                item = proposal_service.propose_exclusion(
                    self.request.user, self.process, form.cleaned_data["reason"]
                )
            except proposal_service.ProposalError as refused:  # proposed meanwhile
                messages.error(self.request, str(refused))
                return redirect(self.process)
            messages.success(
                self.request,
                f"Исключение строки {self.process.identifier} добавлено в предложение "
                f"№ {item.proposal_id}. Строка останется в реестре до одобрения предложения.",
            )
            return redirect(item.proposal)
        try:
            process_service.exclude_process(
                self.process, form.cleaned_data["reason"], self.request.user
            )
        except process_service.StaleEditError as refused:
            messages.info(self.request, refused.message)
            return redirect(self.process)
        messages.success(
            self.request,
            f"Процесс {self.process.identifier} исключен из реестра. Строка сохранена с основанием "
            "исключения и может быть восстановлена.",
        )
        return redirect(self.process)


class ProcessRestoreView(ScopedViewMixin, View):
    model = Process

    def post(self, request, pk):
        process = self.scoped_object(pk=pk)
        if not (request.user.applies_changes_directly and can(request.user, CHANGE, process)):
            raise PermissionDenied("Восстановить строку в реестре может уполномоченное лицо.")
        try:
            process_service.restore_process(process, request.user)
        except process_service.StaleEditError as refused:
            messages.info(request, refused.message)
            return redirect(process)
        messages.success(request, f"Процесс {process.identifier} восстановлен в реестре.")
        return redirect(process)


class LinkTargetsView(UnscopedViewMixin, LoginRequiredMixin, View):
    """Rows any authority's user may name in column 12: identifier, names and authority only."""

    unscoped_because = (
        "column 12 may name any authority's row: only identifiers and names, to users who "
        "keep a registry"
    )

    limit = 20

    def get(self, request):
        if not request.user.works_on_a_registry:
            raise PermissionDenied
        try:
            authority = Organization.objects.authorities().get(pk=int_param(request, "authority"))
        except Organization.DoesNotExist as exc:
            raise Http404("Орган власти не найден.") from exc
        rows = Process.objects.link_targets().filter(authority=authority, is_excluded=False)
        rows = rows.search(request.GET.get("q", ""), field="name_search_text")
        rows = rows.order_by("identifier_number", "identifier")[: self.limit]
        return JsonResponse(
            {
                "results": [
                    {
                        "identifier": row.identifier,
                        "name": row.name,
                        "function_name": row.function_name,
                        "authority": authority.display_name,
                    }
                    for row in rows
                ]
            }
        )


class ProcessHistoryView(ScopedViewMixin, DetailView):
    template_name = "registry/process_history.html"
    breadcrumb_title = "История изменений"
    context_object_name = "process"
    queryset = Process.objects.select_related("authority")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = history_service.row_history(self.object)
        context["can_edit"] = (
            self.request.user.applies_changes_directly
            and not self.object.is_excluded
            and can(self.request.user, CHANGE, self.object)
        )
        return context


class ProcessRestoreStateView(ScopedViewMixin, View):
    """Restoring an earlier state is a new change; the history itself is never rewritten."""

    model = Process

    def post(self, request, pk, history_id):
        process = self.scoped_object(pk=pk)
        if not (request.user.applies_changes_directly and can(request.user, CHANGE, process)):
            raise PermissionDenied(
                "Восстановить прежнее состояние строки может уполномоченное лицо; подразделение "
                "предлагает изменение строки."
            )
        if process.is_excluded:
            messages.error(request, "Процесс исключен из реестра: сначала восстановите его.")
            return redirect(process)
        get_object_or_404(process.history, history_id=history_id)
        try:
            history_service.restore_state(
                process, history_id, posted_version(request), request.user
            )
        except process_service.StaleEditError:
            messages.error(
                request,
                "Строку изменили, пока вы смотрели историю: проверьте текущее состояние "
                "и повторите.",
            )
            return redirect("registry:process_history", pk=pk)
        except ValidationError as error:
            messages.error(request, "Состояние не восстановлено: " + "; ".join(error.messages))
            return redirect("registry:process_history", pk=pk)
        messages.success(
            request, "Восстановлено прежнее состояние строки; это новое изменение в истории."
        )
        return redirect(process)
