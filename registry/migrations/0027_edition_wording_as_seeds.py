"""Wording as the seeds (issue 15, point 12): each edition's note under the form (001: «*
Графы, обязательные для заполнения.», 004: «* – графы, обязательные для заполнения.») and
municipal status 6 read as «… не проходил» (the scan's «не проходи»). Existing databases
take both from fixtures/catalogue.json."""

from django.db import migrations, models

PREVIOUS_READING = "оптимизацию (реинжиниринг) не прошел"


def load(apps, schema_editor):
    """Only what this step changes, so entries edited in «Справочники» since stay as they are;
    status 6 is renamed only where it still reads as loaded before."""
    from registry.services.catalogue import read_catalogue

    editions = apps.get_model("registry", "CatalogueEdition").objects
    statuses = apps.get_model("registry", "ReengineeringStatus").objects
    for edition in read_catalogue()["editions"]:
        editions.filter(code=edition["code"]).update(mandatory_note=edition["mandatory_note"])
    status = next(
        s
        for e in read_catalogue()["editions"]
        if e["level"] == "municipal"
        for s in e["statuses"]
        if s["code"] == "not_reengineered"
    )
    statuses.filter(
        edition__level="municipal", code="not_reengineered", name=PREVIOUS_READING
    ).update(name=status["name"], aliases=status["aliases"])


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
