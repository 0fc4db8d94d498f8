"""CalendarCorrection now belongs to the kernel (portal 0001): dropped from registry's state
only; its table, registry_calendarcorrection, stays as it is and is portal's now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_process_cell_length"),
        ("portal", "0001_calendar_correction_from_registry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CalendarCorrection")],
            database_operations=[],
        ),
    ]
