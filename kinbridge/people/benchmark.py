"""Time the people search a user hits, on the current database.

Two paths per query: the person list's queryset (``visible_to(user)``,
``search``, newest first, one page of 50 plus the roles prefetch, exactly as
``views.person_list`` builds it) and the list page itself through the Django
test client (middleware, session, template). Each for a caseworker of one
team and for an administrator. Used by ``manage.py benchmark_search``.
"""

from __future__ import annotations

import math
import os
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from kinbridge.accounts import actions as account_actions
from kinbridge.accounts.models import Team, User
from kinbridge.accounts.roles import Role
from kinbridge.people.models import Person, PersonRole
from kinbridge.people.views import PAGE_SIZE

# The data the benchmark generates when the database holds fewer people.
SEED = 2026
CASEWORKER = "bench-caseworker"
ADMINISTRATOR = "bench-administrator"


@dataclass
class Case:
    query: str
    what: str


FIXED_CASES = [
    Case("Иванова", "Cyrillic family name"),
    Case("Ivanova", "its Latin transliteration"),
    Case("sarune", "Lithuanian name without diacritics"),
    Case("Mariia", "variant spelling (Мария, Mariya, Maria)"),
    Case("maria ivanova", "two words"),
    Case("Preobrazhenskaya", "rare family name"),
    Case("a", "one letter (worst case: nearly all match)"),
    Case("Xyzzy", "no match (every row checked)"),
]


@dataclass
class Timing:
    median: float
    p95: float

    def __str__(self) -> str:
        return f"{self.median:.1f} / {self.p95:.1f}"


def measure(fetch: Callable[[], object], repetitions: int, warmup: int = 1) -> Timing:
    for _ in range(warmup):
        fetch()
    samples = []
    for _ in range(repetitions):
        started = time.perf_counter()
        fetch()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[max(0, math.ceil(0.95 * len(samples)) - 1)]
    return Timing(statistics.median(samples), p95)


def first_page(user, query: str) -> list[Person]:
    """The person list's query: what ``views.person_list`` runs for ``?q=query``."""
    people = Person.objects.visible_to(user).prefetch_related(
        Prefetch("roles", queryset=PersonRole.objects.filter(end__isnull=True))
    )
    return list(people.search(query).order_by("-id")[: PAGE_SIZE + 1])


def ensure_users() -> tuple[User, User]:
    """A caseworker of the team with the most people, and an administrator."""
    team = (
        Team.objects.annotate(size=Count("person_links")).order_by("-size", "id").first()
        if Team.objects.exists()
        else None
    )
    if team is None:
        raise RuntimeError("No team: generate people first.")
    users = []
    for username, role, teams in (
        (CASEWORKER, Role.CASEWORKER, [team]),
        (ADMINISTRATOR, Role.ADMINISTRATOR, list(Team.objects.all())),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_actions.create_user(
                None,
                username=username,
                first_name="Benchmark",
                roles=[role],
                teams=teams,
                password=secrets.token_urlsafe(24),
                two_factor_exempt=True,
            )
        users.append(user)
    return users[0], users[1]


def cases_for(caseworker: User) -> list[Case]:
    """The fixed queries plus a reference code and a date of birth the caseworker can see."""
    visible = Person.objects.visible_to(caseworker)
    sample = visible.filter(birth_date__isnull=False).order_by("id")
    someone = sample[sample.count() // 2] if sample.exists() else None
    cases = list(FIXED_CASES)
    if someone is not None:
        cases.insert(6, Case(someone.reference, "reference code"))
        cases.insert(7, Case(someone.birth_date.isoformat(), "date of birth"))
    return cases


def run(repetitions: int, write: Callable[[str], None]) -> None:
    caseworker, administrator = ensure_users()
    cases = cases_for(caseworker)
    people = Person.objects.count()
    team_size = Person.objects.visible_to(caseworker).count()
    write(
        f"Database: {connection.vendor}, {people} people; the caseworker's team sees "
        f"{team_size}. Times in ms, median / p95 over {repetitions} runs. "
        f"Load average before: {_load()}.\n"
    )
    url = reverse("people:list")
    clients = {}
    # The test client's host name: allowed here only, the settings stay as they are.
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for user in (caseworker, administrator):
            client = Client()
            client.force_login(user)
            clients[user.pk] = client
        write(
            "| query | what | found (caseworker / admin) | queryset, caseworker "
            "| page, caseworker | queryset, admin | page, admin |"
        )
        write("| --- | --- | --- | ---: | ---: | ---: | ---: |")
        for case in cases:
            cells = [
                f"`{case.query}`",
                case.what,
                " / ".join(
                    str(Person.objects.visible_to(user).search(case.query).count())
                    for user in (caseworker, administrator)
                ),
            ]
            for user in (caseworker, administrator):
                client = clients[user.pk]
                query = case.query
                cells.append(str(measure(lambda u=user, q=query: first_page(u, q), repetitions)))
                cells.append(str(measure(lambda c=client, q=query: _page(c, url, q), repetitions)))
            write("| " + " | ".join(cells) + " |")
    write(f"\nLoad average after: {_load()}.")


def _load() -> str:
    """Other work on the machine skews timings: say how busy it was."""
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:  # not available on this platform
        return "unknown"


def _page(client: Client, url: str, query: str) -> None:
    response = client.get(url, {"q": query})
    if response.status_code != 200:
        raise RuntimeError(f"{url}?q={query} answered {response.status_code}")
