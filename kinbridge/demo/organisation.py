"""The demo organisation: two regions, two teams, one user per role.

Idempotent: running it again repairs what is missing and changes nothing else.
"""

from __future__ import annotations

from kinbridge.accounts import actions
from kinbridge.accounts.models import Region, Team, User
from kinbridge.accounts.roles import Role

DEMO_PASSWORD = "kinbridge-demo-2026"  # noqa: S105  (printed in the README on purpose)

REGIONS = [
    ("vilnius", "Vilnius County", "LT"),
    ("samara", "Samara Region", "RU"),
]
TEAMS = [
    (
        "Family support Vilnius",
        "vilnius",
        "Relatives of prisoners in Lithuania: counselling, community meetings, family days.",
    ),
    (
        "Mothers in colonies",
        "samara",
        "Pregnant women and mothers of children under three in correctional colonies.",
    ),
]
# username, first, last, language, roles, team names
USERS = [
    (
        "admin",
        "Aistė",
        "Administratorė",
        "lt",
        [Role.ADMINISTRATOR],
        ["Family support Vilnius", "Mothers in colonies"],
    ),
    ("manager", "Marina", "Volkova", "ru", [Role.PROGRAMME_MANAGER], ["Mothers in colonies"]),
    ("caseworker", "Rūta", "Kazlauskienė", "lt", [Role.CASEWORKER], ["Family support Vilnius"]),
    ("caseworker2", "Olga", "Petrova", "ru", [Role.CASEWORKER], ["Mothers in colonies"]),
    ("facilitator", "Elena", "Sokolova", "ru", [Role.FACILITATOR], ["Mothers in colonies"]),
    (
        "coordinator",
        "Jonas",
        "Petraitis",
        "lt",
        [Role.VOLUNTEER_COORDINATOR],
        ["Family support Vilnius"],
    ),
    ("volunteer", "Laura", "Jankauskaitė", "lt", [Role.VOLUNTEER], ["Family support Vilnius"]),
    (
        "analyst",
        "Helen",
        "Carter",
        "en",
        [Role.ANALYST],
        ["Family support Vilnius", "Mothers in colonies"],
    ),
]


def load() -> list[tuple[str, str]]:
    """Create or repair the demo organisation; return (username, role label) pairs."""
    regions = {}
    for key, name, country in REGIONS:
        region = Region.objects.filter(name=name, country=country).first()
        regions[key] = region or actions.create_region(None, name=name, country=country)
    teams = {}
    for name, region_key, description in TEAMS:
        team = Team.objects.filter(name=name).first()
        teams[name] = team or actions.create_team(
            None, name=name, region=regions[region_key], description=description
        )
    logins = []
    for username, first, last, language, roles, team_names in USERS:
        if not User.objects.filter(username=username).exists():
            actions.create_user(
                None,
                username=username,
                email=f"{username}@demo.kinbridge.invalid",
                first_name=first,
                last_name=last,
                language=language,
                roles=roles,
                teams=[teams[name] for name in team_names],
                password=DEMO_PASSWORD,
                two_factor_exempt=True,
            )
        logins.append((username, ", ".join(str(role.label) for role in roles)))
    return logins
