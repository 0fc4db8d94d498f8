"""A plan keeps its document's words (issue 15, point 12): the headers of its table. Existing
seed plans take them from their files (seed 002's headers). The «*» 329-рп put in five titles
and its footnotes come by its own sentences (migration 0012_roadmap_footnote_and_act's field,
applied on seed by services.amendments.words)."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def seed_wording(apps, schema_editor):
    from roadmaps.services.reader import clean_cell, header_columns

    roadmaps = apps.get_model("roadmaps", "Roadmap").objects
    seeds = Path(settings.BASE_DIR) / "fixtures" / "roadmaps"
    manifest = json.loads((seeds / "roadmaps.json").read_text(encoding="utf-8"))
    for plan in manifest["roadmaps"]:
        if plan.get("file"):
            for line in (seeds / plan["file"]).read_text(encoding="utf-8").splitlines():
                cells = [clean_cell(c) for c in line.split("\t")]
                found = header_columns(cells)
                if found:
                    roadmaps.filter(source_file=plan["file"]).update(
                        **{
                            field: cells[found[name]][:200]
                            for name, field in (
                                ("responsible", "responsible_header"),
                                ("document_type", "document_header"),
                            )
                            if name in found and cells[found[name]]
                        }
                    )
                    break


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0012_roadmap_footnote_and_act"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalroadmap",
            name="document_header",
            field=models.CharField(
                default="Вид документа",
                max_length=200,
                verbose_name="заголовок графы вида документа",
            ),
        ),
        migrations.AddField(
            model_name="historicalroadmap",
            name="responsible_header",
            field=models.CharField(
                default="Ответственный",
                max_length=200,
                verbose_name="заголовок графы ответственных",
            ),
        ),
        migrations.AddField(
            model_name="roadmap",
            name="document_header",
            field=models.CharField(
                default="Вид документа",
                max_length=200,
                verbose_name="заголовок графы вида документа",
            ),
        ),
        migrations.AddField(
            model_name="roadmap",
            name="responsible_header",
            field=models.CharField(
                default="Ответственный",
                max_length=200,
                verbose_name="заголовок графы ответственных",
            ),
        ),
        migrations.RunPython(seed_wording, migrations.RunPython.noop),
    ]
