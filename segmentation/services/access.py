"""Who sees and keeps segmentation records: an authority its own; coordinators read all."""

from __future__ import annotations


def visible(queryset, user):
    if not user.is_authenticated:
        return queryset.none()
    if user.sees_all_authorities:
        return queryset
    if user.authority is None:
        return queryset.none()
    return queryset.filter(authority=user.authority)


def may_edit(user, authority) -> bool:
    if user.is_administrator:
        return True
    if user.authority is None or authority is None:
        return False
    return user.authority.pk == authority.pk
