"""Facilities for a synthetic registry: women's colonies in Russia, prisons in England
and Lithuania, with their children's units. Fixed data, the same on every run.

The numbers of Russian colonies and the capacities are illustrative, not a
register of real institutions; the rules are the published ones: a colony's
children's home keeps a child up to 3 years, longer while the mother has at
most a year left (Penal Enforcement Code, art. 100); an English mother and
baby unit up to 18 months.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinbridge.facilities.models import FacilityKind


@dataclass(frozen=True)
class FacilityRow:
    name: str
    kind: str
    region: str
    country: str
    children_capacity: int | None = None
    child_age_limit_months: int | None = None
    extension_if_release_within_months: int | None = None


RUSSIAN_REGIONS = (
    "Republic of Mordovia",
    "Samara Region",
    "Chuvash Republic",
    "Tver Region",
    "Vladimir Region",
    "Ryazan Region",
    "Kemerovo Region",
    "Sverdlovsk Region",
    "Perm Krai",
    "Krasnoyarsk Krai",
    "Irkutsk Region",
    "Novosibirsk Region",
    "Chelyabinsk Region",
    "Republic of Bashkortostan",
    "Nizhny Novgorod Region",
    "Krasnodar Krai",
    "Moscow Region",
)
# 34 women's colonies, 12 of them with a children's home (seed 000).
COLONY_COUNT = 34
COLONIES_WITH_CHILDREN = frozenset({2, 5, 7, 10, 13, 14, 18, 21, 24, 27, 30, 33})


def _russian() -> list[FacilityRow]:
    rows = []
    for number in range(1, COLONY_COUNT + 1):
        region = RUSSIAN_REGIONS[(number - 1) % len(RUSSIAN_REGIONS)]
        with_children = number in COLONIES_WITH_CHILDREN
        rows.append(
            FacilityRow(
                name=f"ИК-{number}",
                kind=FacilityKind.WOMENS_COLONY,
                region=region,
                country="RU",
                children_capacity=20 + (number * 7) % 40 if with_children else None,
                child_age_limit_months=36 if with_children else None,
                extension_if_release_within_months=12 if with_children else None,
            )
        )
    for region in ("Samara Region", "Sverdlovsk Region", "Moscow Region"):
        rows.append(FacilityRow("СИЗО-1", FacilityKind.REMAND_CENTRE, region, "RU"))
    rows.append(
        FacilityRow("Семейный центр «Берег»", FacilityKind.COMMUNITY_VENUE, "Samara Region", "RU")
    )
    return rows


_ENGLISH = [
    ("HMP Bronzefield", "Surrey", 12),
    ("HMP Styal", "Cheshire", 9),
    ("HMP Eastwood Park", "Gloucestershire", 12),
    ("HMP Askham Grange", "North Yorkshire", 10),
    ("HMP New Hall", "West Yorkshire", 9),
    ("HMP Peterborough", "Cambridgeshire", 12),
    ("HMP Downview", "Surrey", None),
    ("HMP Low Newton", "County Durham", None),
    ("HMP Foston Hall", "Derbyshire", None),
    ("HMP Drake Hall", "Staffordshire", None),
]

_LITHUANIAN = [
    ("Panevėžio pataisos namai", FacilityKind.PRISON, "Panevėžys County", 10),
    ("Vilniaus pataisos namai", FacilityKind.PRISON, "Vilnius County", None),
    ("Alytaus pataisos namai", FacilityKind.PRISON, "Alytus County", None),
    ("Marijampolės pataisos namai", FacilityKind.PRISON, "Marijampolė County", None),
    ("Kauno tardymo izoliatorius", FacilityKind.REMAND_CENTRE, "Kaunas County", None),
    ("Šiaulių tardymo izoliatorius", FacilityKind.REMAND_CENTRE, "Šiauliai County", None),
    ("Šeimos namai „Tiltas“", FacilityKind.COMMUNITY_VENUE, "Vilnius County", None),
]


def catalogue() -> list[FacilityRow]:
    rows = _russian()
    for name, region, places in _ENGLISH:
        rows.append(
            FacilityRow(
                name,
                FacilityKind.PRISON,
                region,
                "GB",
                children_capacity=places,
                child_age_limit_months=18 if places else None,
            )
        )
    for name, kind, region, places in _LITHUANIAN:
        rows.append(
            FacilityRow(
                name,
                kind,
                region,
                "LT",
                children_capacity=places,
                child_age_limit_months=36 if places else None,
            )
        )
    return rows
