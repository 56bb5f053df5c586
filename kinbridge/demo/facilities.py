"""Demo facilities from the seeds, with children's units and visiting rules.

Names are fixed ("IK-5", "HMP Eastwood Park"…): other demo modules look
facilities up by region and name. Rules are realistic but illustrative, not
an official source. Idempotent: a facility already in its region is kept as is.
"""

from __future__ import annotations

import datetime as dt

from kinbridge.accounts import actions as accounts_actions
from kinbridge.accounts.models import Region
from kinbridge.facilities import actions
from kinbridge.facilities.models import Facility, FacilityKind, VisitKind, Weekday

REGIONS = [
    ("Moscow Region", "RU"),
    ("Rostov Region", "RU"),
    ("Samara Region", "RU"),
    ("Gloucestershire", "GB"),
    ("Panevėžys County", "LT"),
    ("Vilnius County", "LT"),
    ("Marijampolė County", "LT"),
    ("Chüy Region", "KG"),
    ("Oxfordshire", "GB"),
]


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def slot(day, start, end, kind=VisitKind.SHORT, days=1) -> dict:
    return {"weekday": day, "start": _t(start), "end": _t(end), "kind": kind, "days": days}


# A Russian women's colony with a children's home (Penal Enforcement Code arts. 89, 100).
RUSSIAN_COLONY_RULES = {
    "booking_lead_days": 1,
    "booking_window_days": 30,
    "max_visitors": 4,
    "min_age_unaccompanied": 18,
    "id_required": True,
    "accepted_ids": "Russian passport; a birth certificate for each child",
    "banned_items": "\n".join(
        [
            "Mobile phones and SIM cards",
            "Cameras and any recording device",
            "Alcohol and drugs",
            "Medicines without a doctor's prescription",
            "Sharp objects and tools",
            "Cash above the amount the colony allows",
        ]
    ),
    "devices_allowed": False,
    "has_family_room": True,
    "family_room_capacity": 4,
    "entry_notes": (
        "Short visits (up to 4 hours): relatives and, with permission, other people; "
        "no more than two adults. Long visits (up to 3 days, in the visiting rooms): spouse, "
        "parents, children, siblings, grandparents and grandchildren. Apply in writing to "
        "the colony's administration."
    ),
}
RUSSIAN_COLONY_SLOTS = [
    slot(Weekday.TUESDAY, "09:00", "13:00"),
    slot(Weekday.THURSDAY, "09:00", "13:00"),
    slot(Weekday.SATURDAY, "09:00", "13:00"),
    slot(Weekday.MONDAY, "09:00", "09:00", VisitKind.LONG, days=3),
    slot(Weekday.THURSDAY, "14:00", "12:00", VisitKind.LONG, days=3),
]
# Art. 100: a child may live in the children's home until 3; longer, until the
# mother's release, when she has a year or less left.
RUSSIAN_CHILDREN_UNIT = {
    "child_age_limit_months": 36,
    "extension_if_release_within_months": 12,
}

FACILITIES = [
    {
        "region": ("Moscow Region", "RU"),
        "name": "IK-5",
        "kind": FacilityKind.WOMENS_COLONY,
        "notes": (
            "Correctional Colony No. 5 of the FSIN Directorate for the Moscow Region: a women's "
            "colony with a children's home. Mom Behind Bars trainings (seed 000)."
        ),
        "children_capacity": 60,
        **RUSSIAN_CHILDREN_UNIT,
        "rules": RUSSIAN_COLONY_RULES,
        "slots": RUSSIAN_COLONY_SLOTS,
    },
    {
        "region": ("Rostov Region", "RU"),
        "name": "IK-18",
        "kind": FacilityKind.WOMENS_COLONY,
        "notes": (
            "Correctional Colony No. 18 of the FSIN Directorate for the Rostov Region: a women's "
            "colony with a children's home. Mom Behind Bars trainings (seed 000)."
        ),
        "children_capacity": 40,
        **RUSSIAN_CHILDREN_UNIT,
        "rules": RUSSIAN_COLONY_RULES,
        "slots": RUSSIAN_COLONY_SLOTS,
    },
    {
        "region": ("Samara Region", "RU"),
        "name": "IK-15",
        "kind": FacilityKind.WOMENS_COLONY,
        "notes": (
            "Correctional Colony No. 15 of the FSIN Directorate for the Samara Region: a women's "
            "colony with a children's home. Mom Behind Bars trainings (seed 000)."
        ),
        "children_capacity": 50,
        **RUSSIAN_CHILDREN_UNIT,
        "rules": RUSSIAN_COLONY_RULES,
        "slots": RUSSIAN_COLONY_SLOTS,
    },
    {
        "region": ("Gloucestershire", "GB"),
        "name": "HMP Eastwood Park",
        "kind": FacilityKind.PRISON,
        "address": "Falfield, Wotton-under-Edge, Gloucestershire GL12 8DB",
        "website": "https://www.gov.uk/guidance/eastwood-park-prison",
        "notes": "Women's prison with a mother and baby unit. Visiting Mum scheme (seed 002).",
        "is_public": True,
        "children_capacity": 12,
        "child_age_limit_months": 18,
        "rules": {
            "booking_lead_days": 1,
            "booking_window_days": 28,
            "max_visitors": 4,
            "min_age_unaccompanied": 18,
            "id_required": True,
            "accepted_ids": (
                "passport, photo driving licence, EU national identity card, PASS proof-of-age "
                "card; children need no ID"
            ),
            "banned_items": "\n".join(
                [
                    "Mobile phones and smartwatches",
                    "Cameras and recording devices",
                    "Drugs, alcohol and tobacco",
                    "Food and drink from outside",
                    "Gifts and parcels (use the approved channels)",
                    "Sharp objects",
                ]
            ),
            "devices_allowed": False,
            "has_family_room": True,
            "family_room_capacity": 6,
            "entry_notes": (
                "Up to 3 adults, plus children. Visitors must be on the woman's approved list; "
                "book through the online visit booking service. Family visits take place in "
                "the family room."
            ),
        },
        "slots": [
            slot(Weekday.TUESDAY, "14:00", "16:00"),
            slot(Weekday.THURSDAY, "14:00", "16:00"),
            slot(Weekday.SATURDAY, "14:00", "16:00"),
            slot(Weekday.SUNDAY, "14:00", "16:00"),
            slot(Weekday.SATURDAY, "10:00", "13:00", VisitKind.FAMILY),
        ],
    },
    {
        "region": ("Panevėžys County", "LT"),
        "name": "Panevėžio pataisos namai",
        "kind": FacilityKind.PRISON,
        "address": "Panevėžys",
        "notes": (
            "Lithuania's only women's prison, with a mother and child house. Family days "
            "(seed 001)."
        ),
        "children_capacity": 8,
        "child_age_limit_months": 36,
        "rules": {
            "booking_lead_days": 2,
            "booking_window_days": 30,
            "max_visitors": 3,
            "min_age_unaccompanied": 18,
            "id_required": True,
            "accepted_ids": "passport or identity card; a birth certificate for each child",
            "banned_items": "\n".join(
                [
                    "Mobile phones",
                    "Cameras and recording devices",
                    "Alcohol and drugs",
                    "Sharp objects",
                ]
            ),
            "devices_allowed": False,
            "has_family_room": True,
            "family_room_capacity": 5,
            "entry_notes": (
                "Short visits up to 4 hours; long visits up to 2 days for close relatives. "
                "Register the visit with the prison in advance."
            ),
        },
        "slots": [
            slot(Weekday.WEDNESDAY, "09:00", "13:00"),
            slot(Weekday.SATURDAY, "09:00", "13:00"),
            slot(Weekday.SUNDAY, "09:00", "13:00"),
            slot(Weekday.FRIDAY, "10:00", "10:00", VisitKind.LONG, days=2),
        ],
    },
    {
        "region": ("Marijampolė County", "LT"),
        "name": "Marijampolės pataisos namai",
        "kind": FacilityKind.PRISON,
        "address": "Marijampolė",
        "notes": "Men's prison. Family days with fathers and their children (seed 001).",
        "rules": {
            "booking_lead_days": 2,
            "booking_window_days": 30,
            "max_visitors": 3,
            "min_age_unaccompanied": 18,
            "id_required": True,
            "accepted_ids": "passport or identity card; a birth certificate for each child",
            "banned_items": "\n".join(["Mobile phones", "Alcohol and drugs", "Sharp objects"]),
            "devices_allowed": False,
            "has_family_room": True,
            "family_room_capacity": 6,
            "entry_notes": "Register the visit with the prison in advance.",
        },
        "slots": [
            slot(Weekday.SATURDAY, "09:00", "13:00"),
            slot(Weekday.SUNDAY, "09:00", "13:00"),
        ],
    },
    {
        "region": ("Chüy Region", "KG"),
        "name": "Women's colony No. 2 (demo)",
        "kind": FacilityKind.WOMENS_COLONY,
        "notes": (
            "Illustrative: seed 004 does not name the women's prison in Central Asia. Children "
            "live with their mothers, here up to school age; preschool and daycare inside "
            "(Send Relief, seed 004)."
        ),
        "children_capacity": 40,
        "child_age_limit_months": 84,
    },
    {
        "region": ("Vilnius County", "LT"),
        "name": "Vilnius family support centre",
        "kind": FacilityKind.COMMUNITY_VENUE,
        "address": "Vilnius (demo venue)",
        "notes": "Community meetings, self-help groups and counselling for relatives.",
    },
    {
        "region": ("Samara Region", "RU"),
        "name": "Samara family resource centre",
        "kind": FacilityKind.COMMUNITY_VENUE,
        "address": "Samara (demo venue)",
        "notes": "Meetings with relatives and preparation for release.",
    },
]


def regions() -> dict[tuple[str, str], Region]:
    found = {}
    for name, country in REGIONS:
        region = Region.objects.filter(name=name, country=country).first()
        found[name, country] = region or accounts_actions.create_region(
            None, name=name, country=country
        )
    return found


def load() -> int:
    """Create the demo facilities that are missing; return how many there are."""
    by_key = regions()
    for entry in FACILITIES:
        fields = dict(entry)
        region = by_key[fields.pop("region")]
        rules, slots = fields.pop("rules", None), fields.pop("slots", [])
        if not Facility.objects.filter(region=region, name=fields["name"]).exists():
            actions.create_facility(
                None, region=region, rules=dict(rules) if rules else None, slots=slots, **fields
            )
    return len(FACILITIES)
