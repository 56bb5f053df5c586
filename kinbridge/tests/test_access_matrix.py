"""Every URL, every persona: who gets what.

The test walks the URLconf. A URL added without an expectation here fails
the suite, so no page or endpoint can ship without an access decision.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kinbridge.casework.tests.access import CASEWORK_EXPECTATIONS, casework_targets
from kinbridge.programmes.tests.access import PROGRAMME_EXPECTATIONS, programme_targets
from kinbridge.tests.access_rules import (
    ALLOWED,
    LOGIN,
    NO_NAMES,
    PERSONAS,
    REFERENCE_EDITORS,
    TEAM_B_STAFF,
    administrators,
    api,
    api_administrators,
    api_team_b_administrators,
    everyone,
    signed_in,
    team_b_administrators,
)

# name: (method, kwargs key, expectations)
EXPECTATIONS = (
    {
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
        "api:personrole-list": ("get", None, api() | NO_NAMES),
        "api:personrole-detail": ("get", "role", api(404) | TEAM_B_STAFF | NO_NAMES),
        "api:personrole-end": (
            "post",
            "role",
            api(404) | dict.fromkeys(TEAM_B_STAFF, ALLOWED) | NO_NAMES,
        ),
        "api:relationship-list": ("get", None, api() | NO_NAMES),
        "api:relationship-detail": ("get", "relationship", api(404) | TEAM_B_STAFF | NO_NAMES),
        "api:relationship-end": (
            "post",
            "relationship",
            api(404) | dict.fromkeys(TEAM_B_STAFF, ALLOWED) | NO_NAMES,
        ),
        # Administrators only; team B staff see the person but may not share it.
        "api:person-share": ("post", "person", api_team_b_administrators(ALLOWED)),
        "people:share": ("post", "person", team_b_administrators(302)),
        "people:role_add": ("post", "person", signed_in(404) | dict.fromkeys(TEAM_B_STAFF, 302)),
        "people:role_end": ("post", "role_of", signed_in(404) | dict.fromkeys(TEAM_B_STAFF, 302)),
        "people:relationship_end": (
            "post",
            "relationship_of",
            signed_in(404) | dict.fromkeys(TEAM_B_STAFF, 302),
        ),
        "api:consent-list": ("get", None, api() | NO_NAMES),
        # A consent of a team B person: visible exactly when the person is.
        "api:consent-detail": ("get", "consent", api(404) | TEAM_B_STAFF | NO_NAMES),
        "api:consent-evidence": ("get", "consent", api(404) | TEAM_B_STAFF | NO_NAMES),
        "api:consent-withdraw": (
            "post",
            "consent",
            api(404) | dict.fromkeys(TEAM_B_STAFF, ALLOWED) | NO_NAMES,
        ),
        # Empty forms come back with their errors (200); nothing is saved.
        "consents:create": ("post", "person", signed_in(404) | TEAM_B_STAFF),
        "consents:withdraw": ("post", "consent", signed_in(404) | TEAM_B_STAFF),
        "consents:attach_evidence": ("post", "consent", signed_in(404) | TEAM_B_STAFF),
        "consents:evidence": ("get", "consent", signed_in(404) | TEAM_B_STAFF),
        "facilities:list": ("get", None, signed_in()),
        "facilities:create": ("get", None, signed_in(403) | REFERENCE_EDITORS),
        "facilities:detail": ("get", "facility", signed_in()),
        "facilities:edit": ("get", "facility", signed_in(403) | REFERENCE_EDITORS),
        "partners:list": ("get", None, signed_in()),
        "partners:create": ("get", None, signed_in(403) | REFERENCE_EDITORS),
        "partners:detail": ("get", "partner", signed_in()),
        "partners:edit": ("get", "partner", signed_in(403) | REFERENCE_EDITORS),
        "api:facility-list": ("get", None, api()),
        "api:facility-detail": ("get", "facility", api()),
        "api:partner-list": ("get", None, api()),
        "api:partner-detail": ("get", "partner", api()),
        "api:custodyepisode-list": ("get", None, api() | NO_NAMES),
        "api:custodyepisode-transfer": (
            "post",
            "episode",
            api(404) | dict.fromkeys(TEAM_B_STAFF, ALLOWED) | NO_NAMES,
        ),
        "api:custodyepisode-release": (
            "post",
            "episode",
            api(404) | dict.fromkeys(TEAM_B_STAFF, ALLOWED) | NO_NAMES,
        ),
        "api:childresidence-end": (
            "post",
            "stay",
            api(404) | dict.fromkeys(TEAM_B_STAFF, ALLOWED) | NO_NAMES,
        ),
        "api:custodyepisode-detail": ("get", "episode", api(404) | TEAM_B_STAFF | NO_NAMES),
        "api:childresidence-list": ("get", None, api() | NO_NAMES),
        "api:childresidence-detail": ("get", "stay", api(404) | TEAM_B_STAFF | NO_NAMES),
        "api:planning": ("get", None, api() | NO_NAMES),
        "custody:planning": ("get", None, signed_in() | NO_NAMES),
        # Forms of the Custody tab; an empty post shows the tab again with the errors.
        "custody:episode_create": ("post", "person", signed_in(404) | TEAM_B_STAFF),
        "custody:stay_create": ("post", "person", signed_in(404) | TEAM_B_STAFF),
        "custody:episode_update": ("post", "episode", signed_in(404) | TEAM_B_STAFF),
        "custody:episode_transfer": ("post", "episode", signed_in(404) | TEAM_B_STAFF),
        "custody:episode_release": ("post", "episode", signed_in(404) | TEAM_B_STAFF),
        "custody:stay_end": ("post", "stay", signed_in(404) | TEAM_B_STAFF),
        "people:duplicates": ("get", None, administrators() | {"programme_manager": 200}),
        "people:retention": ("get", None, administrators()),
        "people:merge": ("get", "person", team_b_administrators()),
        "people:export": ("get", "person", team_b_administrators()),
        "people:export_json": ("get", "person", team_b_administrators()),
        "people:export_pdf": ("get", "person", team_b_administrators()),
        "people:erase": ("get", "person", team_b_administrators()),
        # Past every access check, an empty body is refused as bad input (400).
        "api:person-check-duplicates": ("post", None, everyone(ALLOWED, anonymous=401) | NO_NAMES),
        "api:person-merge": ("post", "person", api_team_b_administrators(ALLOWED)),
        "api:person-export": ("get", "person", api_team_b_administrators()),
        "api:person-erase": ("post", "person", api_team_b_administrators(ALLOWED)),
        "api:person-retention": ("get", None, api_administrators()),
        "api:schema": ("get", None, api()),
        "api:docs": ("get", None, api()),
    }
    | PROGRAMME_EXPECTATIONS
    | CASEWORK_EXPECTATIONS
)


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
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kinbridge.audit.models import AuditEvent
    from kinbridge.consents.actions import record_consent
    from kinbridge.custody import actions as custody
    from kinbridge.facilities.actions import create_facility
    from kinbridge.partners.actions import create_partner
    from kinbridge.people.actions import add_relationship, create_person

    today = timezone.localdate()
    person = create_person(
        None, teams=[team_b], given_name="Мария", family_name="Иванова", roles=["prisoner"]
    )
    child = create_person(
        None,
        teams=[team_b],
        given_name="Артём",
        roles=["child"],
        birth_date=today - dt.timedelta(days=100),
    )
    link = add_relationship(None, child, person, "mother")
    role = person.roles.get()
    consent = record_consent(
        None,
        person,
        purpose="casework",
        given_by=person,
        given_on=date(2026, 1, 5),
        method="written",
        evidence=SimpleUploadedFile("form.pdf", b"%PDF-1.4 signed form"),
    )
    facility = create_facility(
        None,
        name="IK-15",
        kind="womens_colony",
        region=regions["b"],
        children_capacity=60,
        child_age_limit_months=36,
        rules={},
    )
    partner = create_partner(
        None, name="Правовая опора", region=regions["b"], contacts=[{"name": "Ирина"}]
    )
    episode = custody.record_episode(
        None, person, facility=facility, status="sentenced", start=today - dt.timedelta(days=200)
    )
    stay = custody.place_child(None, child=child, mother=person, start=child.birth_date)
    return (
        {
            "person": {"pk": person.pk},
            "episode": {"pk": episode.pk},
            "stay": {"pk": stay.pk},
            "consent": {"pk": consent.pk},
            "role": {"pk": role.pk},
            "role_of": {"pk": person.pk, "role_pk": role.pk},
            "relationship": {"pk": link.pk},
            "relationship_of": {"pk": person.pk, "link_pk": link.pk},
            "user": {"pk": personas["caseworker_b"].pk},
            "team": {"pk": team_b.pk},
            "region": {"pk": regions["b"].pk},
            "facility": {"pk": facility.pk},
            "partner": {"pk": partner.pk},
            "event": {"pk": AuditEvent.objects.latest("id").pk},
            "reset": {"uidb64": "MQ", "token": "set-password"},
        }
        | programme_targets(
            personas, team_b, facility=facility, person=person, child=child, partner=partner
        )
        | casework_targets(personas, team_b, person=person, child=child, partner=partner)
    )


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
        if method == "post" and url.startswith("/api/"):
            response = client.post(url, {}, content_type="application/json")
        else:
            response = getattr(client, method)(url)
        want = expected[persona]
        if want == ALLOWED:
            ok = response.status_code not in (401, 403, 404)
        elif want == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        else:
            ok = response.status_code == want
        if not ok:
            wrong[persona] = (response.status_code, want)
    assert not wrong, f"{name} {url}: persona -> (got, expected): {wrong}"
