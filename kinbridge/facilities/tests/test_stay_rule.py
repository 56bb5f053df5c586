import datetime as dt

import pytest

from kinbridge.facilities.models import Facility

BORN = dt.date(2024, 3, 10)  # reaches 36 months on 2027-03-10


def colony(**rule):
    return Facility(name="IK", child_age_limit_months=36, **rule)


@pytest.mark.parametrize(
    ("rule", "release", "expected"),
    [
        ({}, dt.date(2027, 9, 1), dt.date(2027, 3, 10)),  # no extension rule
        ({"extension_if_release_within_months": 12}, None, dt.date(2027, 3, 10)),
        ({"extension_if_release_within_months": 12}, dt.date(2026, 1, 1), dt.date(2027, 3, 10)),
        # released 6 months after the limit: the child may stay until then
        ({"extension_if_release_within_months": 12}, dt.date(2027, 9, 1), dt.date(2027, 9, 1)),
        ({"extension_if_release_within_months": 12}, dt.date(2028, 3, 10), dt.date(2028, 3, 10)),
        # released more than 12 months after the limit: no extension
        ({"extension_if_release_within_months": 12}, dt.date(2028, 3, 11), dt.date(2027, 3, 10)),
        # an extended limit caps the extension
        (
            {"extension_if_release_within_months": 12, "extended_age_limit_months": 42},
            dt.date(2028, 1, 1),
            dt.date(2027, 9, 10),
        ),
    ],
)
def test_stay_limit_applies_the_extension_rule(rule, release, expected):
    assert colony(**rule).stay_limit(BORN, release) == expected


def test_no_children_unit_means_no_limit():
    assert Facility(name="HMP").stay_limit(BORN, None) is None
    assert Facility(name="MBU", child_age_limit_months=18).age_limit_date(BORN) == dt.date(
        2025, 9, 10
    )
