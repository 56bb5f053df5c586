from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kinbridge.accounts.models import User
from kinbridge.audit.models import Action, AuditEvent


def run(*args, **kwargs):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_create_admin_without_prompts(monkeypatch):
    monkeypatch.setenv("KINBRIDGE_ADMIN_PASSWORD", "a long admin passphrase")
    out, _ = run("create_admin", "--username", "ana", "--email", "ana@example.org", "--no-input")
    assert "Administrator ana created." in out
    user = User.objects.get(username="ana")
    assert user.has_role("administrator")
    assert user.check_password("a long admin passphrase")
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(user.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--username", "ana", "--email", "nope"],
            "a long admin passphrase",
            "is not an e-mail address",
        ),
        (["--username", "ana", "--email", "ana@example.org"], "short", "at least 12 characters"),
        (
            ["--email", "ana@example.org"],
            "a long admin passphrase",
            "--username and --email are required",
        ),
    ],
)
def test_create_admin_refuses_bad_input(monkeypatch, args, password, message):
    monkeypatch.setenv("KINBRIDGE_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        run("create_admin", *args, "--no-input")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_create_admin_interactively(monkeypatch):
    answers = iter(["ana", "ana@example.org"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a long admin passphrase")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.delenv("KINBRIDGE_ADMIN_PASSWORD", raising=False)
    run("create_admin")
    assert User.objects.get(username="ana").has_role("administrator")
    with pytest.raises(CommandError, match="already exists"):
        answers = iter(["ANA", "other@example.org"])
        run("create_admin")


@pytest.mark.django_db
def test_api_token_lifecycle(personas):
    token, err = run("api_token", "create", "analyst", "--days", "30")
    assert token.strip().startswith("kb_")
    assert "It is not shown again" in err
    listing, _ = run("api_token", "list", "analyst")
    key = listing.split("\t")[0]
    assert token.strip().startswith(key)
    assert token.strip() not in listing
    out, _ = run("api_token", "revoke", "analyst", "--token", key)
    assert "Revoked 1 token(s)." in out
    with pytest.raises(CommandError, match="no such token"):
        run("api_token", "revoke", "analyst", "--token", key)
    with pytest.raises(CommandError, match="no user named"):
        run("api_token", "create", "ghost")


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    out, _ = run("load_demo")
    assert "admin" in out and "kinbridge-demo-2026" in out
    counts = (User.objects.count(), AuditEvent.objects.count())
    run("load_demo")
    assert (User.objects.count(), AuditEvent.objects.count()) == counts
    assert User.objects.get(username="caseworker2").teams.get().name == "Mothers in colonies"
    assert set(User.objects.values_list("two_factor_exempt", flat=True)) == {True}
