import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_user
from kinbridge.accounts import actions
from kinbridge.accounts.roles import Role
from kinbridge.audit.models import Action, AuditEvent

LOGIN = "/accounts/login/"


def post_login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_login_rotates_the_session_and_lands_on_the_dashboard(client):
    make_user("rasa", Role.FACILITATOR)
    client.get(LOGIN)
    anonymous_key = client.session.session_key
    response = post_login(client, "rasa")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session.session_key != anonymous_key
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor__username="rasa").count() == 1


@pytest.mark.django_db
def test_wrong_password_gets_a_generic_message_and_is_audited(client):
    make_user("rasa", Role.FACILITATOR)
    for username in ("rasa", "nobody-here"):
        response = post_login(client, username, "wrong password!!")
        assert response.status_code == 200
        assert "The username or password is not right" in response.content.decode()
    events = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("id")
    assert [event.object_repr for event in events] == ["rasa", "(unknown account)"]
    # A mistyped username (possibly a password) is never written to the trail.
    assert not AuditEvent.objects.filter(extra__icontains="nobody-here").exists()
    assert "nobody-here" not in str(list(events.values()))


@pytest.mark.django_db
def test_inactive_account_cannot_sign_in_and_gets_the_same_message(client):
    user = make_user("rasa", Role.FACILITATOR)
    user.is_active = False
    user.save()
    response = post_login(client, "rasa")
    assert "The username or password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_after_repeated_failures_even_with_the_right_password(client, settings):
    make_user("rasa", Role.FACILITATOR)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, "rasa", "wrong password!!").status_code == 200
    locked = post_login(client, "rasa", "wrong password!!")
    assert locked.status_code == 429
    assert "Sign-in is paused" in locked.content.decode()
    again = post_login(client, "rasa")  # the right password
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT).exists()


@pytest.mark.django_db
def test_lockout_by_address_covers_other_usernames(client, settings):
    make_user("rasa", Role.FACILITATOR)
    for number in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, f"guess{number}", "wrong password!!")
    response = post_login(client, "rasa")
    assert response.status_code == 429
    # From another address the same user can sign in.
    response = post_login(client, "rasa", REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302


@pytest.mark.django_db
def test_administrator_unlocks_a_locked_account(admin_client, settings):
    client = Client()
    make_user("rasa", Role.FACILITATOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "rasa", "wrong password!!", REMOTE_ADDR="10.0.0.5")
    assert post_login(client, "rasa", REMOTE_ADDR="10.0.0.5").status_code == 429

    lockouts = admin_client.get(reverse("accounts:lockout_list"))
    assert "rasa" in lockouts.content.decode()
    user_id = actions.User.objects.get(username="rasa").pk
    detail = admin_client.get(reverse("accounts:user_detail", args=[user_id]))
    assert "Locked out" in detail.content.decode()
    admin_client.post(reverse("accounts:user_unlock", args=[user_id]))
    admin_client.post(reverse("accounts:lockout_list"), {"ip_address": "10.0.0.5"})

    assert post_login(client, "rasa", REMOTE_ADDR="10.0.0.5").status_code == 302
    assert AuditEvent.objects.filter(action=Action.UNLOCKED, actor__username="admin").exists()


@pytest.mark.django_db
def test_login_refuses_an_offsite_next_url(client):
    make_user("rasa", Role.FACILITATOR)
    response = client.post(
        LOGIN, {"username": "rasa", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_overlong_login_fields_are_refused_at_the_field(client):
    response = post_login(client, "x" * 5000, "y" * 5000)
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_post_only_and_audited(client):
    user = make_user("rasa", Role.FACILITATOR)
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=user).exists()


@pytest.mark.django_db
def test_password_reset_by_email(client, mailoutbox):
    make_user("rasa", Role.FACILITATOR)
    client.post("/accounts/password/reset/", {"email": "rasa@example.org"})
    client.post("/accounts/password/reset/", {"email": "stranger@example.org"})
    assert len(mailoutbox) == 1
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/" in line
    )
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "a brand new long passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert post_login(client, "rasa", new_password).status_code == 302
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "too common"),
    ],
)
def test_password_rules(client, password, error):
    user = make_user("rasa", Role.FACILITATOR)
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_long_passphrase_without_composition_rules_is_accepted(client, production_hashers):
    user = make_user("rasa", Role.FACILITATOR)
    client.force_login(user)
    passphrase = "all lower case words are fine here " * 2
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": passphrase, "new_password2": passphrase},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(passphrase)
    assert user.password.startswith("argon2")
