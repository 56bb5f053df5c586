"""A trigram index for people search, on PostgreSQL only.

``Person.objects.search`` filters ``search_key LIKE '%term%'``; a GIN index
with ``gin_trgm_ops`` answers that without reading every row (see
docs/benchmarks.md). SQLite has no such index and needs none at this size:
this migration does nothing there, and the index is not part of the model
state, so both databases share one set of migrations.
"""

from django.db import migrations

INDEX = "person_search_key_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person "
        "USING gin (search_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_permissions")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
