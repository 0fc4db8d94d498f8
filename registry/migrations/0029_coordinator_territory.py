"""Coordinators are organizations with a scope (issue 15, point 8): a coordinator reads the
authorities of his region or municipality. `whole_country` marks a nationwide coordinator;
the coordinators kept so far without an organization read every authority, so they get it
(an administrator narrows them by giving each his region)."""

import django.db.models.deletion
from django.db import migrations, models


def keep_their_reach(apps, schema_editor):
    users = apps.get_model("registry", "User").objects
    users.filter(role="coordinator", organization__isnull=True).update(whole_country=True)


class Migration(migrations.Migration):
    dependencies = [("registry", "0028_reengineering_plan")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="whole_country",
            field=models.BooleanField(
                default=False,
                help_text="Федеральный координатор: видит органы власти всех субъектов и "
                "муниципальных образований. Только для роли «координатор» без организации.",
                verbose_name="все органы власти страны",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                help_text="Структурное подразделение сотрудника или орган власти уполномоченного "
                "лица; у координатора — субъект, муниципальное образование или его "
                "координационный орган (орган власти, подразделение): координатор видит органы "
                "власти этого субъекта (муниципального образования).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="registry.organization",
                verbose_name="организация",
            ),
        ),
        migrations.RunPython(keep_their_reach, migrations.RunPython.noop),
    ]
