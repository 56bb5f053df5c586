"""The facility list's filters, shared by the page and the API."""

from __future__ import annotations

from kinbridge.facilities.models import FacilityKind

YES_NO = {"yes": True, "no": False}


def filter_facilities(facilities, params) -> tuple:
    """Apply ``q``, ``kind``, ``country``, ``region``, ``children`` and ``active``.

    ``active`` is "yes" unless asked otherwise ("no", or "all" for both).
    Returns the queryset and the filters as understood, for the page to echo.
    """
    filters = {
        "q": params.get("q", "").strip()[:100],
        "kind": params.get("kind", ""),
        "country": params.get("country", "").upper()[:2],
        "region": params.get("region", ""),
        "children": params.get("children", ""),
        "active": params.get("active", "yes"),
    }
    facilities = facilities.search(filters["q"])
    if filters["kind"] in FacilityKind.values:
        facilities = facilities.filter(kind=filters["kind"])
    if filters["country"]:
        facilities = facilities.filter(region__country=filters["country"])
    if filters["region"].isdigit():
        facilities = facilities.filter(region_id=int(filters["region"]))
    if filters["children"] in YES_NO:
        with_unit = YES_NO[filters["children"]]
        facilities = facilities.filter(child_age_limit_months__isnull=not with_unit)
    if filters["active"] in YES_NO:
        facilities = facilities.filter(is_active=YES_NO[filters["active"]])
    return facilities, filters
