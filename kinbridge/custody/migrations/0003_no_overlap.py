"""No overlapping custody episodes (or children's stays) for one person, in the database.

The actions check the rule under a lock on the person row; the database backs
them up, so no import or merge can write an overlap either. On PostgreSQL an
exclusion constraint holds it (btree_gist, a trusted extension since
PostgreSQL 13, lets it compare person ids with "="); on SQLite, triggers that
abort the write. Intervals are half-open ([start, end)), so a transfer on day
D may end one episode and start the next on D, and an empty interval
(start = end) overlaps nothing, as with PostgreSQL's ranges.
"""

from django.db import migrations

CONSTRAINTS = [
    ("custody_custodyepisode", "custodyepisode_no_overlap", "person_id"),
    ("custody_childresidence", "childresidence_no_overlap", "child_id"),
]


SQLITE_OVERLAP = """
CREATE TRIGGER {name}_{event} BEFORE {event_sql} ON {table}
WHEN (NEW."end" IS NULL OR NEW."end" > NEW.start) AND EXISTS (
    SELECT 1 FROM {table} other
    WHERE other.{column} = NEW.{column} AND other.id IS NOT NEW.id
      AND (other."end" IS NULL OR other."end" > other.start)
      AND (other."end" IS NULL OR other."end" > NEW.start)
      AND (NEW."end" IS NULL OR other.start < NEW."end")
)
BEGIN SELECT RAISE(ABORT, '{name}'); END
"""
SQLITE_EVENTS = {"insert": "INSERT", "update": 'UPDATE OF {column}, start, "end"'}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for table, name, column in CONSTRAINTS:
            for event, event_sql in SQLITE_EVENTS.items():
                schema_editor.execute(
                    SQLITE_OVERLAP.format(
                        name=name,
                        event=event,
                        event_sql=event_sql.format(column=column),
                        table=table,
                        column=column,
                    )
                )
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, name, column in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, daterange(start, \"end\", '[)') WITH &&)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for _table, name, _column in CONSTRAINTS:
            for event in SQLITE_EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _column in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("custody", "0002_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
