from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from conftest import PASSWORD, make_user
from kinbridge.accounts.roles import Role
from kinbridge.audit.models import Action, AuditEvent

START = "2026-11-23 09:00:00+00:00"


def sign_in(client, username="ana", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_idle_timeout_ends_the_session(client, settings):
    make_user("ana", Role.FACILITATOR)
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=29))  # activity resets the idle clock
        assert client.get("/").status_code == 200
        clock.shift(settings.SESSION_IDLE_TIMEOUT + timedelta(seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        login = client.get(response["Location"])
        assert "Your session ended" in login.content.decode()
    assert AuditEvent.objects.filter(action=Action.SESSION_EXPIRED).count() == 1


@pytest.mark.django_db
def test_absolute_lifetime_ends_even_an_active_session(client, settings):
    make_user("ana", Role.FACILITATOR)
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        for _ in range(int(settings.SESSION_ABSOLUTE_TIMEOUT / timedelta(minutes=20))):
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=1))
        assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_sign_out_my_other_sessions(client):
    make_user("ana", Role.FACILITATOR)
    phone = Client()
    sign_in(client)
    sign_in(phone)
    assert phone.get("/").status_code == 200
    response = client.post("/accounts/security/sessions/end-others/")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.SESSIONS_ENDED).count() == 1


@pytest.mark.django_db
def test_password_change_signs_out_other_sessions(client):
    make_user("ana", Role.FACILITATOR)
    phone = Client()
    sign_in(client)
    sign_in(phone)
    new = "another long passphrase here"
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert client.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED).count() == 1


@pytest.mark.django_db
def test_a_session_cookie_replayed_after_logout_is_refused(client, settings):
    make_user("ana", Role.FACILITATOR)
    sign_in(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get("/").status_code == 302


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_sessions(client, admin_client):
    user = make_user("ana", Role.FACILITATOR)
    ana = Client()
    sign_in(ana)
    assert ana.get("/").status_code == 200
    admin_client.post(
        f"/accounts/users/{user.pk}/edit/",
        {
            "username": "ana",
            "email": "ana@example.org",
            "language": "en",
            "roles": ["facilitator"],
        },
    )
    assert ana.get("/").status_code == 302
