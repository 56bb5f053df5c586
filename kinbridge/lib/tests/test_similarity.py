import pytest

from kinbridge.lib import names
from kinbridge.lib.similarity import (
    DIFFERENT,
    EQUAL,
    PREFIX,
    SIMILAR,
    edit_distance,
    name_likeness,
)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("maria", "maria", 0),
        ("maria", "marie", 1),
        ("kazlauskiene", "kazlauskine", 1),
        ("", "ab", 2),
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance


def test_edit_distance_stops_past_its_limit():
    assert edit_distance("abcdefgh", "zyxwvuts", limit=2) == 3


@pytest.mark.parametrize(
    ("a", "b", "likeness"),
    [
        ("Мария", "Mariya", EQUAL),
        ("Mariia", "Maria", EQUAL),
        ("Иванова", "Ivanova", EQUAL),
        ("Šarūnė", "Sarune", EQUAL),
        ("Kazlauskienė", "Kazlauskine", SIMILAR),
        ("Petrova", "Petrowa", EQUAL),
        ("Petrova", "Petrov", SIMILAR),
        ("Alex", "Alexander", PREFIX),
        ("Ana", "Ann", DIFFERENT),  # no slips allowed in three letters
        ("Anna", "Olga", DIFFERENT),
        ("Kazlauskienė Petraitienė", "Petraitiene", EQUAL),
    ],
)
def test_name_likeness_after_folding(a, b, likeness):
    assert name_likeness(names.fold(a), names.fold(b)) == likeness
