"""Every change to people, their roles and their relationships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.lib.codes import reference_code
from kinbridge.people.models import (
    PARENT_KINDS,
    Person,
    PersonRole,
    PersonTeam,
    Relationship,
)

# Roles that may register and edit people (within their own teams).
EDITOR_ROLES = (
    Role.ADMINISTRATOR,
    Role.PROGRAMME_MANAGER,
    Role.CASEWORKER,
    Role.FACILITATOR,
    Role.VOLUNTEER_COORDINATOR,
)
PERSON_FIELDS = Person.EDITABLE_FIELDS


class StaleEdit(Exception):
    """The record changed since the editor loaded it."""

    def __init__(self, current: Person):
        super().__init__("stale edit")
        self.current = current


def can_edit_people(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*EDITOR_ROLES)


def _require_editor(actor, teams) -> None:
    if not can_edit_people(actor):
        raise PermissionDenied
    if not actor.has_role(Role.ADMINISTRATOR):
        foreign = {team.pk for team in teams} - set(actor.team_ids)
        if foreign:
            raise PermissionDenied(_("You can only add people to your own teams."))


def refuse_erased(*people: Person) -> None:
    """An erased person's record is kept for counts only: no edits, no new links."""
    if any(person.erased_at for person in people):
        raise ValidationError(
            _("This person's identifying data was erased; the record cannot be changed.")
        )


def validate_person(fields: dict) -> None:
    """Rules a form or the API must both respect; raises ValidationError by field."""
    errors = {}
    today = timezone.localdate()
    if fields.get("birth_date") and fields["birth_date"] > today:
        errors["birth_date"] = _("The date of birth cannot be in the future.")
    if fields.get("birth_year") and fields["birth_year"] > today.year:
        errors["birth_year"] = _("The year of birth cannot be in the future.")
    if fields.get("birth_year") and fields["birth_year"] < 1900:
        errors["birth_year"] = _("Enter a year after 1900.")
    if fields.get("birth_date") and fields.get("birth_year"):
        errors["birth_year"] = _("Give either the date of birth or an estimated year, not both.")
    if not (fields.get("given_name") or "").strip():
        errors["given_name"] = _("A given name is needed (a first name or an alias).")
    if errors:
        raise ValidationError(errors)


def _extra(person: Person) -> dict:
    return {"teams": sorted(person.team_links.values_list("team_id", flat=True))}


@transaction.atomic
def create_person(actor, *, teams, roles=(), not_duplicate_of=(), **fields) -> Person:
    """Register a person. ``not_duplicate_of``: the likely duplicates the user was shown
    and declared to be other people (kept in the audit entry)."""
    teams = list(teams)
    if not teams:
        raise ValidationError({"teams": _("Choose at least one team.")})
    if actor is not None:
        _require_editor(actor, teams)
    validate_person(fields)
    person = Person(**{name: fields[name] for name in PERSON_FIELDS if name in fields})
    person.refresh_names()
    for _attempt in range(5):
        person.reference = reference_code("P")
        try:
            with transaction.atomic():
                person.save()
            break
        except IntegrityError:
            if Person.objects.filter(reference=person.reference).exists():
                person.pk = None
                continue
            raise
    PersonTeam.objects.bulk_create([PersonTeam(person=person, team=team) for team in teams])
    PersonRole.objects.bulk_create(
        [PersonRole(person=person, role=role, start=timezone.localdate()) for role in roles]
    )
    extra = {**_extra(person), "roles": sorted(roles)}
    if not_duplicate_of:
        extra["confirmed_not_duplicate_of"] = sorted(not_duplicate_of, key=str)
    record_created(actor, person, extra=extra)
    return person


@transaction.atomic
def update_person(actor, person: Person, *, version: int, **fields) -> Person:
    """Save an edit made on ``version``; a newer version on file raises StaleEdit."""
    if not can_edit_people(actor):
        raise PermissionDenied
    current = Person.objects.select_for_update().get(pk=person.pk)
    refuse_erased(current)
    if current.version != version:
        raise StaleEdit(current)
    merged = {name: getattr(current, name) for name in PERSON_FIELDS} | fields
    validate_person(merged)
    before = snapshot(current)
    for name, value in fields.items():
        if name in PERSON_FIELDS:
            setattr(current, name, value)
    current.refresh_names()
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current


@transaction.atomic
def add_role(actor, person: Person, role: str, *, start=None) -> PersonRole:
    if not can_edit_people(actor):
        raise PermissionDenied
    refuse_erased(person)
    if person.roles.filter(role=role, end__isnull=True).exists():
        raise ValidationError({"role": _("This person already has this role.")})
    start = start or timezone.localdate()
    if start > timezone.localdate():
        raise ValidationError({"start": _("The start cannot be in the future.")})
    facet = PersonRole.objects.create(person=person, role=role, start=start)
    record_created(actor, facet)
    return facet


@transaction.atomic
def end_role(actor, facet: PersonRole, *, end=None) -> PersonRole:
    """Close a role facet on ``end`` (today by default); the history stays."""
    if not can_edit_people(actor):
        raise PermissionDenied
    refuse_erased(facet.person)
    end = end or timezone.localdate()
    if facet.end is not None:
        raise ValidationError({"end": _("This role has already ended.")})
    if facet.start and end < facet.start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if end > timezone.localdate():
        raise ValidationError({"end": _("The end cannot be in the future.")})
    before = snapshot(facet)
    facet.end = end
    facet.save(update_fields=["end"])
    record_updated(actor, facet, before)
    return facet


@transaction.atomic
def end_relationship(actor, link: Relationship, *, end=None) -> Relationship:
    """Record that a relationship ended (a carer no longer cares, a partnership ended)."""
    if not can_edit_people(actor):
        raise PermissionDenied
    refuse_erased(link.person, link.relative)
    end = end or timezone.localdate()
    if link.end is not None:
        raise ValidationError({"end": _("This relationship has already ended.")})
    if link.start and end < link.start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if end > timezone.localdate():
        raise ValidationError({"end": _("The end cannot be in the future.")})
    before = snapshot(link)
    link.end = end
    link.lives_with = False
    link.save(update_fields=["end", "lives_with"])
    record_updated(actor, link, before)
    return link


def ancestors(person_id: int) -> set[int]:
    """Everyone who is (through current parent links) a parent figure of ``person_id``."""
    seen: set[int] = set()
    frontier = {person_id}
    while frontier:
        parents = set(
            Relationship.objects.filter(
                person_id__in=frontier, kind__in=PARENT_KINDS, end__isnull=True
            ).values_list("relative_id", flat=True)
        )
        frontier = parents - seen
        seen |= parents
    return seen


@transaction.atomic
def add_relationship(actor, person: Person, relative: Person, kind: str, **fields) -> Relationship:
    """Record that ``relative`` is the ``kind`` of ``person`` (actor None: the system)."""
    if actor is not None and not can_edit_people(actor):
        raise PermissionDenied
    if person.pk == relative.pk:
        raise ValidationError({"relative": _("A person cannot be their own relative.")})
    refuse_erased(person, relative)
    if kind in PARENT_KINDS and person.pk in ancestors(relative.pk):
        raise ValidationError(
            {
                "relative": _(
                    "This would make someone their own ancestor. Check who is whose parent."
                )
            }
        )
    if Relationship.objects.filter(
        person=person, relative=relative, kind=kind, end__isnull=True
    ).exists():
        raise ValidationError({"relative": _("This relationship is already recorded.")})
    link = Relationship.objects.create(person=person, relative=relative, kind=kind, **fields)
    record_created(actor, link)
    return link


@transaction.atomic
def share_person(actor, person: Person, team) -> None:
    """Let another team see a person (administrators only)."""
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied
    refuse_erased(person)
    if not team.is_active:
        raise ValidationError({"team": _("This team is no longer active.")})
    if person.team_links.filter(team=team).exists():
        raise ValidationError({"team": _("This team already sees this person.")})
    before = snapshot(person, extra=_extra(person))
    PersonTeam.objects.create(person=person, team=team, shared=True)
    record_updated(actor, person, before, extra=_extra(person))


@transaction.atomic
def unshare_person(actor, person: Person, team) -> None:
    """Stop sharing a person with a team it was shared with (administrators only).

    The owning team(s) stay: a person always belongs to at least one team.
    """
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied
    link = person.team_links.filter(team=team).first()
    if link is None or not link.shared:
        raise ValidationError({"team": _("Only a team the person was shared with can be removed.")})
    before = snapshot(person, extra=_extra(person))
    link.delete()
    record_updated(actor, person, before, extra=_extra(person))
