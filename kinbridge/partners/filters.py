"""The partner list's filters, shared by the page and the API."""

from __future__ import annotations

from kinbridge.partners.models import ServiceKind

YES_NO = {"yes": True, "no": False}


def filter_partners(partners, params) -> tuple:
    """Apply ``q``, ``region``, ``service``, ``public`` and ``active``.

    ``region``: partners based there, national ones, and those with a service
    there. ``active`` is "yes" unless asked otherwise ("no", or "all").
    """
    filters = {
        "q": params.get("q", "").strip()[:100],
        "region": params.get("region", ""),
        "service": params.get("service", ""),
        "public": params.get("public", ""),
        "active": params.get("active", "yes"),
    }
    partners = partners.search(filters["q"])
    if filters["region"].isdigit():
        partners = partners.serving_region(int(filters["region"]))
    if filters["service"] in ServiceKind.values:
        partners = partners.offering(filters["service"])
    if filters["public"] in YES_NO:
        partners = partners.filter(is_public=YES_NO[filters["public"]])
    if filters["active"] in YES_NO:
        partners = partners.filter(is_active=YES_NO[filters["active"]])
    return partners, filters
