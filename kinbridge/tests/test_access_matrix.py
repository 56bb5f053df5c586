"""Every URL, every persona: who gets what.

The test walks the URLconf. A URL added without an expectation here fails
the suite, so no page or endpoint can ship without an access decision.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = [
    "anonymous",
    "administrator",
    "programme_manager",
    "caseworker",
    "caseworker_b",
    "facilitator",
    "volunteer_coordinator",
    "volunteer",
    "analyst",
]
ROLES = PERSONAS[1:]
LOGIN = "login"  # a redirect to the sign-in page


def everyone(status, anonymous=None):
    return dict.fromkeys(ROLES, status) | {"anonymous": anonymous or status}


def signed_in(status=200):
    return everyone(status, anonymous=LOGIN)


def administrators(status=200, others=403):
    return dict.fromkeys(ROLES, others) | {"administrator": status, "anonymous": LOGIN}


def api(status=200):
    return everyone(status, anonymous=401)


def api_administrators(status=200):
    return dict.fromkeys(ROLES, 403) | {"administrator": status, "anonymous": 401}


TEAM_B_STAFF = dict.fromkeys(
    ["administrator", "programme_manager", "caseworker_b", "facilitator"], 200
)
NO_NAMES = {"volunteer": 403, "analyst": 403}
# A person of team B and an administrators-only action: team B staff see the person
# but may not act (403); everyone else gets 404, as if the person did not exist.
TEAM_B_NOT_ADMIN = dict.fromkeys(["programme_manager", "caseworker_b", "facilitator"], 403)


def team_b_administrators(status=200):
    return signed_in(404) | TEAM_B_NOT_ADMIN | {"administrator": status}


def api_team_b_administrators(status=200):
    return api(404) | TEAM_B_NOT_ADMIN | NO_NAMES | {"administrator": status}


# name: (method, kwargs key, expectations)
EXPECTATIONS = {
    "front:dashboard": ("get", None, signed_in()),
    "front:healthz": ("get", None, everyone(200)),
    "front:set_language": ("post", None, everyone(302)),
    "accounts:login": ("get", None, everyone(302, anonymous=200)),
    "accounts:login_code": ("get", None, everyone(302)),
    "accounts:logout": ("post", None, everyone(200)),
    "accounts:password_change": ("get", None, signed_in()),
    "accounts:password_reset": ("get", None, everyone(200)),
    "accounts:password_reset_done": ("get", None, everyone(200)),
    "accounts:password_reset_confirm": ("get", "reset", everyone(200)),
    "accounts:security": ("get", None, signed_in()),
    "accounts:two_factor_setup": ("get", None, signed_in()),
    "accounts:two_factor_disable": ("post", None, signed_in(302)),
    "accounts:recovery_codes": ("post", None, signed_in(302)),
    "accounts:end_other_sessions": ("post", None, signed_in(302)),
    "accounts:revoke_token": ("post", None, signed_in(302)),
    "accounts:user_list": ("get", None, administrators()),
    "accounts:user_create": ("get", None, administrators()),
    "accounts:user_detail": ("get", "user", administrators()),
    "accounts:user_edit": ("get", "user", administrators()),
    "accounts:user_unlock": ("post", "user", administrators(302)),
    "accounts:user_reset_two_factor": ("post", "user", administrators(302)),
    "accounts:user_password_link": ("post", "user", administrators(302)),
    "accounts:lockout_list": ("get", None, administrators()),
    "accounts:team_list": ("get", None, administrators()),
    "accounts:team_create": ("get", None, administrators()),
    "accounts:team_edit": ("get", "team", administrators()),
    "accounts:region_list": ("get", None, administrators()),
    "accounts:region_edit": ("get", "region", administrators()),
    "accounts:role_list": ("get", None, administrators()),
    "audit:event_list": ("get", None, administrators()),
    "audit:event_export": ("get", None, administrators()),
    "api:me": ("get", None, api()),
    "api:team-list": ("get", None, api()),
    # Team B: only its members and administrators see it; others get 404.
    "api:team-detail": (
        "get",
        "team",
        api(404)
        | {
            "administrator": 200,
            "programme_manager": 200,
            "caseworker_b": 200,
            "facilitator": 200,
            "analyst": 200,
        },
    ),
    "api:user-list": ("get", None, api_administrators()),
    "api:user-detail": ("get", "user", api_administrators()),
    "api:auditevent-list": ("get", None, api_administrators()),
    "api:auditevent-detail": ("get", "event", api_administrators()),
    "api:person-list": ("get", None, api() | {"volunteer": 403, "analyst": 403}),
    # A person of team B: other teams get 404; roles that see no names get 403.
    "api:person-detail": ("get", "person", api(404) | TEAM_B_STAFF | NO_NAMES),
    "people:list": ("get", None, signed_in() | NO_NAMES),
    "people:create": ("get", None, signed_in() | NO_NAMES),
    "people:detail": ("get", "person", signed_in(404) | TEAM_B_STAFF),
    "people:edit": ("get", "person", signed_in(404) | TEAM_B_STAFF),
    "people:relationship_add": (
        "post",
        "person",
        signed_in(404) | dict.fromkeys(TEAM_B_STAFF, 302),
    ),
    "people:duplicates": ("get", None, administrators() | {"programme_manager": 200}),
    "people:retention": ("get", None, administrators()),
    "people:merge": ("get", "person", team_b_administrators()),
    "people:export": ("get", "person", team_b_administrators()),
    "people:export_json": ("get", "person", team_b_administrators()),
    "people:export_pdf": ("get", "person", team_b_administrators()),
    "people:erase": ("get", "person", team_b_administrators()),
    # The API reads JSON only; the matrix posts a form, so 415 means "past every access check".
    "api:person-check-duplicates": ("post", None, api(415) | NO_NAMES),
    "api:person-merge": ("post", "person", api_team_b_administrators(415)),
    "api:person-export": ("get", "person", api_team_b_administrators()),
    "api:person-erase": ("post", "person", api_team_b_administrators(415)),
    "api:person-retention": ("get", None, api_administrators()),
    "api:schema": ("get", None, api()),
    "api:docs": ("get", None, api()),
}


def url_names(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                raise AssertionError(f"unnamed URL pattern {pattern.pattern}: name it")
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_an_access_expectation():
    names = url_names()
    missing = sorted(names - set(EXPECTATIONS))
    stale = sorted(set(EXPECTATIONS) - names)
    assert not missing, f"URLs without an access expectation: {missing}"
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


@pytest.fixture
def targets(personas, team_b, regions):
    from kinbridge.audit.models import AuditEvent
    from kinbridge.people.actions import create_person

    person = create_person(None, teams=[team_b], given_name="Мария", family_name="Иванова")
    return {
        "person": {"pk": person.pk},
        "user": {"pk": personas["caseworker_b"].pk},
        "team": {"pk": team_b.pk},
        "region": {"pk": regions["b"].pk},
        "event": {"pk": AuditEvent.objects.latest("id").pk},
        "reset": {"uidb64": "MQ", "token": "set-password"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_access(name, personas, targets):
    method, target, expected = EXPECTATIONS[name]
    url = reverse(name, kwargs=targets[target] if target else None)
    wrong = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(personas[persona])
        response = getattr(client, method)(url)
        want = expected[persona]
        if want == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        else:
            ok = response.status_code == want
        if not ok:
            wrong[persona] = (response.status_code, want)
    assert not wrong, f"{name} {url}: persona -> (got, expected): {wrong}"
