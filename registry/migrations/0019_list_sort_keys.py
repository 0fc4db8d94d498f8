"""Every sort of the registry list walks one index (issue 13): free text by its first 100
characters; the life situation's name and the catalogue entries' order copied into the row
(filled here, kept by Process.prepare_for_save() and registry.services.sort_keys)."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SORT_KEYS = {
    "life_situation_name": ("life_situation", "LifeSituation", "name"),
    "group_order": ("group", "ProcessGroup", "order"),
    "typical_order": ("typical_process", "TypicalProcess", "order"),
    "status_order": ("status", "ReengineeringStatus", "order"),
    "kind_order": ("kind", "ProcessKind", "order"),
}


def fill_sort_keys(apps, schema_editor):
    process = apps.get_model("registry", "Process")
    orders = {
        key: Subquery(
            apps.get_model("registry", model)
            .objects.filter(pk=OuterRef(f"{relation}_id"))
            .values(attribute)[:1]
        )
        for key, (relation, model, attribute) in SORT_KEYS.items()
    }
    process.objects.update(**orders)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0018_rare_flag_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="process",
            name="group_order",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="process",
            name="kind_order",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="process",
            name="life_situation_name",
            field=models.CharField(editable=False, max_length=500, null=True),
        ),
        migrations.AddField(
            model_name="process",
            name="status_order",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="process",
            name="typical_order",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                django.db.models.functions.text.Left("function_name", 100),
                models.F("id"),
                name="process_function_name_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                django.db.models.functions.text.Left("client", 100),
                models.F("id"),
                name="process_client_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                django.db.models.functions.text.Left("regulating_act", 100),
                models.F("id"),
                name="process_regulating_act_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                django.db.models.functions.text.Left("responsible", 100),
                models.F("id"),
                name="process_responsible_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                django.db.models.functions.text.Left("input_data", 100),
                models.F("id"),
                name="process_input_data_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                django.db.models.functions.text.Left("output_data", 100),
                models.F("id"),
                name="process_output_data_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                models.F("group_order"),
                models.F("group_id"),
                models.F("typical_order"),
                django.db.models.functions.text.Left("process_name", 100),
                models.F("id"),
                name="process_group_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                models.F("status_order"),
                models.F("status_id"),
                models.F("id"),
                name="process_status_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                models.F("kind_order"),
                models.F("kind_id"),
                models.F("id"),
                name="process_kind_order",
            ),
        ),
        migrations.AddIndex(
            model_name="process",
            index=models.Index(
                models.F("life_situation_name"),
                models.F("life_situation_id"),
                models.F("id"),
                name="process_life_situation_order",
            ),
        ),
    ]
