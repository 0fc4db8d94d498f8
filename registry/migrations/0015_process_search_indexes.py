"""Search at national scale (issue 13): on PostgreSQL the registry's search text gets a trigram
GIN index (substrings: `LIKE '%word%'` without a scan of a million rows) and a stored Russian
tsvector, kept by a trigger and indexed too (other forms of a word). SQLite keeps LIKE."""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD = [
    """CREATE OR REPLACE FUNCTION registry_process_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector('pg_catalog.russian', coalesce(NEW.search_text, ''));
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER registry_process_search_vector
    BEFORE INSERT OR UPDATE OF search_text ON registry_process
    FOR EACH ROW EXECUTE FUNCTION registry_process_search_vector()""",
    "UPDATE registry_process SET search_vector = to_tsvector('pg_catalog.russian', search_text)",
    "CREATE INDEX registry_process_search_vector_gin ON registry_process USING gin (search_vector)",
    "CREATE INDEX registry_process_search_text_trgm ON registry_process "
    "USING gin (search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS registry_process_search_text_trgm",
    "DROP INDEX IF EXISTS registry_process_search_vector_gin",
    "DROP TRIGGER IF EXISTS registry_process_search_vector ON registry_process",
    "DROP FUNCTION IF EXISTS registry_process_search_vector()",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_calendar_correction_to_portal"),
    ]

    operations = [
        migrations.AddField(
            model_name="process",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        TrigramExtension(),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False),
    ]
