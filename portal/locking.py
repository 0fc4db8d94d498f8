"""Optimistic locking, the one mechanism of every editable record: a `version` counter that
each change raises in the same UPDATE that checks it,

    UPDATE … SET version = version + 1 WHERE id = %s AND version = %s

so of two saves of the same version exactly one claims the row (the other waits for the row
lock, then matches nothing) and the other is refused with the current values. The claim runs
in the transaction that writes the rest of the change, so a refused save writes nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import models, router, transaction
from django.db.models import F
from django.utils import timezone

STALE_MESSAGE = (
    "{what} уже изменил другой пользователь{who}, пока вы редактировали форму. Ваши изменения "
    "не сохранены, чтобы не затереть чужие. Ниже — текущие значения; внесите свои правки заново."
)


class Versioned(models.Model):
    version = models.PositiveIntegerField("версия записи", default=1, editable=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """The record changed since the form was opened; `current` is the record as it is now."""

    def __init__(self, current, message: str = ""):
        super().__init__(message or "stale edit")
        self.current = current
        self.message = message


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


# The `expected_version` of a system caller (a command, an import, a test's setup): there is
# no form, so the version the caller read the record at is taken. A form that posted no
# version, or a malformed one, passes None, and None is always stale.
UNCHECKED = _Unchecked()


def posted_version(request, name: str = "version") -> int | None:
    """The version a page's form was opened on, as posted; None if missing or malformed, which
    claim() and check_seen() refuse as stale (a page without it cannot prove what it saw)."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def claim(instance: Versioned, expected_version, current=None) -> None:
    """Raises the record's version if it is still `expected_version`, else StaleEdit with the
    record as it is now (read through `current`, a queryset, if given). Call it inside the
    transaction of the change, before writing anything else. `expected_version` None (a form
    without its version) is stale; UNCHECKED (a system caller) claims the version it read."""
    if expected_version is UNCHECKED:
        expected_version = instance.version
    rows = type(instance)._base_manager
    claimed = expected_version is not None and rows.filter(
        pk=instance.pk, version=expected_version
    ).update(version=F("version") + 1)
    if not claimed:
        raise StaleEdit((current if current is not None else rows).get(pk=instance.pk))
    instance.version = expected_version + 1


def check_seen(instance: Versioned, expected_version) -> None:
    """For a change under a row lock (instance read with select_for_update): StaleEdit unless
    the locked record is still at `expected_version` (None is stale, UNCHECKED passes)."""
    if expected_version is not UNCHECKED and instance.version != expected_version:
        raise StaleEdit(instance)


def bump(instance: Versioned) -> None:
    """A change without a form's version (under a row lock, or by the system): forms opened
    before it must be refused, so the version moves too. Call it before saving the instance,
    in the same transaction; the instance takes the new version."""
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    rows.update(version=F("version") + 1)
    instance.version = rows.values_list("version", flat=True).get()


class VersionField(forms.IntegerField):
    """The hidden version: missing or malformed is None, not a form error, so the save is
    refused as stale (409, "обновите страницу") rather than shown as an invisible error."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None

    def validate(self, value):
        pass

    def run_validators(self, value):
        pass


class VersionFormMixin(forms.Form):
    """The version the form was opened on, carried as a hidden field. A model form takes it
    from its instance; a plain form from `versioned=`."""

    version = VersionField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, versioned: Versioned | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        record = versioned if versioned is not None else getattr(self, "instance", None)
        if record is not None and record.pk:
            self.initial.setdefault("version", record.version)

    @property
    def opened_version(self) -> int | None:
        return self.cleaned_data.get("version")


def stale_message(current, what: str = "Запись") -> str:
    who = getattr(current, "updated_by", None)
    when = getattr(current, "updated_at", None)
    detail = ""
    if who or when:
        parts = [str(who)] if who else []
        if when:
            parts.append(f"{timezone.localtime(when):%d.%m.%Y %H:%M}")
        detail = " (" + ", ".join(parts) + ")"
    return STALE_MESSAGE.format(what=what, who=detail)


def refuse_stale(request, render, current=None, what: str = "Запись", message: str = ""):
    """The answer to a refused save: the message (with who and when, if the record knows) and
    the page with the current values that `render()` gives, as HTTP 409."""
    messages.error(request, message or stale_message(current, what))
    response = render()
    response.status_code = 409
    return response


class AdminVersionForm(forms.ModelForm):
    """The admin's change form on the same lock. The admin saves inside one transaction, so
    the row locked and compared here stays locked until the save."""

    opened_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The record's version now, not the instance's: the history's revert form is
            # built on an earlier state, which carries the version of that state.
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.initial.setdefault("opened_version", current)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            rows = type(self.instance)._base_manager.select_for_update()
            current = rows.get(pk=self.instance.pk)
            if current.version != cleaned.get("opened_version"):
                raise forms.ValidationError(stale_message(current))
            self.instance.version = current.version + 1
        return cleaned


class VersionedAdminMixin:
    """For a ModelAdmin of a Versioned model: its change form carries and checks the version."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form") or self.form
        if not issubclass(base, AdminVersionForm):
            kwargs["form"] = type(f"Locked{base.__name__}", (AdminVersionForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's revert page saves outside a transaction, unlike the change
        form: the form's clean() locks the row, which needs one (TransactionManagementError
        on PostgreSQL otherwise), and the lock must last until the save."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)
