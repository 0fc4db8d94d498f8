"""Wording as the seeds (issue 15, point 12): each edition's note under the form (001: «*
Графы, обязательные для заполнения.», 004: «* – графы, обязательные для заполнения.») and
municipal status 6 read as «… не проходил» (the scan's «не проходи»). Existing databases
take both from fixtures/catalogue.json; the loader upserts, so nothing else changes."""

from django.db import migrations, models


def load(apps, schema_editor):
    from registry.services.catalogue import load_catalogue

    load_catalogue(lambda name: apps.get_model("registry", name))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0026_version_placement_and_approval"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogueedition",
            name="mandatory_note",
            field=models.CharField(
                default="* Графы, обязательные для заполнения.",
                max_length=300,
                verbose_name="примечание к форме",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
