"""A small family in team A (and a stranger in team B), on a frozen day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from kinbridge.consents import actions
from kinbridge.partners.models import Partner
from kinbridge.people.actions import add_relationship, create_person
from kinbridge.people.models import RelationshipKind

TODAY = dt.date(2026, 6, 15)
PDF = b"%PDF-1.7\n% a signed consent form\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name="form.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def family(team_a, team_b):
    anna = create_person(
        None,
        teams=[team_a],
        given_name="Anna",
        family_name="Petrova",
        birth_date=dt.date(1995, 3, 1),
        roles=["prisoner"],
    )
    lena = create_person(
        None,
        teams=[team_a],
        given_name="Lena",
        family_name="Petrova",
        birth_date=dt.date(2021, 5, 2),
    )
    # No date of birth, but a current child role: still a child.
    kolya = create_person(None, teams=[team_a], given_name="Kolya", roles=["child"])
    olga = create_person(
        None,
        teams=[team_a],
        given_name="Olga",
        family_name="Petrova",
        birth_date=dt.date(1968, 1, 9),
    )
    stranger = create_person(None, teams=[team_b], given_name="Мария", family_name="Иванова")
    add_relationship(None, lena, anna, RelationshipKind.MOTHER, parental_responsibility=True)
    add_relationship(None, lena, olga, RelationshipKind.GRANDPARENT)  # no responsibility
    add_relationship(None, kolya, olga, RelationshipKind.GRANDPARENT, parental_responsibility=True)
    return {"anna": anna, "lena": lena, "kolya": kolya, "olga": olga, "stranger": stranger}


@pytest.fixture
def pact(db):
    return Partner.objects.create(name="Pact")


@pytest.fixture
def other_partner(db):
    return Partner.objects.create(name="Barnardo's")


@pytest.fixture
def give():
    """Record a consent with sensible defaults (the person consents for themself)."""

    def record(person, purpose="casework", *, actor=None, **fields):
        fields.setdefault("given_by", person)
        fields.setdefault("given_on", dt.date(2026, 1, 10))
        fields.setdefault("method", "written")
        return actions.record_consent(actor, person, purpose=purpose, **fields)

    return record
