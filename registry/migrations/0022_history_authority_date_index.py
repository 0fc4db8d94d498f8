"""The first change of an authority's registry since its last publication
(services.publication.publication_status: MIN(history_date) WHERE authority_id = …): with only
the two single-column indexes PostgreSQL walks history_date over every state of the country
and filters by authority (2.7 s at 1M states for an authority without history); with
(authority_id, history_date) it reads one entry. Plain SQL, since the historical model is
django-simple-history's and has no Meta of ours; both databases take it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0021_participant_answers_index"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX registry_historicalprocess_authority_date "
            "ON registry_historicalprocess (authority_id, history_date)",
            "DROP INDEX registry_historicalprocess_authority_date",
        ),
    ]
