"""One registry row written from its form, the page's or the API's: an official's becomes an
item of his draft proposal, an officer's (or an administrator's) is written at once; a form
opened on an older version of the row is refused (StaleEdit) either way."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from portal.locking import StaleEdit
from registry.models import Process, ProposalItem
from registry.services import processes as process_service
from registry.services import proposals as proposal_service
from registry.services.row_values import values_from_form


@dataclass
class Written:
    process: Process | None = None  # written to the registry
    item: ProposalItem | None = None  # put into the author's draft proposal


def check_proposal_version(process: Process, seen_version) -> None:
    """An official proposes on the row he saw: a row changed since is refused."""
    current = Process.objects.with_related().get(pk=process.pk)
    if current.version != seen_version:
        raise StaleEdit(current)


def write_row(user, form, formset, process: Process | None = None, reason: str = "") -> Written:
    """`form` and `formset` are valid ProcessForm and ProcessLinkFormSet; `reason` is the
    history's («Изменен через API»), the service's own when empty."""
    seen = form.cleaned_data.get("version")
    if not user.applies_changes_directly:
        if process is not None:
            check_proposal_version(process, seen)
        item = proposal_service.propose_row(
            user,
            values_from_form(form, formset),
            process=process,
            base_version=seen,
            unit=form.cleaned_data.get("unit"),
        )
        return Written(item=item)
    extra = {"reason": reason} if reason else {}
    with transaction.atomic():
        instance = form.save_instance()
        points = form.cleaned_data["placement_points"]
        reasons = form.cleaned_data.get("inclusion_reasons")
        links = formset.link_specs()
        if process is None:
            saved = process_service.create_process(
                instance, points, links, user, inclusion_reasons=reasons, **extra
            )
        else:
            saved = process_service.update_process(
                instance, seen, points, links, user, inclusion_reasons=reasons, **extra
            )
    return Written(process=saved)
