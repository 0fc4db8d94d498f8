"""CalendarCorrection moves from registry to the kernel without touching its table: the state
takes the model over (registry 0014 drops it from registry's state only) and the table keeps
its name, so no row is copied and no lock is taken. The content type follows the model, so the
admin's log of past edits stays attached to the records."""

from django.db import migrations, models


def move_content_type(apps, schema_editor, source="registry", target="portal"):
    content_type = apps.get_model("contenttypes", "ContentType")
    rows = content_type.objects.using(schema_editor.connection.alias)
    if not rows.filter(app_label=target, model="calendarcorrection").exists():
        rows.filter(app_label=source, model="calendarcorrection").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="portal", target="registry")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        # The table is registry's (0004 created it, 0011 added its version).
        ("registry", "0011_calendar_correction_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarCorrection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, editable=False, verbose_name="версия записи"
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="дата")),
                        (
                            "is_working_day",
                            models.BooleanField(
                                help_text="Отмечено — рабочий день (перенесенный), нет — выходной.",
                                verbose_name="рабочий день",
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                help_text="Например: постановление Правительства РФ о переносе.",
                                max_length=300,
                                verbose_name="основание",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "поправка производственного календаря",
                        "verbose_name_plural": "поправки производственного календаря",
                        "ordering": ["date"],
                        "db_table": "registry_calendarcorrection",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
