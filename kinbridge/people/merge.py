"""Merging two records of the same person, whatever other apps link to them.

The machinery knows no app by name. It finds every foreign key (and one-to-one
key) that points at Person, in any installed app, through Django's model
metadata, so links added by later apps move without a change here.

Hook protocol for models that point at Person (all optional):

* ``merge_people(cls, keep, drop) -> dict | None`` (classmethod). Called once
  per model inside the merge transaction, with both people locked, *before*
  the generic move. Resolve rows that would break a constraint once drop's
  rows point at keep (delete an exact duplicate, fold two rows into one), and
  return a JSON-serialisable summary of what was changed or removed for the
  audit entry (or None). Raise ``ValidationError`` with a clear, translated
  message when the rows cannot be merged automatically: the whole merge is
  rolled back and the message shown.
* ``erasable_fields = ("notes", ...)``: see ``people/erasure.py``.

Every foreign key to Person must use ``on_delete=PROTECT``: the dropped record
is deleted at the end, and PROTECT turns any row the move did not reach into
an error instead of a silent cascade (a test checks every model).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from kinbridge.accounts.access import is_administrator
from kinbridge.audit.actions import diff, record, snapshot
from kinbridge.audit.models import Action
from kinbridge.people.actions import PERSON_FIELDS, ancestors
from kinbridge.people.models import Gender, MergedPerson, Person


def person_links() -> list[models.ForeignKey]:
    """Every foreign key or one-to-one field, in any installed model, that points at Person.

    Hidden relations (``related_name="+"``, the automatic tables of a
    many-to-many field) are included.
    """
    links = [
        relation.field
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and (relation.one_to_many or relation.one_to_one)
    ]
    return sorted(links, key=lambda link: (link.model._meta.label_lower, link.name))


def linked_models() -> list[type[models.Model]]:
    """The models holding a link to Person, each once."""
    return list(dict.fromkeys(link.model for link in person_links()))


def link_label(link: models.ForeignKey) -> str:
    return f"{link.model._meta.label_lower}.{link.name}"


def rows_linked(link: models.ForeignKey, person: Person) -> models.QuerySet:
    """Rows of ``link``'s model pointing at ``person``, hidden by no custom manager."""
    value = getattr(person, link.target_field.attname)
    return link.model._base_manager.filter(**{link.attname: value})


def can_merge(user) -> bool:
    """Administrators only: a merge widens who sees the kept record and cannot be undone."""
    return is_administrator(user)


def _is_empty(name: str, value) -> bool:
    return value in (None, "") or (name == "gender" and value == Gender.UNKNOWN)


def _fill_empty_fields(keep: Person, drop: Person) -> dict[str, list]:
    """Copy drop's values into keep's empty fields; return values that differ."""
    differing = {}
    # The date of birth and the estimated year are one fact: an exact date
    # replaces an estimate, and an estimate fills a gap.
    if not keep.birth_date and drop.birth_date:
        if keep.birth_year and keep.birth_year != drop.birth_date.year:
            differing["birth_year"] = [keep.birth_year, drop.birth_date.year]
        keep.birth_date, keep.birth_year = drop.birth_date, None
    elif not keep.birth_date and not keep.birth_year:
        keep.birth_year = drop.birth_year
    elif keep.birth_date and drop.birth_date and keep.birth_date != drop.birth_date:
        differing["birth_date"] = [keep.birth_date.isoformat(), drop.birth_date.isoformat()]
    for name in PERSON_FIELDS:
        if name in ("birth_date", "birth_year"):
            continue
        mine, theirs = getattr(keep, name), getattr(drop, name)
        if _is_empty(name, theirs):
            continue
        if _is_empty(name, mine):
            setattr(keep, name, theirs)
        elif mine != theirs:
            differing[name] = [mine, theirs]
    return differing


def count_links(person: Person) -> dict[str, int]:
    """How many rows of each kind point at ``person`` (for the merge page)."""
    counts = {}
    for link in person_links():
        count = rows_linked(link, person).count()
        if count:
            counts[link_label(link)] = count
    return counts


def merge_people(actor, keep: Person, drop: Person) -> Person:
    """Merge ``drop`` into ``keep``: every link moves, drop's record is removed.

    Raises PermissionDenied for anyone but an administrator who sees both,
    and ValidationError (by field: ``drop``) when the merge cannot be done;
    then nothing has changed.
    """
    if not can_merge(actor):
        raise PermissionDenied
    if keep.pk == drop.pk:
        raise ValidationError(
            {"drop": _("A person cannot be merged with themselves. Choose the other record.")}
        )
    if Person.objects.visible_to(actor).filter(pk__in=[keep.pk, drop.pk]).count() != 2:
        raise PermissionDenied
    try:
        with transaction.atomic():
            return _merge(actor, keep.pk, drop.pk)
    except IntegrityError:  # a database rule no hook foresaw
        raise ValidationError(
            {
                "drop": _(
                    "These records could not be merged: their linked records conflict. "
                    "Nothing was changed."
                )
            }
        ) from None


def _merge(actor, keep_pk: int, drop_pk: int) -> Person:
    locked = Person.objects.select_for_update().filter(pk__in=[keep_pk, drop_pk]).order_by("pk")
    people = {person.pk: person for person in locked}
    if len(people) != 2:
        raise ValidationError(
            {"drop": _("One of these records was merged or changed meanwhile. Start again.")}
        )
    keep, drop = people[keep_pk], people[drop_pk]
    if keep.erased_at or drop.erased_at:
        raise ValidationError({"drop": _("A person whose data was erased cannot be merged.")})
    before = snapshot(keep)
    dropped = {"id": drop.pk, "reference": drop.reference, **snapshot(drop)}

    resolved = {}
    for model in linked_models():
        hook = getattr(model, "merge_people", None)
        if callable(hook):
            summary = hook(keep, drop)
            if summary:
                resolved[model._meta.label_lower] = summary

    moved = {}
    for link in person_links():
        try:
            with transaction.atomic():
                count = rows_linked(link, drop).update(
                    **{link.attname: getattr(keep, link.target_field.attname)}
                )
        except IntegrityError:
            raise ValidationError(
                {
                    "drop": _(
                        "Both records have %(records)s that cannot be combined automatically. "
                        "Correct or end one of them first; nothing was changed."
                    )
                    % {"records": link.model._meta.verbose_name_plural}
                }
            ) from None
        if count:
            moved[link_label(link)] = count

    if keep.pk in ancestors(keep.pk):
        raise ValidationError(
            {
                "drop": _(
                    "Merging these records would make the person their own ancestor. "
                    "Check who is whose parent first; nothing was changed."
                )
            }
        )

    differing = _fill_empty_fields(keep, drop)
    keep.refresh_names()
    keep.version += 1
    keep.save()
    MergedPerson.objects.create(
        person=keep, old_id=drop.pk, old_reference=drop.reference, merged_by=actor
    )
    left = {link_label(link) for link in person_links() if rows_linked(link, drop).exists()}
    if left:  # a hook added rows, or a relation escaped the move: never delete then
        raise ValidationError(
            {
                "drop": _("Some linked records could not be moved (%(records)s). Nothing changed.")
                % {"records": ", ".join(sorted(left))}
            }
        )

    record(
        Action.UPDATE,
        actor=actor,
        obj=keep,
        changes=diff(before, snapshot(keep)),
        merge={"kept": {"id": keep.pk, "reference": keep.reference}, "merged": dropped},
        moved=moved,
        resolved=resolved,
        differing=differing,
    )
    record(
        Action.DELETE,
        actor=actor,
        obj=drop,
        changes={name: [value, None] for name, value in snapshot(drop).items()},
        merged_into={"id": keep.pk, "reference": keep.reference},
    )
    try:
        drop.delete()
    except ProtectedError:  # cannot happen after the check above, but never cascade
        raise ValidationError(
            {"drop": _("Some linked records could not be moved. Nothing was changed.")}
        ) from None
    return keep
