import time

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, make_user
from kinbridge.accounts import actions
from kinbridge.accounts.roles import Role
from kinbridge.audit.models import Action, AuditEvent


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def sign_in(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def set_up_two_factor(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/security/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=page.context["user"].username, confirmed=False)
    response = client.post("/accounts/security/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302
    codes = client.get("/accounts/security/").context["new_codes"]
    return TOTPDevice.objects.get(pk=device.pk), codes


@pytest.mark.django_db
def test_a_role_that_requires_two_factor_is_held_at_set_up(client):
    make_user("ana", Role.CASEWORKER, exempt=False)
    assert sign_in(client, "ana").status_code == 302
    for path in ("/", "/accounts/users/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/security/two-factor/"
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_set_up_then_sign_in_with_a_code(client):
    make_user("ana", Role.CASEWORKER, exempt=False)
    sign_in(client, "ana")
    device, codes = set_up_two_factor(client)
    assert device.confirmed
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR_ENABLED).count() == 1

    other = Client()
    response = sign_in(other, "ana")
    assert response["Location"] == "/accounts/login/code/"
    assert other.get("/").status_code == 302  # not signed in until the code
    wrong = other.post("/accounts/login/code/", {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR_FAILED).count() == 1
    # django-otp throttles after a failure; wait out its back-off.
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.throttling_failure_count = 0
    device.save()
    # The set-up code cannot be replayed: the next one comes 30 seconds later.
    assert other.post("/accounts/login/code/", {"code": code_for(device)}).status_code == 200
    with time_machine.travel(time.time() + 30, tick=False):
        ok = other.post("/accounts/login/code/", {"code": code_for(device)})
    assert ok.status_code == 302
    assert other.get("/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(client):
    make_user("ana", Role.CASEWORKER, exempt=False)
    sign_in(client, "ana")
    _device, codes = set_up_two_factor(client)

    first = Client()
    sign_in(first, "ana")
    assert first.post("/accounts/login/code/", {"code": codes[0]}).status_code == 302
    assert first.get("/").status_code == 200

    second = Client()
    sign_in(second, "ana")
    reused = second.post("/accounts/login/code/", {"code": codes[0]})
    assert reused.status_code == 200
    assert StaticToken.objects.filter(device__user__username="ana").count() == 9


@pytest.mark.django_db
def test_too_many_wrong_codes_send_you_back_to_the_password(client):
    make_user("ana", Role.FACILITATOR, exempt=False)
    user = actions.User.objects.get(username="ana")
    device = actions.pending_totp_device(user)
    actions.confirm_totp_device(user, device)
    sign_in(client, "ana")
    for _ in range(5):
        response = client.post("/accounts/login/code/", {"code": "123456"})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


@pytest.mark.django_db
def test_the_code_step_expires(client, settings):
    make_user("ana", Role.FACILITATOR)
    user = actions.User.objects.get(username="ana")
    actions.confirm_totp_device(user, actions.pending_totp_device(user))
    sign_in(client, "ana")
    session = client.session
    session["kb_pending_2fa"]["at"] = time.time() - 301
    session.save()
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


@pytest.mark.django_db
def test_exemption_counts_only_outside_production(client, settings):
    make_user("demo", Role.ADMINISTRATOR, exempt=True)
    sign_in(client, "demo")
    assert client.get("/").status_code == 200
    settings.TWO_FACTOR_ALLOW_EXEMPTIONS = False
    assert client.get("/")["Location"] == "/accounts/security/two-factor/"


@pytest.mark.django_db
def test_administrator_requires_two_factor_for_a_role(admin_client):
    make_user("fiona", Role.FACILITATOR, exempt=False)
    fiona = Client()
    sign_in(fiona, "fiona")
    assert fiona.get("/").status_code == 200

    data = {"facilitator": "on", "administrator": "on", "caseworker": "on"}
    assert admin_client.post("/accounts/roles/", data).status_code == 302
    assert fiona.get("/")["Location"] == "/accounts/security/two-factor/"
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="accounts.rolepolicy")
    assert event.changes == {"require_two_factor": [False, True]}


@pytest.mark.django_db
def test_administrator_resets_a_lost_phone(admin_client):
    make_user("ana", Role.FACILITATOR)
    user = actions.User.objects.get(username="ana")
    actions.confirm_totp_device(user, actions.pending_totp_device(user))
    response = admin_client.post(f"/accounts/users/{user.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(
        action=Action.TWO_FACTOR_RESET, object_id=str(user.pk)
    ).exists()


@pytest.mark.django_db
def test_turning_off_and_new_codes_need_the_password(client):
    user = make_user("ana", Role.FACILITATOR, exempt=False)
    sign_in(client, "ana")
    set_up_two_factor(client)
    client.post("/accounts/security/recovery-codes/", {"password": "wrong"})
    assert client.get("/accounts/security/").context["new_codes"] is None
    client.post("/accounts/security/recovery-codes/", {"password": PASSWORD})
    assert len(client.get("/accounts/security/").context["new_codes"]) == 10

    client.post("/accounts/security/two-factor/off/", {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    client.post("/accounts/security/two-factor/off/", {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_required_second_factor_cannot_be_turned_off(client):
    user = make_user("ana", Role.CASEWORKER, exempt=False)
    sign_in(client, "ana")
    set_up_two_factor(client)
    client.post("/accounts/security/two-factor/off/", {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.django_db
def test_setup_rejects_a_malformed_code(client):
    make_user("ana", Role.CASEWORKER, exempt=False)
    sign_in(client, "ana")
    client.get("/accounts/security/two-factor/")
    response = client.post("/accounts/security/two-factor/", {"code": "12ab56"})
    assert "Enter the six digits" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
