from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client

from conftest import make_user
from kinbridge.accounts.roles import Role


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    with mock.patch("kinbridge.front.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_language_switch_is_remembered_on_the_account(client):
    user = make_user("ana", Role.FACILITATOR)
    client.force_login(user)
    response = client.post("/i18n/language/", {"language": "lt", "next": "/"})
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.language == "lt"
    page = client.get("/")
    assert page["Content-Language"] == "lt"
    assert "Sveiki" in page.content.decode()
    # Another device, no cookie: the account's language follows.
    other = Client()
    other.force_login(user)
    assert other.get("/")["Content-Language"] == "lt"


@pytest.mark.django_db
def test_unknown_language_falls_back_to_english_and_offsite_next_is_ignored(client):
    response = client.post("/i18n/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/accounts/login/")["Content-Language"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "word"), [("ru", "Войти"), ("lt", "Prisijungti"), ("en", "Sign in")]
)
def test_login_page_in_each_language(client, code, word):
    client.post("/i18n/language/", {"language": code})
    assert word in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_missing_csrf_token_gets_a_friendly_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.django_db
def test_security_headers(client, admin_client):
    response = admin_client.get("/")
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_every_asset_is_local(admin_client):
    html = admin_client.get("/").content.decode()
    for marker in ("http://", "https://", "//cdn", "fonts.googleapis"):
        assert f'src="{marker}' not in html and f'href="{marker}' not in html


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(admin_client):
    response = admin_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is no such page" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("administrator", ["Users", "Teams", "Audit trail"], []),
        ("caseworker", ["My caseload"], ["Audit trail", "/accounts/users/"]),
        ("volunteer", ["My assignments"], ["Audit trail", "My caseload"]),
        ("analyst", ["Dashboards", "Exports"], ["Audit trail"]),
    ],
)
def test_dashboard_and_navigation_by_role(client, personas, persona, expected, absent):
    client.force_login(personas[persona])
    html = client.get("/").content.decode()
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html
