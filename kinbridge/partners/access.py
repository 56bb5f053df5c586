"""Who may see which partner: one helper for single records, ``visible_to`` for lists."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinbridge.partners.actions import can_view_partners
from kinbridge.partners.models import Partner


def get_partner_for_user(request, pk) -> Partner:
    """The partner, if the user may see partners at all (403 if not); 404 if none."""
    if not can_view_partners(request.user):
        raise PermissionDenied
    try:
        return Partner.objects.visible_to(request.user).select_related("region").get(pk=pk)
    except (Partner.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
