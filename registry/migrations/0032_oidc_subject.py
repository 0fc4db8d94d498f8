"""An OpenID Connect account is known by its provider's `sub`, not only by its user name."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("registry", "0031_directory_sign_in"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="directory_subject",
            field=models.CharField(
                blank=True,
                help_text="Для OpenID Connect — неизменный идентификатор учетной записи у провайдера (sub). По нему портал узнает пользователя при входе, даже если имя у провайдера сменилось.",
                max_length=255,
                verbose_name="идентификатор в каталоге",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("directory_subject", ""), _negated=True),
                fields=("directory", "directory_subject"),
                name="user_unique_directory_subject",
            ),
        ),
    ]
