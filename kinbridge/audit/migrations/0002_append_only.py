"""Audit events are append-only, enforced by the database as well as the app.

UPDATE is refused on both databases. DELETE is refused on PostgreSQL; on
SQLite a DELETE trigger would also block the test runner's table flush, so
there the application-level guard (AuditEvent.delete, the queryset) holds.
TRUNCATE (used only by the test runner and a deliberate operator) is not a row
trigger event.
"""

from django.db import migrations

from kinbridge.accounts.roles import Role, grant

SQLITE_UP = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_update;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


def grant_administrators(apps, schema_editor):
    grant(apps, {Role.ADMINISTRATOR.value: ["audit.view_auditevent", "audit.export_auditevent"]})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("accounts", "0002_roles")]

    operations = [
        migrations.RunPython(up, down),
        migrations.RunPython(grant_administrators, migrations.RunPython.noop),
    ]
