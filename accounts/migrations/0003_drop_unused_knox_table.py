"""django-rest-knox's own migrations create its default token table, `knox_authtoken`, even
though its model is swapped for accounts.ApiToken (KNOX_TOKEN_MODEL). Unused, it still points at
auth_user: PostgreSQL then refuses to empty auth_user without it (TRUNCATE … "referenced in a
foreign key constraint"), which every test that commits real transactions does. It is dropped;
knox reads and writes only accounts.ApiToken."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_drop_drf_tokens"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS knox_authtoken;", reverse_sql=migrations.RunSQL.noop
        )
    ]
