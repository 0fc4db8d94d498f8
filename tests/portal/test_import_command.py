"""The kernel's import-command base: the two import commands share it."""

import pytest
from django.core.management import CommandError

from portal.management.commands._import import ImportCommand, refused_as_command_error
from registry.management.commands.import_registry import Command as RegistryCommand
from roadmaps.management.commands.import_roadmap import Command as RoadmapCommand


def test_both_import_commands_share_the_base():
    assert issubclass(RegistryCommand, ImportCommand)
    assert issubclass(RoadmapCommand, ImportCommand)


def test_a_refusal_becomes_the_commands_sentence():
    with (
        pytest.raises(CommandError, match="^Орган не найден.$"),
        refused_as_command_error(LookupError),
    ):
        raise LookupError("Орган не найден.")
