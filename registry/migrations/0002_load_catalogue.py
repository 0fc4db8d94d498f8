"""Loads the reference catalogue (both editions) from fixtures/catalogue.json."""

from django.db import migrations


def forwards(apps, schema_editor):
    from registry.services.catalogue import load_catalogue

    load_catalogue(lambda name: apps.get_model("registry", name))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
