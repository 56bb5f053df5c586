"""Who may see which person: one helper for single records, ``visible_to`` for lists."""

from django.http import Http404

from kinbridge.audit.actions import record_read
from kinbridge.people.models import Person


def get_person_for_user(request, pk, *, audit_read: bool = True) -> Person:
    """The person, if the user's role and teams allow it; 404 otherwise.

    Person records hold criminal-offence and children's data, so each read
    by a person's page or API detail is audited.
    """
    try:
        person = Person.objects.visible_to(request.user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if audit_read:
        record_read(request.user, person)
    return person
