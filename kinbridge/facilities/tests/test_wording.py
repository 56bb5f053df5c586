import datetime as dt

import pytest

from kinbridge.facilities import wording
from kinbridge.facilities.models import Facility, VisitingRules, VisitSlot


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ({}, "There is no children's unit: children cannot live here with their mothers."),
        (
            {"child_age_limit_months": 18},
            "Children may stay until they are 18 months old. There is no extension.",
        ),
        (
            {"child_age_limit_months": 36, "extension_if_release_within_months": 12},
            "Children may stay until they are 36 months (3 years) old; longer, until the "
            "mother's release, when she has 12 months or less left to serve by then.",
        ),
        (
            {
                "child_age_limit_months": 36,
                "extension_if_release_within_months": 6,
                "extended_age_limit_months": 42,
            },
            "Children may stay until they are 36 months (3 years) old; longer, until the "
            "mother's release but not beyond 42 months, when she has 6 months or less left "
            "to serve by then.",
        ),
        (
            {"child_age_limit_months": 1},
            "Children may stay until they are 1 month old. There is no extension.",
        ),
    ],
)
def test_the_stay_rule_in_plain_words(unit, expected):
    assert wording.stay_rule(Facility(name="X", **unit)) == expected


def test_visiting_rules_in_plain_words():
    rules = VisitingRules()  # the defaults: a UK-like prison
    assert dict(wording.visiting_rules(rules)) == {
        "Booking": "Book at least 1 day and at most 28 days ahead.",
        "Visitors": "At most 3 visitors per visit, children included. Visitors under 18 must "
        "come with an adult (18 or over) responsible for them.",
        "ID": "Visitors must show ID.",
        "Devices": "Phones and other devices are not allowed inside: leave them outside or in "
        "a locker.",
        "Family room": "There is no family room.",
    }
    other = VisitingRules(
        booking_lead_days=0,
        booking_window_days=1,
        max_visitors=1,
        min_age_unaccompanied=0,
        id_required=True,
        accepted_ids="passport.",
        devices_allowed=True,
        has_family_room=True,
        family_room_capacity=1,
    )
    assert [sentence for _heading, sentence in wording.visiting_rules(other)] == [
        "Book up to 1 day ahead; a visit can be booked for the same day.",
        "At most 1 visitor per visit, children included. Visitors of any age may come on "
        "their own.",
        "Visitors must show ID. Accepted: passport.",
        "Phones and other devices are allowed inside.",
        "There is a family room for up to 1 person.",
    ]
    assert wording.identity(VisitingRules(id_required=False)) == "Visitors do not need to show ID."
    assert wording.family_room(VisitingRules(has_family_room=True)) == "There is a family room."


def test_slots_in_plain_words():
    short = VisitSlot(weekday=6, start=dt.time(14), end=dt.time(16, 30))
    long = VisitSlot(weekday=5, start=dt.time(10), end=dt.time(9), days=3, kind="long")
    assert wording.slot_when(short) == "Sunday, 14:00\N{EN DASH}16:30"
    assert wording.slot_when(long) == "Saturday 10:00 to Monday 09:00 (3 days)"
