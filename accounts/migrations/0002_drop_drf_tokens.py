"""The tokens of DRF's rest_framework.authtoken, used before these, were kept in plain text and
never expired. Its app is gone; its table (if this database has one) is dropped with every key
in it, as `migrate authtoken zero` would have done. Their clients ask for a new token."""

from django.db import migrations

DROP = """
DROP TABLE IF EXISTS authtoken_token;
DELETE FROM django_migrations WHERE app = 'authtoken';
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_api_token")]

    operations = [migrations.RunSQL(DROP, reverse_sql=migrations.RunSQL.noop)]
