"""Who may see which consent: exactly those who may see its person."""

from django.http import Http404

from kinbridge.consents.models import Consent


def get_consent_for_user(request, pk) -> Consent:
    """The consent, if its person is visible to the user; 404 otherwise."""
    try:
        return (
            Consent.objects.visible_to(request.user).select_related("person", "partner").get(pk=pk)
        )
    except (Consent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
