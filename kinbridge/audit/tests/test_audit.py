import csv
import io
import itertools

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from conftest import make_user
from kinbridge.accounts import actions
from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_read
from kinbridge.audit.models import Action, AppendOnlyError, AuditEvent


@pytest.mark.django_db
def test_events_carry_actor_address_and_request_id(admin_client, regions):
    admin_client.post(
        reverse("accounts:region_list"),
        {"name": "Kaunas County", "country": "LT"},
        REMOTE_ADDR="192.0.2.10",
    )
    event = AuditEvent.objects.get(
        action=Action.CREATE, object_type="accounts.region", object_repr__startswith="Kaunas"
    )
    assert event.actor.username == "admin"
    assert event.ip == "192.0.2.10"
    assert len(event.request_id) == 32
    assert event.at.tzinfo is not None
    assert event.changes == {"name": [None, "Kaunas County"], "country": [None, "LT"]}


@pytest.mark.django_db
def test_forwarded_address_is_trusted_only_from_our_proxies(admin_client, settings, regions):
    settings.TRUSTED_PROXY_COUNT = 1
    admin_client.post(
        reverse("accounts:region_list"),
        {"name": "Alytus County", "country": "LT"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    event = AuditEvent.objects.filter(object_type="accounts.region").latest("id")
    assert event.ip == "198.51.100.7"  # the address our one proxy saw, not a forged first hop


@pytest.mark.django_db
def test_update_records_only_changed_fields_and_never_passwords(admin_user, team_a):
    user = make_user("ana", Role.FACILITATOR)
    user.set_password("a completely new password")
    actions.update_user(admin_user, user, first_name="Anna", password=user.password)
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(user.pk)).latest("id")
    assert event.changes["first_name"] == ["Ana", "Anna"]
    assert event.changes["password"] == ["•••", "•••"]
    assert user.password not in str(event.changes)
    before = AuditEvent.objects.count()
    actions.update_user(admin_user, user, first_name="Anna")  # no change, no event
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_reads_of_sensitive_records_are_logged(admin_user):
    user = make_user("ana", Role.FACILITATOR)
    record_read(admin_user, user, reason="support")
    event = AuditEvent.objects.get(action=Action.READ)
    assert (event.actor, event.object_id, event.extra) == (
        admin_user,
        str(user.pk),
        {"reason": "support"},
    )


@pytest.mark.django_db
def test_the_trail_is_append_only_in_the_app_and_the_database(admin_user):
    event = AuditEvent.objects.latest("id")
    event.action = Action.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="login")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'login' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.CREATE


@pytest.mark.django_db
def test_permission_denied_is_logged(client, personas):
    client.force_login(personas["volunteer"])
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get("/api/v1/audit-events/").status_code == 403
    events = AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, actor=personas["volunteer"])
    assert sorted(events.values_list("extra__path", flat=True)) == [
        "/accounts/users/",
        "/api/v1/audit-events/",
    ]


@pytest.mark.django_db
def test_administrator_filters_the_trail(admin_client, personas):
    volunteer = personas["volunteer"]
    page = admin_client.get(
        reverse("audit:event_list"),
        {"action": "create", "object_type": "accounts.user", "object_id": volunteer.pk},
    )
    events = page.context["events"]
    assert [event.object_id for event in events] == [str(volunteer.pk)]
    bad = admin_client.get(
        reverse("audit:event_list"), {"date_from": "2026-02-02", "date_to": "2026-01-01"}
    )
    assert "The end date is before the start date." in bad.content.decode()
    assert list(bad.context["events"]) == []


@pytest.mark.django_db
def test_keyset_pages_walk_the_whole_trail(admin_client, admin_user):
    for number in range(120):
        actions.create_region(admin_user, name=f"R{number}", country="LT")
    seen, url = [], reverse("audit:event_list") + "?action=create&object_type=accounts.region"
    while url:
        page = admin_client.get(url)
        seen += [event.pk for event in page.context["events"]]
        older = page.context["older"]
        url = (
            f"{reverse('audit:event_list')}?action=create&object_type=accounts.region&before={older}"
            if older
            else None
        )
    expected = list(
        AuditEvent.objects.filter(action="create", object_type="accounts.region")
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    assert seen == expected


@pytest.mark.django_db
def test_csv_export_is_audited_and_neutralises_formulas(admin_client, admin_user):
    actions.create_region(admin_user, name='=HYPERLINK("http://x")', country="LT")
    response = admin_client.get(reverse("audit:event_export"), {"object_type": "accounts.region"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "time_utc", "actor", "action"]
    assert any(row[6].startswith("'=HYPERLINK") for row in rows[1:])
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=admin_user).exists()


@pytest.mark.django_db
def test_audit_list_and_export_queries_stay_constant(
    admin_client, admin_user, assert_constant_queries
):
    numbers = itertools.count()

    def grow():
        for _ in range(30):
            actions.create_region(admin_user, name=f"Q{next(numbers)}", country="LT")

    assert_constant_queries(lambda: admin_client.get(reverse("audit:event_list")), grow)
    assert_constant_queries(
        lambda: b"".join(admin_client.get(reverse("audit:event_export")).streaming_content), grow
    )
