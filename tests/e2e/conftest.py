import pytest
from django.apps import apps

from registry.services.catalogue import load_catalogue


@pytest.fixture(autouse=True)
def catalogue(transactional_db):
    """A transactional test's flush also empties what the data migration loaded: load it again."""
    load_catalogue(lambda name: apps.get_model("registry", name))
