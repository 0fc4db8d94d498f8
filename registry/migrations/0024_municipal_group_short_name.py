"""The short name of municipal group 5 named Omsk's administration: every municipal authority's
pages showed it. It now names no city, as the regional edition's short name of group 5."""

from django.db import migrations

OMSK = "Обеспечение доступа к информации о деятельности Администрации города Омска"
NEUTRAL = "Обеспечение доступа к информации о деятельности органа власти"


def neutral(apps, schema_editor):
    groups = apps.get_model("registry", "ProcessGroup").objects
    groups.filter(edition__level="municipal", code="5", short_name=OMSK).update(short_name=NEUTRAL)


def omsk(apps, schema_editor):
    groups = apps.get_model("registry", "ProcessGroup").objects
    groups.filter(edition__level="municipal", code="5", short_name=NEUTRAL).update(short_name=OMSK)


class Migration(migrations.Migration):
    dependencies = [("registry", "0023_registry_version_xlsx_in_storage")]

    operations = [migrations.RunPython(neutral, omsk)]
