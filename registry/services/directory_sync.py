"""The periodic check of LDAP accounts against the directory (manage.py sync_directory_users):
a user the directory no longer has, or who is in no mapped group any more, is switched off at
once — not at his next sign-in — with his API tokens revoked and his sessions ended; a user
whose groups now map to another role or organization gets it, as his sign-in would give it
(registry.services.directory.take_mapping). Accounts are never deleted. Each change is
written to the user's history in the admin (LogEntry)."""

from __future__ import annotations

from django.db import transaction

from registry.models import Directory, User
from registry.services.directory import (
    LOST_GROUPS,
    Outcome,
    disable,
    log_change,
    mapped_group,
    take_mapping,
)

KEPT, MOVED = "kept", "moved"
GONE = "учетной записи нет в каталоге"
BY_SYNC = "сверкой с каталогом (sync_directory_users)"
MISCONFIGURED = (
    "Каталог не нашел ни одной из {count} учетных записей LDAP портала — похоже на ошибку "
    "настройки (LDAP_USER_BASE, LDAP_USER_FILTER, служебная учетная запись). Ничего не "
    "изменено."
)
# The fields a sync may change; the rest of the account is the administrator's.
SYNCED = ("role", "organization_id", "whole_country", "first_name", "last_name", "email")


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
        return disable(user, GONE, BY_SYNC, dry_run=dry_run)
    mapping = mapped_group(Directory.LDAP, entry.groups)
    if mapping is None:
        return disable(user, LOST_GROUPS, BY_SYNC, dry_run=dry_run)
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
            log_change(user, f"Сверка с каталогом (sync_directory_users): {text}.")
    return Outcome(user, MOVED, text)


def _role_text(user: User) -> str:
    where = "все органы власти страны" if user.nationwide else str(user.organization or "—")
    return f"{user.get_role_display()}, {where}"
