"""A directory account signing in (LDAP / Active Directory, OpenID Connect; the backends are
registry.backends): its groups give the role and the organization by the table «Группы
каталога» (DirectoryGroup); the user is created on the first sign-in and brought up to date
on every later one. Local accounts of the portal (administrators') are never taken over, nor
one directory's accounts by another's. An account whose directory says he is in no mapped
group any more is switched off (`disable`: tokens revoked, sessions ended, logged), at his
sign-in or session refresh here and by the periodic sync (registry.services.directory_sync)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.api.tokens import revoke_all
from portal.auth import SignInRefused, end_sessions
from registry.models import DirectoryGroup, Role, User
from registry.models.accounts import group_key

NO_GROUP = (
    "Вход с учетной записью каталога выполнен, но она не входит ни в одну группу, которой на "
    "портале назначена роль. Обратитесь к администратору портала, чтобы вашу группу добавили "
    "в справочник «Группы каталога»."
)
LOCAL_ACCOUNT = (
    "Имя «{username}» принадлежит локальной учетной записи портала: войдите с паролем "
    "портала или обратитесь к администратору портала."
)
OTHER_DIRECTORY = (
    "Имя «{username}» принадлежит учетной записи другого каталога ({directory}): войдите "
    "тем способом, которым входили раньше, или обратитесь к администратору портала."
)
OTHER_SUBJECT = (
    "Имя «{username}» на портале принадлежит другой учетной записи провайдера входа: "
    "провайдер передал это имя новой учетной записи. Обратитесь к администратору портала."
)
NO_USERNAME = "Каталог не передал имя пользователя. Обратитесь к администратору портала."
INACTIVE = "Учетная запись отключена. Обратитесь к администратору портала."
LOST_GROUPS = "учетная запись не входит ни в одну группу из «Групп каталога»"
AT_SIGN_IN = "при входе через каталог"
DISABLED = "disabled"


@dataclass
class Outcome:
    """What became of an account (here and in registry.services.directory_sync)."""

    user: User
    change: str
    text: str


def mapped_group(directory: str, groups) -> DirectoryGroup | None:
    """The first mapping by order among the user's groups, or None."""
    keys = {group_key(directory, g) for g in groups}
    for mapping in DirectoryGroup.objects.filter(directory=directory, is_active=True):
        if group_key(directory, mapping.name) in keys:
            return mapping
    return None


def sign_in(request, directory: str, username: str, groups, subject: str = "", **names) -> User:
    """The portal user of a directory account whose password (or provider) said yes, with
    the role and organization of his first mapped group and the directory's names
    (first_name, last_name, email); SignInRefused with the reason otherwise. `subject` is
    an OpenID Connect provider's `sub`, the account's stable identifier: it is matched
    first, the user name (which the provider may give to someone else later) only for an
    account that has no subject stored yet."""
    username = username.strip().lower()
    if not username:
        raise SignInRefused(request, NO_USERNAME)
    mapping = mapped_group(directory, groups)
    if mapping is None:
        _lost_groups(directory, username, subject)
        raise SignInRefused(request, NO_GROUP)
    with transaction.atomic():
        user = _account(request, directory, username, subject)
        if not user.is_active:
            raise SignInRefused(request, INACTIVE)
        take_mapping(user, mapping, **names)
        user.save()
    return user


def _lost_groups(directory: str, username: str, subject: str) -> None:
    """The directory itself says its user has no mapped group any more: his account, if he
    has one, is switched off as the periodic sync would (his tokens and other sessions must
    not outlive his groups). Never another subject's account of the same name."""
    accounts = User.objects.filter(directory=directory, is_active=True)
    user = accounts.filter(directory_subject=subject).first() if subject else None
    if user is None:
        same_name = accounts.filter(username__iexact=username, directory_subject__in=["", subject])
        user = same_name.first()
    if user is not None:
        disable(user, LOST_GROUPS, AT_SIGN_IN)


def _account(request, directory: str, username: str, subject: str) -> User:
    """The existing account of this directory user (locked), or a new unsaved one."""
    users = User.objects.select_for_update()
    if subject:
        user = users.filter(directory=directory, directory_subject=subject).first()
        if user is not None:
            return user  # his portal name stays the one he first came with
    user = users.filter(username__iexact=username).first()
    if user is None:
        user = User(username=username, directory=directory, directory_subject=subject)
        user.set_unusable_password()
        return user
    if not user.directory:
        raise SignInRefused(request, LOCAL_ACCOUNT.format(username=user.username))
    if user.directory != directory:
        # The same name in another directory is not the same person by that alone (an
        # OpenID Connect user name claim may be another provider's, or editable by its user).
        label = user.get_directory_display()
        raise SignInRefused(
            request, OTHER_DIRECTORY.format(username=user.username, directory=label)
        )
    if subject and user.directory_subject and user.directory_subject != subject:
        # The provider gave this name to another account than the one who first came.
        raise SignInRefused(request, OTHER_SUBJECT.format(username=user.username))
    if subject and not user.directory_subject:
        user.directory_subject = subject  # an account from before subjects were kept
    return user


def take_mapping(user: User, mapping: DirectoryGroup, **names) -> None:
    """The mapping's role and organization and the directory's names on the user (not
    saved): at sign-in and in the periodic sync (registry.services.directory_sync)."""
    user.role, user.organization = mapping.role, mapping.organization
    if user.role != Role.COORDINATOR:
        user.whole_country = False  # the mark is a coordinator's: it must not come back later
    elif user.whole_country:
        user.organization = None  # an administrator's nationwide mark has none (User.clean)
    for field, value in names.items():
        if value:
            setattr(user, field, value[: User._meta.get_field(field).max_length])


def disable(user: User, reason: str, by: str, *, dry_run: bool = False) -> Outcome:
    """Switched off, not deleted: his tokens revoked, his sessions ended, the reason and
    what found it (`by`) logged."""
    if dry_run:
        return Outcome(user, DISABLED, reason)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        tokens = revoke_all(user)
        sessions = end_sessions([user.pk])
        text = f"{reason}; отозвано ключей API: {tokens}, завершено сеансов: {sessions}"
        log_change(user, f"Отключена {by}: {text}.")
    return Outcome(user, DISABLED, text)


def log_change(user: User, message: str) -> None:
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
