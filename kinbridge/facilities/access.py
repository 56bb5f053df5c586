"""Who may see which facility: one helper for single records, ``visible_to`` for lists."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinbridge.facilities.actions import can_view_facilities
from kinbridge.facilities.models import Facility


def get_facility_for_user(request, pk) -> Facility:
    """The facility, if the user may see facilities at all (403 if not); 404 if none.

    Facilities are reference data, not personal data, so reads are not audited.
    """
    if not can_view_facilities(request.user):
        raise PermissionDenied
    try:
        return Facility.objects.visible_to(request.user).select_related("region").get(pk=pk)
    except (Facility.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
