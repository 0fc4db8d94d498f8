"""The periodic check of LDAP accounts against the directory (manage.py sync_directory_users):
a user the directory no longer has, or who is in no mapped group any more, is switched off at
once — not at his next sign-in — with his API tokens revoked and his sessions ended; a user
whose groups now map to another role or organization gets it, as his sign-in would give it
(registry.services.directory.take_mapping). Accounts are never deleted. Each change is
written to the user's history in the admin (LogEntry)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.api.tokens import revoke_all
from portal.auth import end_sessions
from registry.models import Directory, User
from registry.services.directory import mapped_group, take_mapping

KEPT, MOVED, DISABLED = "kept", "moved", "disabled"
GONE = "учетной записи нет в каталоге"
NO_GROUP = "учетная запись не входит ни в одну группу из «Групп каталога»"
MISCONFIGURED = (
    "Каталог не нашел ни одной из {count} учетных записей LDAP портала — похоже на ошибку "
    "настройки (LDAP_USER_BASE, LDAP_USER_FILTER, служебная учетная запись). Ничего не "
    "изменено."
)
# The fields a sync may change; the rest of the account is the administrator's.
SYNCED = ("role", "organization_id", "whole_country", "first_name", "last_name", "email")


@dataclass
class Outcome:
    user: User
    change: str
    text: str


def ldap_users():
    """The accounts to check: LDAP's, still active (a switched-off account comes back only
    by an administrator's decision)."""
    return (
        User.objects.filter(directory=Directory.LDAP, is_active=True)
        .select_related("organization")
        .order_by("username")
    )


def looks_misconfigured(entries) -> str:
    """The refusal when the directory found none of several users: a wrong search base
    would otherwise switch off everyone."""
    if len(entries) > 1 and all(entry is None for _, entry in entries):
        return MISCONFIGURED.format(count=len(entries))
    return ""


def sync(entries, *, dry_run: bool = False) -> list[Outcome]:
    """Each (user, DirectoryEntry or None) brought in line with the directory."""
    return [sync_user(user, entry, dry_run=dry_run) for user, entry in entries]


def sync_user(user: User, entry, *, dry_run: bool = False) -> Outcome:
    if entry is None:
        return disable(user, GONE, dry_run=dry_run)
    mapping = mapped_group(Directory.LDAP, entry.groups)
    if mapping is None:
        return disable(user, NO_GROUP, dry_run=dry_run)
    before = {field: getattr(user, field) for field in SYNCED}
    role_before = _role_text(user)
    take_mapping(user, mapping, **entry.names)
    changed = [field for field in SYNCED if getattr(user, field) != before[field]]
    if not changed:
        return Outcome(user, KEPT, "")
    text = f"было: {role_before}; стало: {_role_text(user)}"
    if role_before == _role_text(user):
        text = "обновлены имя или почта из каталога"
    if not dry_run:
        with transaction.atomic():
            user.save(update_fields=[f.removesuffix("_id") for f in changed] + ["is_staff"])
            _log(user, f"Сверка с каталогом (sync_directory_users): {text}.")
    return Outcome(user, MOVED, text)


def disable(user: User, reason: str, *, dry_run: bool = False) -> Outcome:
    """Switched off, not deleted: his tokens revoked, his sessions ended, the reason logged."""
    if dry_run:
        return Outcome(user, DISABLED, reason)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        tokens = revoke_all(user)
        sessions = end_sessions([user.pk])
        text = f"{reason}; отозвано ключей API: {tokens}, завершено сеансов: {sessions}"
        _log(user, f"Отключена сверкой с каталогом (sync_directory_users): {text}.")
    return Outcome(user, DISABLED, text)


def _role_text(user: User) -> str:
    where = "все органы власти страны" if user.nationwide else str(user.organization or "—")
    return f"{user.get_role_display()}, {where}"


def _log(user: User, message: str) -> None:
    """The user's admin history. A LogEntry needs a user: the portal has no account of its
    own, so the entry names the account itself and its message says the sync did it."""
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user)[:200],
        action_flag=CHANGE,
        change_message=message,
    )
