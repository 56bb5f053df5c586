import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.custody import actions
from kinbridge.custody.models import ChildResidence, CustodyEpisode, CustodyStatus
from kinbridge.custody.tests.conftest import add_person, mother_of
from kinbridge.facilities.models import Facility, FacilityKind

pytestmark = pytest.mark.django_db


def record(person, facility, start, **fields):
    fields.setdefault("status", CustodyStatus.SENTENCED)
    return actions.record_episode(None, person, facility=facility, start=start, **fields)


def refused(call) -> dict:
    """Run ``call``; it must refuse. Return the messages by field."""
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": dt.date(2026, 6, 20)}, "start", "more than 7 days ahead"),
        (
            {"start": dt.date(2025, 1, 1), "expected_release": dt.date(2024, 1, 1)},
            "expected_release",
            "expected release cannot be before the start",
        ),
        (
            {"start": dt.date(2025, 1, 1), "parole_eligibility": dt.date(2024, 12, 31)},
            "parole_eligibility",
            "Parole eligibility cannot be before",
        ),
        (
            {"start": dt.date(2025, 1, 1), "end": dt.date(2024, 1, 1), "status": "released"},
            "end",
            "release or transfer date cannot be before the start",
        ),
        ({"start": dt.date(2025, 1, 1), "status": "released"}, "end", "Give the date"),
        (
            {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 2, 1), "status": "remand"},
            "end",
            "choose that status",
        ),
        ({"start": dt.date(2025, 1, 1), "status": "escaped"}, "status", "Choose a status"),
    ],
)
def test_bad_episode_dates_are_refused_at_the_field(today, team_b, places, fields, field, message):
    maria = add_person(team_b, "Мария")
    fields.setdefault("status", CustodyStatus.REMAND)
    errors = refused(lambda: actions.record_episode(None, maria, facility=places["ik15"], **fields))
    assert message in " ".join(errors[field])
    assert not CustodyEpisode.objects.exists()


def test_custody_is_not_in_a_community_venue(today, team_b, places, regions):
    hall = Facility.objects.create(
        name="Family centre", kind=FacilityKind.COMMUNITY_VENUE, region=regions["a"]
    )
    maria = add_person(team_b, "Мария")
    errors = refused(lambda: record(maria, hall, dt.date(2026, 1, 1)))
    assert errors["facility"] == ["Family centre is a community venue, not a place of custody."]
    episode = record(maria, places["ik15"], dt.date(2026, 1, 1))
    errors = refused(lambda: actions.transfer(None, episode, facility=hall, date=today))
    assert "community venue" in errors["facility"][0]


def test_a_date_up_to_a_week_ahead_is_accepted(today, team_b, places):
    maria = add_person(team_b, "Мария")
    assert record(maria, places["ik15"], today + dt.timedelta(days=7)).is_open


def test_overlapping_episodes_are_refused(today, team_b, places):
    maria = add_person(team_b, "Мария")
    record(maria, places["ik18"], dt.date(2020, 1, 1), status="released", end=dt.date(2021, 1, 1))
    errors = refused(
        lambda: record(
            maria, places["ik15"], dt.date(2020, 6, 1), status="released", end=dt.date(2022, 1, 1)
        )
    )
    assert "overlaps the custody at IK-18 from Jan. 1, 2020 to Jan. 1, 2021" in (errors["start"][0])
    # Touching is not overlapping: a new episode may start the day the last one ended.
    current = record(maria, places["ik15"], dt.date(2021, 1, 1))
    errors = refused(lambda: record(maria, places["ik18"], dt.date(2026, 1, 1)))
    assert "since Jan. 1, 2021, which is still open" in errors["start"][0]
    # An old episode recorded later must not overlap the open one either.
    errors = refused(
        lambda: record(
            maria, places["ik18"], dt.date(2022, 1, 1), status="released", end=dt.date(2022, 6, 1)
        )
    )
    assert "still open" in errors["start"][0]
    assert list(
        maria.custody_episodes.order_by("start").values_list("facility__name", flat=True)
    ) == [
        "IK-18",
        "IK-15",
    ]
    assert current.is_open


def test_the_database_holds_one_open_episode_and_dates_in_order(today, team_b, places):
    maria = add_person(team_b, "Мария")
    record(maria, places["ik15"], dt.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEpisode.objects.create(
            person=maria, facility=places["ik18"], status="remand", start=dt.date(2026, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEpisode.objects.create(
            person=maria,
            facility=places["ik18"],
            status="released",
            start=dt.date(2019, 1, 1),
            end=dt.date(2018, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEpisode.objects.create(
            person=maria,
            facility=places["ik18"],
            status="remand",  # open status with an end date
            start=dt.date(2019, 1, 1),
            end=dt.date(2019, 6, 1),
        )


def test_the_database_refuses_overlaps_written_past_the_actions(today, team_b, places):
    """An exclusion constraint on PostgreSQL, triggers on SQLite."""
    maria = add_person(team_b, "Мария")
    record(maria, places["ik15"], dt.date(2020, 1, 1), status="released", end=dt.date(2021, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEpisode.objects.create(
            person=maria,
            facility=places["ik18"],
            status="released",
            start=dt.date(2020, 6, 1),
            end=dt.date(2020, 9, 1),
        )
    later = CustodyEpisode.objects.create(  # touching is fine
        person=maria, facility=places["ik18"], status="remand", start=dt.date(2021, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():  # moved into the past
        CustodyEpisode.objects.filter(pk=later.pk).update(start=dt.date(2020, 12, 1))
    artyom = add_person(team_b, "Артём", born=dt.date(2020, 3, 1))
    ChildResidence.objects.create(
        child=artyom,
        mother=maria,
        facility=places["ik15"],
        start=dt.date(2020, 3, 1),
        end=dt.date(2020, 8, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildResidence.objects.create(
            child=artyom, mother=maria, facility=places["ik18"], start=dt.date(2020, 7, 1)
        )


def test_update_moves_remand_to_sentenced_with_a_new_release(today, family, personas):
    episode = actions.update_episode(
        personas["caseworker_b"],
        family["episode"],
        status=CustodyStatus.REMAND,
        expected_release=dt.date(2027, 9, 1),
    )
    episode.refresh_from_db()
    assert (episode.status, episode.expected_release) == ("remand", dt.date(2027, 9, 1))
    event = AuditEvent.objects.filter(action=Action.UPDATE).latest("id")
    assert event.changes["expected_release"] == ["2027-03-01", "2027-09-01"]
    assert "person" not in event.changes
    errors = refused(lambda: actions.update_episode(None, episode, status="released"))
    assert "record a release or a transfer" in errors["status"][0]
    errors = refused(
        lambda: actions.update_episode(None, episode, expected_release=dt.date(2020, 1, 1))
    )
    assert "expected_release" in errors


def test_update_cannot_start_after_the_child_moved_in(today, family):
    actions.place_child(
        None, child=family["artyom"], mother=family["maria"], start=dt.date(2025, 3, 10)
    )
    errors = refused(
        lambda: actions.update_episode(None, family["episode"], start=dt.date(2025, 4, 1))
    )
    assert "since March 10, 2025" in errors["start"][0]


def test_transfer_keeps_history(today, family, places, personas):
    old = family["episode"]
    new = actions.transfer(
        personas["caseworker_b"], old, facility=places["ik18"], date=dt.date(2026, 5, 20)
    )
    old.refresh_from_db()
    assert (old.status, old.end) == ("transferred", dt.date(2026, 5, 20))
    assert (new.facility, new.start, new.status, new.previous) == (
        places["ik18"],
        dt.date(2026, 5, 20),
        "sentenced",
        old,
    )
    assert new.expected_release == dt.date(2027, 3, 1)
    assert old.next == new
    assert list(family["maria"].custody_episodes.values_list("facility__name", flat=True)) == [
        "IK-18",
        "IK-15",
    ]
    assert AuditEvent.objects.filter(object_type="custody.custodyepisode").count() == 3


@pytest.mark.parametrize(
    ("where", "date", "field", "message"),
    [
        ("ik15", dt.date(2026, 5, 1), "facility", "already at IK-15"),
        ("ik18", dt.date(2024, 12, 1), "date", "cannot be before custody at IK-15 began"),
        ("ik18", dt.date(2026, 7, 1), "date", "days ahead"),
    ],
)
def test_bad_transfers_are_refused(today, family, places, where, date, field, message):
    errors = refused(
        lambda: actions.transfer(None, family["episode"], facility=places[where], date=date)
    )
    assert message in errors[field][0]
    assert CustodyEpisode.objects.count() == 1
    assert CustodyEpisode.objects.get().is_open


def test_a_child_moves_with_the_mother_only_when_asked(today, family, places):
    maria, artyom = family["maria"], family["artyom"]
    actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    errors = refused(
        lambda: actions.transfer(
            None, family["episode"], facility=places["ik18"], date=dt.date(2026, 5, 1)
        )
    )
    assert "Артём Иванов still lives with her at IK-15" in errors["children_move_with_her"][0]
    # A facility without a children's unit cannot take him: nothing changes.
    errors = refused(
        lambda: actions.transfer(
            None,
            family["episode"],
            facility=places["sizo"],
            date=dt.date(2026, 5, 1),
            children_move_with_her=True,
        )
    )
    assert "SIZO-1 has no children's home" in errors["children_move_with_her"][0]
    assert CustodyEpisode.objects.get().is_open
    assert ChildResidence.objects.get().end is None

    new = actions.transfer(
        None,
        family["episode"],
        facility=places["ik18"],
        date=dt.date(2026, 5, 1),
        children_move_with_her=True,
    )
    old_stay, new_stay = ChildResidence.objects.order_by("start")
    assert (old_stay.end, old_stay.next_place, old_stay.carer) == (
        dt.date(2026, 5, 1),
        "With the mother, transferred to IK-18",
        maria,
    )
    assert (new_stay.facility, new_stay.start, new_stay.end) == (new.facility, new.start, None)


def test_release(today, family, places):
    episode = family["episode"]
    errors = refused(lambda: actions.release(None, episode, date=dt.date(2024, 1, 1)))
    assert "cannot be before custody began (Jan. 10, 2025)" in errors["date"][0]
    released = actions.release(None, episode, date=dt.date(2026, 5, 31))
    assert (released.status, released.end) == ("released", dt.date(2026, 5, 31))
    errors = refused(lambda: actions.release(None, episode, date=dt.date(2026, 5, 31)))
    assert "already ended" in errors["__all__"][0]


def test_release_refuses_while_a_child_lives_with_her(today, family):
    maria, artyom, episode = family["maria"], family["artyom"], family["episode"]
    actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    errors = refused(lambda: actions.release(None, episode, date=dt.date(2026, 5, 31)))
    assert "Артём Иванов still lives with her at IK-15" in errors["children_leave_with_her"][0]
    assert CustodyEpisode.objects.get().is_open

    actions.release(None, episode, date=dt.date(2026, 5, 31), children_leave_with_her=True)
    stay = ChildResidence.objects.get()
    assert (stay.end, stay.next_place, stay.carer) == (
        dt.date(2026, 5, 31),
        "With the mother, on her release",
        maria,
    )


def test_a_child_is_placed_with_the_mother(today, family, personas):
    stay = actions.place_child(
        personas["caseworker_b"],
        child=family["artyom"],
        mother=family["maria"],
        start=dt.date(2025, 3, 10),
    )
    assert stay.facility.name == "IK-15"
    assert stay.stay_limit(dt.date(2027, 3, 1)) == dt.date(2028, 3, 10)
    assert AuditEvent.objects.filter(
        object_type="custody.childresidence", action=Action.CREATE
    ).exists()


def test_placing_a_child_checks_every_rule(today, team_b, family, places):
    maria, artyom = family["maria"], family["artyom"]

    def place(child=artyom, mother=maria, start=dt.date(2026, 1, 1), **extra):
        return refused(
            lambda: actions.place_child(None, child=child, mother=mother, start=start, **extra)
        )

    undated = add_person(team_b, "Без даты")
    mother_of(undated, maria)
    assert "date of birth first" in place(child=undated)["child"][0]
    stranger = add_person(team_b, "Чужой", born=dt.date(2025, 1, 1))
    assert "not recorded as this child's mother" in place(child=stranger)["child"][0]
    assert "born on March 10, 2025, after this date" in place(start=dt.date(2025, 3, 1))["start"][0]
    assert "only since Jan. 10, 2025" in place(start=dt.date(2025, 1, 5))["start"][0]
    assert "not here" in place(facility=places["ik18"])["facility"][0]
    free = add_person(team_b, "Анна", born=dt.date(1990, 1, 1))
    mother_of(stranger, free)
    assert "not in custody now" in place(child=stranger, mother=free)["mother"][0]
    assert "cannot live with themselves" in place(child=maria)["child"][0]
    assert not ChildResidence.objects.exists()


def test_a_mother_on_remand_without_a_children_unit(today, team_b, places):
    olga = add_person(team_b, "Ольга")
    baby = add_person(team_b, "Малыш", born=dt.date(2026, 1, 1))
    mother_of(baby, olga)
    record(olga, places["sizo"], dt.date(2026, 2, 1), status="remand")
    errors = refused(
        lambda: actions.place_child(None, child=baby, mother=olga, start=dt.date(2026, 2, 1))
    )
    assert errors["facility"] == ["SIZO-1 has no children's home or mother-and-baby unit."]


def _mother_with_baby(team, facility, born, release):
    mother = add_person(team, "Мать", born=dt.date(1995, 1, 1))
    baby = add_person(team, "Ребёнок", born=born)
    mother_of(baby, mother)
    record(mother, facility, dt.date(2022, 1, 1), expected_release=release)
    return mother, baby


def test_a_child_above_the_age_limit_is_refused(today, team_b, places):
    # Turned three on 2026-03-01; the mother is released more than 12 months later.
    mother, baby = _mother_with_baby(
        team_b, places["ik15"], dt.date(2023, 3, 1), dt.date(2027, 6, 1)
    )
    errors = refused(lambda: actions.place_child(None, child=baby, mother=mother, start=today))
    assert errors["start"] == [
        "On June 1, 2026 the child is above the age limit of IK-15: 36 months, reached on "
        "March 1, 2026. The stay is extended only when the mother's expected release falls "
        "within 12 months after that day."
    ]


def test_the_extension_rule_lets_a_child_stay_until_the_mothers_release(today, team_b, places):
    # Turned three on 2026-03-01; the mother is released on 2027-01-15, within 12 months.
    mother, baby = _mother_with_baby(
        team_b, places["ik15"], dt.date(2023, 3, 1), dt.date(2027, 1, 15)
    )
    stay = actions.place_child(None, child=baby, mother=mother, start=today)
    assert stay.stay_limit(dt.date(2027, 1, 15)) == dt.date(2027, 1, 15)


def test_after_the_extended_stay_the_child_is_refused(today, team_b, places):
    # Three on 2026-03-01, the mother's expected release 2026-05-01: the extended
    # stay ended then.
    mother, baby = _mother_with_baby(
        team_b, places["ik15"], dt.date(2023, 3, 1), dt.date(2026, 5, 1)
    )
    errors = refused(lambda: actions.place_child(None, child=baby, mother=mother, start=today))
    assert errors["start"] == [
        "On June 1, 2026 the child is past the extended stay at IK-15, which ended on "
        "May 1, 2026 (the mother's expected release)."
    ]


def test_the_uk_unit_has_no_extension(today, team_b, places):
    # 18 months on 2026-04-01; release in a month changes nothing.
    mother, baby = _mother_with_baby(
        team_b, places["mbu"], dt.date(2024, 10, 1), dt.date(2026, 7, 1)
    )
    errors = refused(lambda: actions.place_child(None, child=baby, mother=mother, start=today))
    assert errors["start"] == [
        "On June 1, 2026 the child is above the age limit of HMP Eastwood Park: 18 months, "
        "reached on April 1, 2026."
    ]
    # A younger baby is welcome.
    younger = add_person(team_b, "Младенец", born=dt.date(2026, 1, 1))
    mother_of(younger, mother)
    assert actions.place_child(None, child=younger, mother=mother, start=today).pk


def test_a_full_unit_refuses_a_child(today, team_b, places):
    for n in range(3):  # capacity 3
        mother, baby = _mother_with_baby(
            team_b, places["ik15"], dt.date(2025, 1, 1 + n), dt.date(2027, 1, 1)
        )
        actions.place_child(None, child=baby, mother=mother, start=today)
    mother, baby = _mother_with_baby(
        team_b, places["ik15"], dt.date(2025, 2, 1), dt.date(2027, 1, 1)
    )
    errors = refused(lambda: actions.place_child(None, child=baby, mother=mother, start=today))
    assert errors["facility"] == ["The children's unit of IK-15 is full: 3 children for 3 places."]


def test_a_child_lives_in_one_place_at_a_time(today, family):
    maria, artyom = family["maria"], family["artyom"]
    actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    errors = refused(
        lambda: actions.place_child(None, child=artyom, mother=maria, start=dt.date(2026, 1, 1))
    )
    assert "already lives at IK-15 since March 10, 2025" in errors["start"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildResidence.objects.create(
            child=artyom, mother=maria, facility=family["episode"].facility, start=today
        )


def test_ending_a_stay_records_where_the_child_goes(today, team_b, family, personas):
    maria, artyom = family["maria"], family["artyom"]
    galina = add_person(team_b, "Галина", "Иванова")
    stay = actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    errors = refused(lambda: actions.end_stay(None, stay, date=dt.date(2025, 1, 1), next_place=" "))
    assert "cannot leave before arriving" in errors["date"][0]
    assert "Say where the child goes next" in errors["next_place"][0]
    errors = refused(lambda: actions.end_stay(None, stay, date=today, next_place="x", carer=artyom))
    assert "own carer" in errors["carer"][0]
    actions.end_stay(
        personas["caseworker_b"],
        stay,
        date=today,
        next_place="With the grandmother in Samara",
        carer=galina,
    )
    stay.refresh_from_db()
    assert (stay.end, stay.next_place, stay.carer) == (
        today,
        "With the grandmother in Samara",
        galina,
    )
    assert AuditEvent.objects.filter(
        object_type="custody.childresidence", action=Action.UPDATE
    ).exists()


def test_only_people_editors_act(today, family, personas):
    for persona in ("volunteer", "analyst"):
        with pytest.raises(PermissionDenied):
            actions.release(personas[persona], family["episode"], date=today)
        with pytest.raises(PermissionDenied):
            actions.place_child(
                personas[persona], child=family["artyom"], mother=family["maria"], start=today
            )


def test_merging_refuses_overlapping_custody(today, team_b, places, family):
    twin = add_person(team_b, "Мария", "Иванова")
    record(twin, places["ik18"], dt.date(2024, 1, 1), status="released", end=dt.date(2025, 2, 1))
    with pytest.raises(ValidationError, match="custody at the same time"):
        CustodyEpisode.merge_people(family["maria"], twin)
    earlier = add_person(team_b, "Мария", "Иванова")
    record(earlier, places["ik18"], dt.date(2020, 1, 1), status="released", end=dt.date(2021, 1, 1))
    CustodyEpisode.merge_people(family["maria"], earlier)  # no overlap: fine
    ChildResidence.merge_people(family["maria"], earlier)
