import pytest
from django.urls import reverse

from conftest import make_user
from kinbridge.accounts.models import Region, Team, User
from kinbridge.accounts.roles import Role
from kinbridge.audit.models import Action, AuditEvent

NEW_USER = {
    "username": "jonas",
    "first_name": "Jonas",
    "last_name": "Petraitis",
    "email": "jonas@example.org",
    "language": "lt",
    "roles": ["caseworker"],
}


@pytest.mark.django_db
def test_administrator_creates_a_user_who_gets_a_password_link(admin_client, team_a, mailoutbox):
    response = admin_client.post(
        reverse("accounts:user_create"), {**NEW_USER, "teams": [team_a.pk]}
    )
    assert response.status_code == 302
    user = User.objects.get(username="jonas")
    assert user.role_codes == {"caseworker"}
    assert user.team_ids == {team_a.pk}
    assert not user.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body
    event = AuditEvent.objects.get(
        action=Action.CREATE, object_type="accounts.user", object_id=str(user.pk)
    )
    assert event.actor.username == "admin"
    assert event.changes["roles"] == [None, ["caseworker"]]
    assert event.changes["password"] == [None, "•••"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "ADMIN"}, "username", "This username is taken."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": "CASEWORKER@example.org"}, "email", "Another user already has this e-mail"),
        ({"username": "x" * 151}, "username", "at most 150 characters"),
        ({"username": "bad name!"}, "username", "Enter a valid username"),
        ({"roles": ["emperor"]}, "roles", "Select a valid choice"),
        ({"language": "xx"}, "language", "Select a valid choice"),
    ],
)
def test_bad_user_input_is_refused_at_the_field(admin_client, changes, field, message):
    before = User.objects.count()
    events = AuditEvent.objects.count()
    response = admin_client.post(reverse("accounts:user_create"), {**NEW_USER, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert User.objects.count() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_editing_a_user_records_old_and_new_values(admin_client, personas, team_b):
    user = personas["caseworker"]
    data = {
        **NEW_USER,
        "username": "caseworker",
        "email": "caseworker@example.org",
        "is_active": "on",
        "roles": ["caseworker", "facilitator"],
        "teams": [team_b.pk],
        "first_name": "Rūta",
    }
    response = admin_client.post(reverse("accounts:user_edit", args=[user.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(user.pk)).latest("id")
    assert event.changes["first_name"] == ["Caseworker", "Rūta"]
    assert event.changes["roles"] == [["caseworker"], ["caseworker", "facilitator"]]
    assert event.changes["language"] == ["en", "lt"]
    assert "password" not in event.changes


@pytest.mark.django_db
def test_administrator_cannot_lock_themselves_out(admin_client, admin_user):
    data = {
        "username": "admin",
        "email": "admin@example.org",
        "language": "en",
        "roles": ["administrator"],
    }
    response = admin_client.post(reverse("accounts:user_edit", args=[admin_user.pk]), data)
    assert "You cannot deactivate your own account." in response.content.decode()
    data["is_active"] = "on"
    data["roles"] = ["analyst"]
    response = admin_client.post(reverse("accounts:user_edit", args=[admin_user.pk]), data)
    assert "You cannot remove your own administrator role." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.has_role(Role.ADMINISTRATOR)


@pytest.mark.django_db
def test_user_list_filters(admin_client, personas, team_a):
    page = admin_client.get(reverse("accounts:user_list"), {"role": "caseworker"})
    names = [user.username for user in page.context["page"]]
    assert names == ["caseworker", "caseworker_b"]
    page = admin_client.get(reverse("accounts:user_list"), {"team": team_a.pk, "q": "case"})
    assert [user.username for user in page.context["page"]] == ["caseworker"]


@pytest.mark.django_db
def test_teams_and_regions(admin_client, regions, personas):
    response = admin_client.post(
        reverse("accounts:team_create"),
        {
            "name": "Kaunas outreach",
            "region": regions["a"].pk,
            "members": [personas["volunteer"].pk],
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Kaunas outreach")
    assert list(team.members.values_list("username", flat=True)) == ["volunteer"]
    duplicate = admin_client.post(
        reverse("accounts:team_create"), {"name": "kaunas OUTREACH", "region": regions["a"].pk}
    )
    assert "A team with this name already exists." in duplicate.content.decode()

    bad = admin_client.post(
        reverse("accounts:region_list"), {"name": "Kaunas County", "country": "L1"}
    )
    assert "two-letter country code" in bad.content.decode()
    assert not Region.objects.filter(name="Kaunas County").exists()
    good = admin_client.post(
        reverse("accounts:region_list"), {"name": "Kaunas County", "country": "lt"}
    )
    assert good.status_code == 302
    assert Region.objects.get(name="Kaunas County").country == "LT"
    again = admin_client.post(
        reverse("accounts:region_list"), {"name": "kaunas county", "country": "LT"}
    )
    assert "already has a region with this name" in again.content.decode()
    assert (
        AuditEvent.objects.filter(action=Action.CREATE, object_type="accounts.region").count() == 3
    )


@pytest.mark.django_db
def test_user_and_team_pages_hide_other_records_with_404(client, personas, team_b):
    client.force_login(personas["caseworker"])
    # Not an administrator: the administration pages are refused outright.
    assert (
        client.get(reverse("accounts:user_detail", args=[personas["caseworker_b"].pk])).status_code
        == 403
    )
    assert client.get(reverse("accounts:team_edit", args=[team_b.pk])).status_code == 403


@pytest.mark.django_db
def test_users_list_and_teams_list_queries_stay_constant(
    admin_client, team_a, assert_constant_queries
):
    def grow():
        for number in range(15):
            make_user(f"extra{number}", Role.VOLUNTEER, [team_a])

    assert_constant_queries(lambda: admin_client.get(reverse("accounts:user_list")), grow)
    assert_constant_queries(
        lambda: admin_client.get(reverse("accounts:team_list")),
        lambda: [Team.objects.create(name=f"T{n}", region=team_a.region) for n in range(10)],
    )


@pytest.mark.django_db
def test_user_is_kept_and_told_when_the_email_cannot_be_sent(admin_client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("kinbridge.accounts.actions.send_mail", refuse)
    response = admin_client.post(reverse("accounts:user_create"), NEW_USER, follow=True)
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert User.objects.filter(username="jonas").exists()
