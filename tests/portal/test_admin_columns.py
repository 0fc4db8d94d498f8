"""The axes pages' columns are made by one helper and keep their labels, order and dash."""

from types import SimpleNamespace

from portal.admin import PortalAccessFailureLogAdmin, PortalAccessLogAdmin


def test_a_column_keeps_its_label_order_and_dash():
    logout = PortalAccessLogAdmin.logout
    assert logout.short_description == "время выхода"
    assert logout.admin_order_field == "logout_time"
    assert logout(None, SimpleNamespace(logout_time=None)) == "—"
    assert PortalAccessLogAdmin.page(None, SimpleNamespace(path_info="")) == ""


def test_the_lockout_column_is_boolean():
    column = PortalAccessFailureLogAdmin.during_lockout
    assert column.boolean is True
    assert column(None, SimpleNamespace(locked_out=False)) is False
