"""The one way the portal's admin pages are gated: by the user's portal role (a property of
the user), not Django's per-model permission table, which portal roles do not use. The apps'
admins use it (they import portal, never the reverse)."""


class AdministratorGatedMixin:
    """Every admin permission of the model (or inline) follows one check of the user's role:
    administrators only, unless `admits` says otherwise. Nothing is deleted here (rows are
    excluded, closed or cancelled); a read-only page also refuses add and change."""

    read_only = False

    def admits(self, user) -> bool:
        return user.is_administrator

    def _allowed(self, request) -> bool:
        user = request.user
        return user.is_active and self.admits(user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):  # inlines also pass the parent object
        return not self.read_only and self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return not self.read_only and self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False


class RoleGatedMixin(AdministratorGatedMixin):
    """The reference data's pages: coordinators and administrators (maintains_reference_data)."""

    def admits(self, user) -> bool:
        return user.maintains_reference_data
