"""Sign-in with directory accounts (issue 17): where a user comes from, and the table mapping
a directory's groups to portal roles («Группы каталога» in «Справочники»)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0030_editions_per_territory"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="directory",
            field=models.CharField(
                blank=True,
                choices=[("ldap", "LDAP / Active Directory"), ("oidc", "OpenID Connect")],
                help_text="Пусто — локальная учетная запись портала (вход по паролю портала). Учетная запись каталога входит только через каталог, ее роль и организация обновляются при каждом входе по таблице «Группы каталога».",
                max_length=10,
                verbose_name="источник учетной записи",
            ),
        ),
        migrations.CreateModel(
            name="DirectoryGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "directory",
                    models.CharField(
                        choices=[("ldap", "LDAP / Active Directory"), ("oidc", "OpenID Connect")],
                        max_length=10,
                        verbose_name="каталог",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="LDAP / Active Directory — DN группы (cn=portal-officers,ou=groups,dc=…); OpenID Connect — значение из списка групп в данных пользователя.",
                        max_length=500,
                        verbose_name="группа в каталоге",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("official", "сотрудник структурного подразделения"),
                            ("authorized_officer", "уполномоченное лицо органа власти"),
                            ("coordinator", "координатор"),
                        ],
                        max_length=30,
                        verbose_name="роль",
                    ),
                ),
                (
                    "order",
                    models.PositiveIntegerField(
                        default=100,
                        help_text="Если пользователь состоит в нескольких группах, действует группа с меньшим порядком.",
                        verbose_name="порядок",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="действует")),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        help_text="Структурное подразделение — для сотрудника, орган власти — для уполномоченного лица; для координатора пусто.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.organization",
                        verbose_name="организация",
                    ),
                ),
            ],
            options={
                "verbose_name": "группа каталога",
                "verbose_name_plural": "группы каталога",
                "ordering": ["directory", "order", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("directory", "name"), name="directory_group_unique_name"
                    )
                ],
            },
        ),
    ]
