"""No overlapping custody episodes (or children's stays) for one person, on PostgreSQL.

SQLite cannot hold this rule; there the actions check it under a lock on the
person row. On PostgreSQL an exclusion constraint backs them up, so no
import or merge can write an overlap either. Intervals are half-open
([start, end)), so a transfer on day D may end one episode and start the
next on D. btree_gist (a trusted extension since PostgreSQL 13) lets the
constraint compare person ids with "=".
"""

from django.db import migrations

CONSTRAINTS = [
    ("custody_custodyepisode", "custodyepisode_no_overlap", "person_id"),
    ("custody_childresidence", "childresidence_no_overlap", "child_id"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, name, column in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, daterange(start, \"end\", '[)') WITH &&)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _column in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("custody", "0002_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
