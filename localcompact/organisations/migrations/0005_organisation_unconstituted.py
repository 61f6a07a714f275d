"""Unconstituted community groups (see models.Organisation.unconstituted).

On SQLite, adding a NOT NULL column makes Django rebuild the organisations table, which
drops the name search's triggers with the old table (see 0003): they are made again
here. On PostgreSQL the column is simply added and the index stays.
"""

import importlib

from django.db import migrations, models

name_search = importlib.import_module(
    "localcompact.organisations.migrations.0003_register_name_search"
)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_claims"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalorganisation",
            name="unconstituted",
            field=models.BooleanField(
                default=False, verbose_name="An unconstituted community group"
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="unconstituted",
            field=models.BooleanField(
                default=False, verbose_name="An unconstituted community group"
            ),
        ),
        migrations.RunPython(
            name_search.organisations_name_search_create, migrations.RunPython.noop
        ),
    ]
