import datetime as dt
import functools
import inspect

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.people import actions, merge
from kinbridge.people.models import (
    MergedPerson,
    Person,
    PersonRole,
    PersonTeam,
    Relationship,
    RelationshipKind,
)

BORN = dt.date(1998, 4, 17)


def add(team, given, family="", born=None, **extra):
    return actions.create_person(
        None, teams=[team], given_name=given, family_name=family, birth_date=born, **extra
    )


# One row builder per link to Person: (person the row must point at, a third person).
# A model added later with a foreign key to Person needs a line here; the guard test
# below fails until it has one, so the "merge moves every link" test covers it too.
def _facility():
    from kinbridge.accounts.models import Region
    from kinbridge.facilities.models import Facility

    region, _ = Region.objects.get_or_create(name="Samara Region", country="RU")
    facility, _ = Facility.objects.get_or_create(
        name="IK-15",
        region=region,
        defaults={"kind": "womens_colony", "children_capacity": 9, "child_age_limit_months": 36},
    )
    return facility


def _episode(person, other):
    from kinbridge.custody.models import CustodyEpisode

    return CustodyEpisode.objects.create(
        person=person,
        facility=_facility(),
        status="released",
        start=dt.date(2018, 1, 1),
        end=dt.date(2019, 1, 1),
        expected_release=dt.date(2019, 1, 1),
    )


def _stay(child, mother, carer=None, year=2019):
    from kinbridge.custody.models import ChildResidence

    return ChildResidence.objects.create(
        child=child,
        mother=mother,
        carer=carer,
        facility=_facility(),
        start=dt.date(year, 1, 1),
        end=dt.date(year, 6, 1),
    )


def _consent(person, given_by, purpose):
    from kinbridge.consents.models import Consent

    return Consent.objects.create(
        person=person, given_by=given_by, purpose=purpose, given_on=BORN, method="written"
    )


def _session(person):
    from django.utils import timezone

    from kinbridge.accounts.models import Team
    from kinbridge.programmes.models import Session

    start = timezone.now() - dt.timedelta(days=10)
    return Session.objects.create(
        team=Team.objects.first(),
        kind="class",
        topic=f"Class {person.pk}",
        place_kind="community",
        start=start,
        end=start + dt.timedelta(hours=2),
        status="held",
    )


def _course(person):
    from kinbridge.accounts.models import Team
    from kinbridge.programmes.models import Course

    return Course.objects.create(
        team=Team.objects.first(), title=f"Course {person.pk}", planned_sessions=6
    )


def _programme_row(model_name, person, other):
    from kinbridge.programmes import models as programmes

    if model_name == "attendance.person":
        return programmes.Attendance.objects.create(
            session=_session(person), person=person, status="present"
        )
    if model_name == "attendance.with_adult":
        return programmes.Attendance.objects.create(
            session=_session(person), person=other, with_adult=person, status="present"
        )
    if model_name == "enrolment.person":
        return programmes.Enrolment.objects.create(course=_course(person), person=person)
    if model_name == "handoutreceipt.person":
        handout = programmes.Handout.objects.create(session=_session(person), title="Week 1")
        return programmes.HandoutReceipt.objects.create(handout=handout, person=person)
    if model_name == "registerline.person":
        sheet = programmes.RegisterSheet.objects.create(session=_session(person))
        return programmes.RegisterLine.objects.create(sheet=sheet, number=1, person=person)
    if model_name == "externalfacilitator.person":
        return programmes.ExternalFacilitator.objects.create(
            session=_session(person), person=person
        )
    raise AssertionError(model_name)


def _case(client):
    from kinbridge.casework.models import Case

    team = client.teams.first()
    return Case.objects.create(
        reference=f"C-T{Case.objects.count():05d}",
        client=client,
        team=team,
        case_type="family_casework",
        opened_on=dt.date(2025, 1, 1),
    )


def _casework_row(model_name, person, other):
    from kinbridge.accounts.models import User
    from kinbridge.casework.models import CaseMember, Referral, Service

    if model_name == "case.client":
        return _case(person)
    if model_name == "casemember.person":
        return CaseMember.objects.create(case=_case(other), person=person, role_in_case="sister")
    if model_name == "service.recipient":
        case = _case(person)
        return Service.objects.create(
            case=case,
            service_type="counselling",
            mode="phone",
            date=dt.date(2025, 2, 1),
            duration_minutes=30,
            worker=User.objects.first(),
            recipient=person,
        )
    if model_name == "referral.person":
        from django.utils import timezone

        case = _case(other)
        return Referral.objects.create(
            reference=f"R-T{person.pk:05d}",
            source="self",
            received_on=dt.date(2025, 1, 1),
            given_name="Mariia",
            status="accepted",
            person=person,
            case=case,
            decided_at=timezone.now(),
        )
    raise AssertionError(model_name)


ROW_FACTORIES = {
    **{
        f"casework.{name}": functools.partial(_casework_row, name)
        for name in ("case.client", "casemember.person", "service.recipient", "referral.person")
    },
    **{
        f"programmes.{name}": functools.partial(_programme_row, name)
        for name in (
            "attendance.person",
            "attendance.with_adult",
            "enrolment.person",
            "handoutreceipt.person",
            "registerline.person",
            "externalfacilitator.person",
        )
    },
    "consents.consent.person": lambda person, other: _consent(person, other, "photos"),
    "consents.consent.given_by": lambda person, other: _consent(other, person, "evaluation"),
    "custody.custodyepisode.person": _episode,
    "custody.childresidence.child": lambda person, other: _stay(person, other, year=2019),
    "custody.childresidence.mother": lambda person, other: _stay(other, person, year=2020),
    "custody.childresidence.carer": lambda person, other: _stay(
        other, Person.objects.exclude(pk__in=[person.pk, other.pk]).first(), person, 2021
    ),
    "people.mergedperson.person": lambda person, other: MergedPerson.objects.create(
        person=person, old_id=10_000 + person.pk, old_reference=f"P-OLD{person.pk:03d}"
    ),
    "people.personrole.person": lambda person, other: PersonRole.objects.create(
        person=person, role="volunteer", start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)
    ),
    "people.personteam.person": lambda person, other: None,  # every person has a team
    "people.relationship.person": lambda person, other: Relationship.objects.create(
        person=person, relative=other, kind=RelationshipKind.MOTHER
    ),
    "people.relationship.relative": lambda person, other: Relationship.objects.create(
        person=other, relative=person, kind=RelationshipKind.SIBLING
    ),
}


def test_every_link_to_person_has_a_row_factory_in_this_test():
    labels = {merge.link_label(link) for link in merge.person_links()}
    missing = sorted(labels - set(ROW_FACTORIES))
    assert not missing, f"add a row builder to ROW_FACTORIES for: {missing}"


def test_the_mover_finds_every_foreign_key_to_person_in_every_app():
    declared = {
        field
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Person
    }
    assert declared == set(merge.person_links())
    assert declared  # the registry's own links at least


def test_every_foreign_key_to_person_protects_and_targets_the_id():
    for link in merge.person_links():
        label = merge.link_label(link)
        assert link.remote_field.on_delete is models.PROTECT, f"{label}: use on_delete=PROTECT"
        assert link.target_field.attname == "id", f"{label}: point at Person's id"


def test_every_merge_hook_follows_the_protocol():
    for model in merge.linked_models():
        hook = getattr(model, "merge_people", None)
        if hook is None:
            continue
        assert inspect.ismethod(hook) and hook.__self__ is model, f"{model}: a classmethod"
        assert list(inspect.signature(hook).parameters) == ["keep", "drop"], model


@pytest.fixture
def pair(team_a, team_b):
    keep = add(team_a, "Мария", "Иванова", BORN, roles=["prisoner"], phone="+7 900 1")
    drop = add(team_b, "Mariia", "Ivanova", None, roles=["relative"], email="m@example.org")
    third = add(team_b, "Lena", "Ivanova", dt.date(2024, 2, 1), roles=["child"])
    return keep, drop, third


def linked_counts(person):
    return {
        merge.link_label(link): merge.rows_linked(link, person).count()
        for link in merge.person_links()
    }


def totals():
    return {model._meta.label: model._base_manager.count() for model in merge.linked_models()}


@pytest.mark.django_db
def test_merge_moves_every_link_and_loses_nothing(personas, pair):
    keep, drop, third = pair
    for link in merge.person_links():
        ROW_FACTORIES[merge.link_label(link)](drop, third)
    from_drop, at_keep, before = linked_counts(drop), linked_counts(keep), totals()
    assert all(from_drop.values()), from_drop  # a row of every kind points at drop
    old_ids = {
        merge.link_label(link): set(merge.rows_linked(link, drop).values_list("pk", flat=True))
        for link in merge.person_links()
    }

    merge.merge_people(personas["administrator"], keep, drop)

    assert not Person.objects.filter(pk=drop.pk).exists()
    after = linked_counts(keep)
    for label, count in from_drop.items():
        new = 1 if label == "people.mergedperson.person" else 0  # the record of this merge
        assert after[label] == at_keep[label] + count + new, label
    for link in merge.person_links():
        moved = merge.rows_linked(link, keep).values_list("pk", flat=True)
        assert old_ids[merge.link_label(link)] <= set(moved)
    assert totals() == before | {"people.MergedPerson": before["people.MergedPerson"] + 1}


@pytest.mark.django_db
def test_merge_fills_empty_fields_and_records_everything(personas, pair):
    keep, drop, _third = pair
    Person.objects.filter(pk=drop.pk).update(phone="+370 600 2", birth_year=1998)
    drop.refresh_from_db()
    merge.merge_people(personas["administrator"], keep, drop)
    keep.refresh_from_db()
    assert keep.email == "m@example.org"  # filled from drop
    assert keep.phone == "+7 900 1"  # kept
    assert sorted(keep.teams.values_list("name", flat=True)) == ["Team A", "Team B"]
    assert sorted(keep.roles.values_list("role", flat=True)) == ["prisoner", "relative"]

    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(keep.pk))
    assert event.extra["merge"]["kept"] == {"id": keep.pk, "reference": keep.reference}
    assert event.extra["merge"]["merged"]["id"] == drop.pk
    assert event.extra["merge"]["merged"]["reference"] == drop.reference
    assert event.extra["differing"]["phone"] == ["+7 900 1", "+370 600 2"]
    assert event.extra["moved"]["people.personteam.person"] == 1
    assert event.changes["email"] == ["", "m@example.org"]
    deleted = AuditEvent.objects.get(action=Action.DELETE, object_id=str(drop.pk))
    assert deleted.extra["merged_into"]["id"] == keep.pk


@pytest.mark.django_db
def test_an_exact_date_of_birth_replaces_an_estimate(personas, team_a):
    keep = add(team_a, "Ona", "Jonaitienė", None, birth_year=1970)
    drop = add(team_a, "Ona", "Jonaitiene", dt.date(1971, 3, 2))
    merge.merge_people(personas["administrator"], keep, drop)
    keep.refresh_from_db()
    assert (keep.birth_date, keep.birth_year) == (dt.date(1971, 3, 2), None)


@pytest.mark.django_db
def test_conflicting_links_are_kept_once_and_recorded(personas, team_a, pair):
    keep, drop, third = pair
    admin = personas["administrator"]
    actions.share_person(admin, drop, team_a)  # both now in team A (drop's link is shared)
    PersonRole.objects.create(person=drop, role="prisoner", start=dt.date(2019, 5, 1))
    keep_mother = Relationship.objects.create(person=third, relative=keep, kind="mother")
    Relationship.objects.create(
        person=third, relative=drop, kind="mother", parental_responsibility=True
    )
    Relationship.objects.create(person=keep, relative=drop, kind="sibling")  # between them

    merge.merge_people(admin, keep, drop)

    assert keep.team_links.count() == 2
    assert not keep.team_links.get(team__name="Team A").shared
    prisoner = keep.roles.get(role="prisoner", end__isnull=True)
    assert prisoner.start == dt.date(2019, 5, 1)  # the earlier start
    keep_mother.refresh_from_db()
    assert keep_mother.parental_responsibility
    assert Relationship.objects.filter(person=third, relative=keep, kind="mother").count() == 1
    assert not Relationship.objects.filter(person=keep, relative=keep).exists()
    event = AuditEvent.objects.get(
        action=Action.UPDATE, object_id=str(keep.pk), extra__has_key="merge"
    )
    resolved = event.extra["resolved"]
    assert resolved["people.personteam"]["removed_duplicates"][0]["team_id"] == team_a.pk
    assert resolved["people.personrole"]["removed_duplicates"][0]["start"] == "2019-05-01"
    relationship = resolved["people.relationship"]
    assert relationship["removed_links_between_them"][0]["kind"] == "sibling"
    assert relationship["removed_duplicates"][0]["parental_responsibility"] is True


@pytest.mark.django_db
def test_a_person_cannot_be_merged_with_themselves(client, personas, pair):
    keep, _drop, _third = pair
    with pytest.raises(ValidationError) as refused:
        merge.merge_people(personas["administrator"], keep, keep)
    assert "themselves" in refused.value.message_dict["drop"][0]

    client.force_login(personas["administrator"])
    page = client.get(reverse("people:merge", args=[keep.pk]), {"other": keep.pk})
    assert "cannot be merged with themselves" in page.content.decode()
    posted = client.post(
        reverse("people:merge", args=[keep.pk]),
        {"other": keep.pk, "keep": keep.pk, "confirm": "on"},
    )
    assert "cannot be merged with themselves" in posted.content.decode()
    api = client.post(
        f"/api/v1/people/{keep.pk}/merge/", {"drop": keep.pk}, content_type="application/json"
    )
    assert api.status_code == 400
    assert "themselves" in api.json()["drop"][0]
    assert Person.objects.filter(pk=keep.pk).exists()
    assert not MergedPerson.objects.exists()


@pytest.mark.django_db
def test_a_hook_refusing_rolls_everything_back(personas, team_a, pair, monkeypatch):
    keep, drop, _third = pair
    actions.share_person(personas["administrator"], drop, team_a)  # a team link to dedupe

    def refuse(cls, keep, drop):
        raise ValidationError({"drop": "Overlapping custody episodes."})

    # Hooks run in model order; the relationship hook comes after the team hook.
    monkeypatch.setattr(Relationship, "merge_people", classmethod(refuse))
    before_keep, before_drop, before = linked_counts(keep), linked_counts(drop), totals()
    with pytest.raises(ValidationError, match="Overlapping custody"):
        merge.merge_people(personas["administrator"], keep, drop)
    assert Person.objects.filter(pk=drop.pk).exists()
    assert (linked_counts(keep), linked_counts(drop), totals()) == (
        before_keep,
        before_drop,
        before,
    )
    assert not AuditEvent.objects.filter(extra__has_key="merge").exists()


@pytest.mark.django_db
def test_a_database_conflict_no_hook_resolved_is_refused_cleanly(
    personas, team_a, pair, monkeypatch
):
    keep, drop, _third = pair
    actions.share_person(personas["administrator"], drop, team_a)
    monkeypatch.setattr(PersonTeam, "merge_people", classmethod(lambda cls, keep, drop: None))
    with pytest.raises(ValidationError) as refused:
        merge.merge_people(personas["administrator"], keep, drop)
    assert "cannot be combined" in refused.value.message_dict["drop"][0]
    assert drop.team_links.count() == 2
    assert Person.objects.filter(pk=drop.pk).exists()


@pytest.mark.django_db
def test_a_merge_that_makes_someone_their_own_ancestor_is_refused(personas, pair):
    keep, drop, third = pair
    Relationship.objects.create(person=third, relative=keep, kind="mother")  # keep: third's mother
    Relationship.objects.create(person=drop, relative=third, kind="mother")  # third: drop's mother
    with pytest.raises(ValidationError, match="own ancestor"):
        merge.merge_people(personas["administrator"], keep, drop)
    assert Person.objects.filter(pk=drop.pk).exists()


@pytest.mark.django_db
def test_only_administrators_merge(personas, pair):
    keep, drop, _third = pair
    from django.core.exceptions import PermissionDenied

    for persona in ("programme_manager", "caseworker_b"):
        with pytest.raises(PermissionDenied):
            merge.merge_people(personas[persona], keep, drop)


@pytest.mark.django_db
def test_merge_page_flow_and_old_references(client, personas, pair):
    keep, drop, _third = pair
    client.force_login(personas["administrator"])
    search = client.get(reverse("people:merge", args=[keep.pk]), {"q": "Ivanova"})
    assert drop in list(search.context["found"])
    assert keep not in list(search.context["found"])
    compare = client.get(reverse("people:merge", args=[keep.pk]), {"other": drop.pk})
    assert compare.status_code == 200
    assert drop.reference in compare.content.decode()
    unconfirmed = client.post(
        reverse("people:merge", args=[keep.pk]), {"other": drop.pk, "keep": keep.pk}
    )
    assert "confirm" in unconfirmed.context["form"].errors
    assert Person.objects.filter(pk=drop.pk).exists()

    # Keep the other one this time: the page's own person is merged away.
    done = client.post(
        reverse("people:merge", args=[keep.pk]),
        {"other": drop.pk, "keep": drop.pk, "confirm": "on"},
    )
    assert done.status_code == 302
    assert not Person.objects.filter(pk=keep.pk).exists()
    # The old id redirects to the kept person; the old reference finds them.
    old = client.get(reverse("people:detail", args=[keep.pk]))
    assert old.status_code == 302
    assert old["Location"] == reverse("people:detail", args=[drop.pk])
    assert list(Person.objects.search(keep.reference)) == [drop]
    assert list(Person.objects.search(keep.reference.lower())) == [drop]


@pytest.mark.django_db
def test_old_ids_of_invisible_people_still_answer_404(client, personas, team_b):
    keep = add(team_b, "Maria", "Ivanova", BORN)
    drop = add(team_b, "Maria", "Ivanova", BORN)
    merge.merge_people(personas["administrator"], keep, drop)
    client.force_login(personas["caseworker"])  # team A
    assert client.get(reverse("people:detail", args=[drop.pk])).status_code == 404
    client.force_login(personas["caseworker_b"])
    assert client.get(reverse("people:detail", args=[drop.pk])).status_code == 302


@pytest.mark.django_db
def test_merging_chains_collapse(personas, team_a):
    first = add(team_a, "Ona", "Jonaitienė", BORN)
    second = add(team_a, "Ona", "Jonaitiene", BORN)
    third = add(team_a, "Ona", "Jonaitienė", BORN)
    admin = personas["administrator"]
    merge.merge_people(admin, second, first)
    merge.merge_people(admin, third, second)
    assert set(MergedPerson.objects.values_list("old_id", "person_id")) == {
        (first.pk, third.pk),
        (second.pk, third.pk),
    }


@pytest.mark.django_db
def test_merge_of_an_invisible_person_answers_404(client, personas, team_a, team_b):
    mine = add(team_a, "Maria", "Ivanova", BORN)
    theirs = add(team_b, "Maria", "Ivanova", BORN)
    client.force_login(personas["caseworker"])
    assert client.get(reverse("people:merge", args=[theirs.pk])).status_code == 404
    assert (
        client.post(
            f"/api/v1/people/{theirs.pk}/merge/", {"drop": mine.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    # An administrator of the API: the other record must exist and be visible.
    client.force_login(personas["administrator"])
    missing = client.post(
        f"/api/v1/people/{mine.pk}/merge/", {"drop": 999_999}, content_type="application/json"
    )
    assert missing.status_code == 404
    ok = client.post(
        f"/api/v1/people/{mine.pk}/merge/", {"drop": theirs.pk}, content_type="application/json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["id"] == mine.pk


@pytest.mark.django_db
def test_erased_people_cannot_be_merged(personas, pair):
    from kinbridge.people.erasure import erase_person

    keep, drop, _third = pair
    erase_person(personas["administrator"], drop, reason="request", confirmation=drop.reference)
    drop.refresh_from_db()
    with pytest.raises(ValidationError, match="erased"):
        merge.merge_people(personas["administrator"], keep, drop)


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"drop": "abc"}, {"drop": None}])
def test_bad_merge_input_over_the_api_changes_nothing(client, personas, pair, body):
    keep, drop, _third = pair
    client.force_login(personas["administrator"])
    before = totals()
    response = client.post(
        f"/api/v1/people/{keep.pk}/merge/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "drop" in response.json()
    assert totals() == before
    assert Person.objects.filter(pk=drop.pk).exists()
