"""The survey kit's reference data: the tags of free-text answers and the question templates
per process group (fixtures/surveys.json). Rows already there (edited in «Справочники») stay."""

from django.db import migrations


def forwards(apps, schema_editor):
    from segmentation.services.survey_reference import load_survey_reference

    load_survey_reference(lambda name: apps.get_model("segmentation", name))


class Migration(migrations.Migration):
    dependencies = [("segmentation", "0006_surveys")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
