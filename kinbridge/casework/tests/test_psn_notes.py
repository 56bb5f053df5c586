"""Notes: writing, versions kept on edit, stale edits, and confidential notes that
never reach anyone but the case's own workers and administrators (sentinel)."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import note_actions
from kinbridge.casework.models import Note, NoteVersion
from kinbridge.casework.tests import psn_setup
from kinbridge.casework.tests.psn_setup import login
from kinbridge.casework.views.notes import case_panel

pytestmark = pytest.mark.django_db
case, child, teammate = psn_setup.case, psn_setup.child, psn_setup.teammate
SENTINEL = "SENTINEL-7f3a-confidential"


@pytest.fixture
def secret(personas, case):
    return note_actions.create_note(
        personas["caseworker_b"], case, body=f"Disclosed: {SENTINEL}", confidential=True
    )


@pytest.fixture
def outsiders(personas, teammate):
    """See the case, but do not work on it: the team's manager and another caseworker."""
    return {"programme_manager": personas["programme_manager"], "teammate": teammate}


def panel_html(rf, user, case):
    request = rf.get(f"/casework/cases/{case.pk}/")
    request.user = user
    panel = case_panel(request, case)
    return panel, render_to_string("casework/notes/_panel.html", {"panel": panel}, request)


def test_a_worker_writes_a_note_from_the_panel(personas, case):
    client = login(Client(), personas["caseworker_b"])
    response = client.post(
        reverse("casework:note_add", args=[case.pk]),
        {"body": "Phoned the school.", "next": "/casework/somewhere/"},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.body, note.author, note.confidential) == (
        "Phoned the school.",
        personas["caseworker_b"],
        False,
    )


def test_an_empty_note_is_refused_at_the_field(personas, case):
    client = login(Client(), personas["caseworker_b"])
    response = client.post(reverse("casework:note_add", args=[case.pk]), {"body": "   "})
    assert response.status_code == 400 and response.context["form"].errors["body"]
    response = client.post(
        "/api/v1/notes/", {"case": case.pk, "body": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and "body" in response.json()
    assert not Note.objects.exists()


def test_an_edit_keeps_the_earlier_text_as_a_version(personas, case):
    note = note_actions.create_note(personas["caseworker_b"], case, body="First text")
    client = login(Client(), personas["programme_manager"])
    response = client.post(
        reverse("casework:note_edit", args=[note.pk]), {"body": "Second text", "version": 1}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.body, note.version) == ("Second text", 2)
    version = NoteVersion.objects.get(note=note)
    assert (version.version, version.body, version.edited_by) == (
        1,
        "First text",
        personas["programme_manager"],
    )
    history = client.get(reverse("casework:note_history", args=[note.pk])).content.decode()
    assert history.index("Second text") < history.index("First text")
    api = client.get(f"/api/v1/notes/{note.pk}/versions/").json()
    assert [row["body"] for row in api] == ["First text"]


def test_a_stale_note_edit_keeps_input_and_shows_the_other_text(personas, case):
    note = note_actions.create_note(personas["caseworker_b"], case, body="First text")
    note_actions.update_note(personas["caseworker_b"], note, version=1, body="Their text")
    client = login(Client(), personas["programme_manager"])
    response = client.post(
        reverse("casework:note_edit", args=[note.pk]), {"body": "My text", "version": 1}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Their text" in page and "My text" in page and 'role="alert"' in page
    note.refresh_from_db()
    assert (note.body, NoteVersion.objects.count()) == ("Their text", 1)
    response = client.patch(
        f"/api/v1/notes/{note.pk}/",
        {"version": 1, "body": "My text"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["current"]["body"] == "Their text"
    assert response.json()["differences"][0]["field"] == "body"
    note.refresh_from_db()
    assert note.body == "Their text"


def test_only_the_cases_workers_write_confidential_notes(personas, case, outsiders):
    for user in outsiders.values():
        with pytest.raises(ValidationError):
            note_actions.create_note(user, case, body="x", confidential=True)
        client = login(Client(), user)
        page = client.get(reverse("casework:note_add", args=[case.pk])).content.decode()
        assert 'name="confidential"' not in page
        response = client.post(
            "/api/v1/notes/",
            {"case": case.pk, "body": "x", "confidential": True},
            content_type="application/json",
        )
        assert response.status_code == 400 and "confidential" in response.json()
    assert not Note.objects.exists()
    worker_page = login(Client(), personas["caseworker_b"]).get(
        reverse("casework:note_add", args=[case.pk])
    )
    assert 'name="confidential"' in worker_page.content.decode()


def test_confidential_sentinel_never_reaches_outsiders(personas, case, secret, outsiders, rf):
    ordinary = note_actions.create_note(personas["caseworker_b"], case, body="Ordinary note")
    for name, user in outsiders.items():
        panel, html = panel_html(rf, user, case)
        assert SENTINEL not in html and "Ordinary note" in html, name
        assert panel["count"] == 1 and "Confidential" not in html, name
        client = login(Client(), user)
        pages = [
            client.get(reverse("casework:case_notes", args=[case.pk])),
            client.get(f"/api/v1/notes/?case={case.pk}"),
            client.get("/api/v1/notes/"),
        ]
        for response in pages:
            assert response.status_code == 200
            assert SENTINEL not in response.content.decode(), (name, response.request)
        assert client.get(f"/api/v1/notes/?case={case.pk}").json()["results"][0]["id"] == (
            ordinary.pk
        )
        for url in (
            reverse("casework:note_edit", args=[secret.pk]),
            reverse("casework:note_history", args=[secret.pk]),
            f"/api/v1/notes/{secret.pk}/",
            f"/api/v1/notes/{secret.pk}/versions/",
        ):
            response = client.get(url)
            assert response.status_code == 404, (name, url)
            assert SENTINEL not in response.content.decode()
        assert (
            client.patch(
                f"/api/v1/notes/{secret.pk}/",
                {"version": 1, "body": "overwritten"},
                content_type="application/json",
            ).status_code
            == 404
        )
    secret.refresh_from_db()
    assert SENTINEL in secret.body


def test_an_earlier_confidential_text_stays_hidden_in_the_history(
    personas, case, outsiders, secret
):
    note_actions.update_note(
        personas["caseworker_b"], secret, version=1, body="Now shareable", confidential=False
    )
    for user in outsiders.values():
        client = login(Client(), user)
        history = client.get(reverse("casework:note_history", args=[secret.pk]))
        assert history.status_code == 200 and "Now shareable" in history.content.decode()
        assert SENTINEL not in history.content.decode()
        assert client.get(f"/api/v1/notes/{secret.pk}/versions/").json() == []
    worker = login(Client(), personas["caseworker_b"])
    assert SENTINEL in worker.get(f"/api/v1/notes/{secret.pk}/versions/").content.decode()


def test_the_cases_workers_and_administrators_read_it_audited(personas, case, secret, rf):
    reads = AuditEvent.objects.filter(
        action="read", object_type="casework.note", object_id=str(secret.pk)
    )
    for user in (personas["caseworker_b"], personas["administrator"]):
        before = reads.filter(actor=user).count()
        _panel, html = panel_html(rf, user, case)
        assert SENTINEL in html
        client = login(Client(), user)
        assert SENTINEL in client.get(f"/api/v1/notes/{secret.pk}/").content.decode()
        assert SENTINEL in client.get(f"/api/v1/notes/?case={case.pk}").content.decode()
        assert reads.filter(actor=user).count() - before == 3
    worker = login(Client(), personas["caseworker_b"])
    worker.post(
        reverse("casework:note_edit", args=[secret.pk]),
        {"body": "Rewritten", "confidential": "on", "version": 1},
    )
    worker.get(reverse("casework:note_history", args=[secret.pk]))
    assert AuditEvent.objects.filter(
        action="read", object_type="casework.noteversion", actor=personas["caseworker_b"]
    ).exists()


def test_the_note_text_never_enters_the_audit_trail_nor_the_logs(personas, case, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(Client(), personas["caseworker_b"])
    client.post(
        reverse("casework:note_add", args=[case.pk]),
        {"body": f"First {SENTINEL}", "confidential": "on"},
    )
    note = Note.objects.get()
    client.patch(
        f"/api/v1/notes/{note.pk}/",
        {"version": 1, "body": f"Second {SENTINEL}"},
        content_type="application/json",
    )
    client.get(reverse("casework:note_history", args=[note.pk]))
    trail = json.dumps(list(AuditEvent.objects.values("changes", "extra", "object_repr")))
    assert SENTINEL not in trail and "body" in trail
    assert SENTINEL not in caplog.text


def test_the_subject_access_export_holds_no_note_text(personas, case, secret, admin_client):
    """The export gathers every record pointing at the person (services, the case…):
    notes belong to the case, not to a person, and their text is never in the audit
    events it includes. Only administrators may export at all."""
    export = admin_client.get(reverse("people:export_json", args=[case.client_id]))
    assert export.status_code == 200 and case.reference in export.content.decode()
    assert SENTINEL not in export.content.decode()
    for user in ("programme_manager", "caseworker_b"):
        client = login(Client(), personas[user])
        assert client.get(reverse("people:export_json", args=[case.client_id])).status_code in (
            403,
            404,
        )


def test_panel_pages_and_api_run_constant_queries(
    personas, case, secret, rf, assert_constant_queries
):
    def grow():
        for number in range(3):
            note_actions.create_note(
                personas["caseworker_b"], case, body=f"Note {number}", confidential=number == 0
            )

    for user in (personas["caseworker_b"], personas["programme_manager"]):
        assert_constant_queries(lambda user=user: panel_html(rf, user, case), grow)
        client = login(Client(), user)
        for url in (reverse("casework:case_notes", args=[case.pk]), "/api/v1/notes/"):
            assert_constant_queries(lambda url=url, client=client: client.get(url), grow)
