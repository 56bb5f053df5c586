"""Persona fixtures shared by every test module (after healthchecks' hc/test.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from huey.contrib.djhuey import HUEY

from kinbridge.accounts import actions
from kinbridge.accounts.roles import Role

PASSWORD = "correct horse battery staple"

# Background tasks run at once, in the test's own process and transaction: the code
# queues them exactly as in production (huey), no worker is needed.
HUEY.immediate = True


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, _media_root):
    settings.LANGUAGE_CODE = "en"
    # Uploads go to a temporary folder, never to var/media.
    settings.MEDIA_ROOT = _media_root
    # Argon2 costs ~0.1 s a hash by design; tests that check hashing restore it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def production_hashers(settings):
    from kinbridge import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


@pytest.fixture
def regions(db):
    return {
        "a": actions.create_region(None, name="Vilnius County", country="LT"),
        "b": actions.create_region(None, name="Samara Region", country="RU"),
    }


@pytest.fixture
def team_a(regions):
    return actions.create_team(None, name="Team A", region=regions["a"])


@pytest.fixture
def team_b(regions):
    return actions.create_team(None, name="Team B", region=regions["b"])


def make_user(username, role=None, teams=(), *, exempt=True, language="en", **extra):
    return actions.create_user(
        None,
        username=username,
        email=f"{username}@example.org",
        first_name=username.title(),
        roles=[role] if role else [],
        teams=list(teams),
        password=PASSWORD,
        two_factor_exempt=exempt,
        language=language,
        **extra,
    )


@pytest.fixture
def personas(team_a, team_b):
    """One account per role; caseworkers in both teams. All exempt from 2FA."""
    return {
        "administrator": make_user("admin", Role.ADMINISTRATOR, [team_a, team_b]),
        "programme_manager": make_user("manager", Role.PROGRAMME_MANAGER, [team_b]),
        "caseworker": make_user("caseworker", Role.CASEWORKER, [team_a]),
        "caseworker_b": make_user("caseworker_b", Role.CASEWORKER, [team_b]),
        "facilitator": make_user("facilitator", Role.FACILITATOR, [team_b]),
        "volunteer_coordinator": make_user("coordinator", Role.VOLUNTEER_COORDINATOR, [team_a]),
        "volunteer": make_user("volunteer", Role.VOLUNTEER, [team_a]),
        "analyst": make_user("analyst", Role.ANALYST, [team_a, team_b]),
    }


@pytest.fixture
def admin_user(personas):
    return personas["administrator"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def count_queries(func) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured), [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def assert_constant_queries():
    """Run ``fetch`` after ``grow`` adds rows; the query count must not change.

    On failure the SQL of both runs is printed, as Zulip's helper does.
    """

    def check(fetch, grow):
        fetch()  # warm up: the first request of a session stamps it
        before, sql_before = count_queries(fetch)
        grow()
        after, sql_after = count_queries(fetch)
        assert before == after, (
            f"query count grew from {before} to {after}\n--- before\n"
            + "\n".join(sql_before)
            + "\n--- after\n"
            + "\n".join(sql_after)
        )
        return after

    return check
