"""The kernel's model pieces (portal.fields, portal.cells.cell_text, portal.models.Removable)
keep the fields and managers the models had: the apps' models declare them through these."""

from django.conf import settings
from django.db import models

from portal.cells import CELL_MAX_CHARS, cell_text
from portal.fields import reference, user_field
from portal.models import NotRemovedManager, Removable
from registry.models import Process, ProcessLink, ProposalItem
from segmentation.models import SegmentAttribute


def test_a_reference_protects_its_target_and_an_optional_one_may_be_empty():
    required = reference("registry.Organization", "орган власти", related_name="+")
    optional = reference("registry.Organization", "подразделение", optional=True)
    assert required.remote_field.on_delete is models.PROTECT
    assert (required.null, required.blank, optional.null, optional.blank) == (
        False,
        False,
        True,
        True,
    )
    assert str(required.verbose_name) == "орган власти"


def test_a_user_field_names_who_did_it_without_a_reverse_accessor():
    field = user_field("исключил")
    assert field.remote_field.model == settings.AUTH_USER_MODEL
    assert field.remote_field.related_name == "+" and field.null and field.blank
    assert not user_field("автор", optional=False).null


def test_a_cell_text_is_held_to_one_xlsx_cell():
    field = cell_text("мероприятие", blank=True)
    assert isinstance(field, models.TextField) and field.blank
    assert [v.limit_value for v in field.validators] == [CELL_MAX_CHARS]
    assert Process._meta.get_field("function_name").validators[0].limit_value == CELL_MAX_CHARS


def test_removed_rows_are_hidden_by_default_and_kept_in_the_base_manager():
    for model in (ProcessLink, ProposalItem, SegmentAttribute):
        assert issubclass(model, Removable), model
        assert isinstance(model._default_manager, NotRemovedManager), model
        assert model._meta.base_manager_name == "all_objects", model
        assert model._meta.get_field("removed_at").null, model


def test_the_split_model_packages_keep_what_migrations_name():
    import roadmaps.models

    assert callable(roadmaps.models._new_feed_token)  # migration 0002
    assert callable(roadmaps.models.evidence_upload_to)  # migration 0006
    assert roadmaps.models.Evidence._meta.get_field("file").upload_to is (
        roadmaps.models.evidence_upload_to
    )
