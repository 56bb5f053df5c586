from django.conf import settings

from kinbridge.front.navigation import nav_items


def shell(request):
    """What every page's frame needs: the organisation, languages, navigation."""
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "language_choices": [(code, name) for code, name in LANGUAGE_NAMES],
        "nav_items": nav_items(request),
    }


# Each language named in itself, so a reader finds their own in any interface language.
LANGUAGE_NAMES = [("en", "English"), ("ru", "Русский"), ("lt", "Lietuvių")]
