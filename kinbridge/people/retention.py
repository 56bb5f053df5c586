"""The retention review: people with no activity for ``KINBRIDGE_RETENTION_YEARS``.

A person's last activity is the latest of the person's own ``updated_at`` and
every date (or date-time) field of every row linked to the person, in any app:
a role's start or end, a relationship, a custody episode's expected release, a
consent given or withdrawn, a case closed. It is computed, not stored: there is
no column every app must remember to touch, and a future date (an expected
release) keeps a person off the list until it has passed.

The list query stays cheap: ``updated_at`` is indexed, and each linked model
adds one ``NOT EXISTS`` on its foreign key (indexed by Django). The last
activity shown for a page is then one grouped query per linked model.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from kinbridge.accounts.access import is_administrator
from kinbridge.lib.dates import add_months
from kinbridge.people.merge import person_links
from kinbridge.people.models import Person


def can_review(user) -> bool:
    return is_administrator(user)


def cutoff(today: dt.date | None = None, years: int | None = None) -> dt.date:
    """The day before which no activity means "due for review"."""
    today = today or timezone.localdate()
    years = settings.KINBRIDGE_RETENTION_YEARS if years is None else years
    return add_months(today, -12 * years)


def _date_fields(model) -> list[models.DateField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.DateField)]


def activity_links() -> list[tuple[models.ForeignKey, list[models.DateField]]]:
    """The links to Person whose model has dates, with those date fields."""
    found = []
    for link in person_links():
        fields = _date_fields(link.model)
        if fields:
            found.append((link, fields))
    return found


def _since(field: models.DateField, day: dt.date) -> Q:
    if isinstance(field, models.DateTimeField):
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return Q(**{f"{field.name}__gte": start})
    return Q(**{f"{field.name}__gte": day})


def due_for_review(people, day: dt.date):
    """``people`` (not erased) with no activity on or after ``day``."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    people = people.filter(erased_at__isnull=True, updated_at__lt=start)
    for link, fields in activity_links():
        recent = Q()
        for field in fields:
            recent |= _since(field, day)
        target = link.target_field.attname
        active = link.model._base_manager.filter(recent, **{link.attname: OuterRef(target)})
        people = people.exclude(Exists(active))
    return people


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def last_activity(people: list[Person]) -> dict[int, dt.date]:
    """The last activity day of each of ``people``: one query per linked model with dates."""
    latest = {person.pk: _as_date(person.updated_at) for person in people}
    if not people:
        return latest
    for link, fields in activity_links():
        key = link.attname
        by_person = (
            link.model._base_manager.filter(**{f"{key}__in": list(latest)})
            .values(key)
            .annotate(**{f"latest_{index}": Max(field.name) for index, field in enumerate(fields)})
        )
        for row in by_person:
            for index in range(len(fields)):
                value = _as_date(row[f"latest_{index}"])
                if value and value > latest[row[key]]:
                    latest[row[key]] = value
    return latest
