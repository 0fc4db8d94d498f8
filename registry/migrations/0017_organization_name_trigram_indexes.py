"""The registry list's authority and unit filters search organization names as one types
(registry/views/autocomplete.py: a regular expression per word). On PostgreSQL trigram GIN
indexes serve it without reading all the organizations of the country; SQLite has none."""

from importlib import import_module

from django.db import migrations

# The vendor check of 0015, which also created pg_trgm (SQLite has no such index).
on_postgresql = import_module("registry.migrations.0015_process_search_indexes").on_postgresql

FIELDS = ("full_name", "short_name")
FORWARD = [
    f"CREATE INDEX IF NOT EXISTS registry_organization_{name}_trgm ON registry_organization "
    f"USING gin ({name} gin_trgm_ops)"
    for name in FIELDS
]
BACKWARD = [f"DROP INDEX IF EXISTS registry_organization_{name}_trgm" for name in FIELDS]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0016_list_sort_indexes"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False),
    ]
