import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.facilities import actions
from kinbridge.facilities.models import Facility, VisitingRules, VisitSlot

RUSSIAN_UNIT = {"child_age_limit_months": 36, "extension_if_release_within_months": 12}


def slot(weekday, start, end, kind="short", days=1):
    return {
        "weekday": weekday,
        "start": dt.time.fromisoformat(start),
        "end": dt.time.fromisoformat(end),
        "kind": kind,
        "days": days,
    }


def add(region, name, kind="womens_colony", rules=None, slots=(), **fields):
    return actions.create_facility(
        None, name=name, kind=kind, region=region, rules=rules, slots=slots, **fields
    )


@pytest.fixture
def colony(regions):
    return add(
        regions["b"],
        "IK-15",
        children_capacity=50,
        **RUSSIAN_UNIT,
        rules={"booking_window_days": 28, "banned_items": "Phones\n\nAlcohol\n"},
        slots=[slot(0, "09:00", "11:00"), slot(3, "10:00", "10:00", "long", days=3)],
    )


def form_data(facility=None, rules=None, slots=(), initial=0, has_rules=True, region=None):
    """What the facility form posts: the facility, its rules and the slot rows."""
    data = {
        "name": "IK-5",
        "kind": "womens_colony",
        "region": region,
        "children_capacity": "60",
        "child_age_limit_months": "36",
        "extension_if_release_within_months": "12",
        "extended_age_limit_months": "",
        "is_active": "on",
        **(facility or {}),
    }
    if has_rules:
        data["has_visiting_rules"] = "on"
    rules = {
        "booking_lead_days": "1",
        "booking_window_days": "28",
        "max_visitors": "3",
        "min_age_unaccompanied": "18",
        "id_required": "on",
        "accepted_ids": "passport",
        "banned_items": "Phones",
        **(rules or {}),
    }
    data |= {f"rules-{name}": value for name, value in rules.items() if value is not None}
    rows = [*slots, {}, {}]  # two empty rows, as the page shows them
    data |= {
        "slots-TOTAL_FORMS": str(len(rows)),
        "slots-INITIAL_FORMS": str(initial),
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        defaults = {"weekday": "", "start": "", "end": "", "kind": "", "days": "1"}
        for name, value in (defaults | row).items():
            data[f"slots-{index}-{name}"] = value
    return data


# --- Pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_filters_searches_and_sorts_by_name(client, personas, regions, colony):
    add(regions["b"], "IK-5", **RUSSIAN_UNIT)
    add(regions["a"], "Panevėžio pataisos namai", kind="prison")
    add(regions["a"], "Vilnius family support centre", kind="community_venue")
    add(regions["a"], "Old venue", kind="community_venue", is_active=False)
    client.force_login(personas["volunteer"])  # volunteers escort visits: they see facilities

    def names(**params):
        response = client.get(reverse("facilities:list"), params)
        assert response.status_code == 200
        return [facility.name for facility in response.context["facilities"]]

    assert names() == ["IK-15", "IK-5", "Panevėžio pataisos namai", "Vilnius family support centre"]
    assert names(q="ik 5") == ["IK-5"]
    assert names(q="IK-1") == ["IK-15"]
    assert names(q="panevezio") == ["Panevėžio pataisos namai"]
    assert names(q="Паневежио") == ["Panevėžio pataisos namai"]
    assert names(kind="prison") == ["Panevėžio pataisos namai"]
    assert names(country="ru") == ["IK-15", "IK-5"]
    assert names(region=regions["a"].pk) == [
        "Panevėžio pataisos namai",
        "Vilnius family support centre",
    ]
    assert names(children="yes") == ["IK-15", "IK-5"]
    assert names(children="no", active="all") == [
        "Old venue",
        "Panevėžio pataisos namai",
        "Vilnius family support centre",
    ]
    assert names(active="no") == ["Old venue"]


@pytest.mark.django_db
def test_list_keeps_constant_queries(admin_client, regions, assert_constant_queries):
    add(regions["a"], "First", rules={}, slots=[slot(0, "09:00", "10:00")])

    def grow():
        for number in range(10):
            add(regions["b"], f"IK-{number}", **RUSSIAN_UNIT, rules={"has_family_room": True})

    assert_constant_queries(lambda: admin_client.get(reverse("facilities:list")), grow)


@pytest.mark.django_db
def test_detail_shows_the_rules_in_plain_words(client, personas, colony):
    client.force_login(personas["analyst"])  # reference data: analysts read it too
    page = client.get(reverse("facilities:detail", args=[colony.pk])).content.decode()
    assert (
        "Children may stay until they are 36 months (3 years) old; longer, until the "
        "mother&#x27;s release, when she has 12 months or less left to serve by then."
    ) in page
    assert "Book at least 1 day and at most 28 days ahead." in page
    assert "Monday, 09:00\N{EN DASH}11:00" in page
    assert "Thursday 10:00 to Saturday 10:00 (3 days)" in page
    assert "<li>Phones</li><li>Alcohol</li>" in page
    assert "Phones and other devices are not allowed inside" in page
    assert "There is no family room." in page
    assert reverse("facilities:edit", args=[colony.pk]) not in page  # analysts do not edit


@pytest.mark.django_db
def test_creating_a_facility_with_rules_and_slots_through_the_form(client, personas, regions):
    client.force_login(personas["programme_manager"])
    data = form_data(
        region=regions["b"].pk,
        slots=[
            {"weekday": "1", "start": "09:00", "end": "13:00", "kind": "short"},
            {"weekday": "0", "start": "09:00", "end": "09:00", "kind": "long", "days": "3"},
        ],
    )
    response = client.post(reverse("facilities:create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    facility = Facility.objects.get(name="IK-5")
    assert facility.search_key == " ik 5 "
    assert facility.visiting_rules.accepted_ids == "passport"
    assert [str(s) for s in facility.visiting_rules.slots.all()] == [
        "Monday 09:00-09:00",
        "Tuesday 09:00-13:00",
    ]
    created = AuditEvent.objects.filter(action=Action.CREATE, actor=personas["programme_manager"])
    assert set(created.values_list("object_type", flat=True)) == {
        "facilities.facility",
        "facilities.visitingrules",
    }
    rules_event = created.get(object_type="facilities.visitingrules")
    assert rules_event.changes["slots"][1] == ["0 09:00-09:00 long x3", "1 09:00-13:00 short x1"]


@pytest.mark.django_db
def test_editing_keeps_changes_and_removes_slots(client, personas, regions, colony):
    client.force_login(personas["administrator"])
    kept, dropped = colony.visiting_rules.slots.order_by("weekday")
    data = form_data(
        facility={"name": "IK-15", "children_capacity": "55"},
        region=regions["b"].pk,
        initial=2,
        slots=[
            {"weekday": "0", "start": "09:00", "end": "12:00", "kind": "short"},  # longer
            {
                "weekday": "3",
                "start": "10:00",
                "end": "10:00",
                "kind": "long",
                "days": "3",
                "DELETE": "on",
            },
            {"weekday": "5", "start": "09:00", "end": "13:00", "kind": "family"},  # new
        ],
    )
    response = client.post(reverse("facilities:edit", args=[colony.pk]), data)
    assert response.status_code == 302
    colony.refresh_from_db()
    assert colony.children_capacity == 55
    slots = list(colony.visiting_rules.slots.all())
    assert [str(s) for s in slots] == ["Monday 09:00-12:00", "Saturday 09:00-13:00"]
    assert slots[0].pk == kept.pk  # same day, start and kind: the slot is kept and changed
    assert not VisitSlot.objects.filter(pk=dropped.pk).exists()
    update = AuditEvent.objects.get(action=Action.UPDATE, object_type="facilities.facility")
    assert update.changes["children_capacity"] == [50, 55]


@pytest.mark.django_db
def test_unticking_visiting_rules_removes_them(client, personas, regions, colony):
    client.force_login(personas["administrator"])
    data = form_data(facility={"name": "IK-15"}, region=regions["b"].pk, has_rules=False)
    assert client.post(reverse("facilities:edit", args=[colony.pk]), data).status_code == 302
    assert not VisitingRules.objects.exists()
    assert not VisitSlot.objects.exists()
    assert AuditEvent.objects.filter(
        action=Action.DELETE, object_type="facilities.visitingrules"
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("facility", "rules", "slots", "form", "field", "message"),
    [
        (
            {"child_age_limit_months": ""},
            {},
            [],
            "form",
            "extension_if_release_within_months",
            "An extension rule needs an age limit",
        ),
        (
            {"child_age_limit_months": "", "extension_if_release_within_months": ""},
            {},
            [],
            "form",
            "children_capacity",
            "Places for children need a children's unit",
        ),
        (
            {"extended_age_limit_months": "36"},
            {},
            [],
            "form",
            "extended_age_limit_months",
            "must be above the age limit (36 months)",
        ),
        (
            {"extension_if_release_within_months": "", "extended_age_limit_months": "42"},
            {},
            [],
            "form",
            "extended_age_limit_months",
            "needs the extension rule",
        ),
        ({"name": "  "}, {}, [], "form", "name", "This field is required"),
        ({"website": "not a url"}, {}, [], "form", "website", "Enter a valid URL"),
        (
            {},
            {"booking_lead_days": "30"},
            [],
            "rules_form",
            "booking_lead_days",
            "within the booking window (28 days)",
        ),
        ({}, {"booking_window_days": "0"}, [], "rules_form", "booking_window_days", "at least 1"),
        ({}, {"max_visitors": "0"}, [], "rules_form", "max_visitors", "At least 1 visitor"),
        (
            {},
            {"min_age_unaccompanied": "21"},
            [],
            "rules_form",
            "min_age_unaccompanied",
            "from 0 to 18",
        ),
        (
            {},
            {"family_room_capacity": "6"},
            [],
            "rules_form",
            "family_room_capacity",
            "A capacity needs a family room",
        ),
        (
            {},
            {"id_required": None},
            [],
            "rules_form",
            "accepted_ids",
            "only when visitors must show ID",
        ),
        (
            {},
            {},
            [{"weekday": "0", "start": "11:00", "end": "09:00", "kind": "short"}],
            "slot",
            "end",
            "The visit must end after it starts.",
        ),
        (
            {},
            {},
            [{"weekday": "0", "start": "11:00", "end": "12:00", "kind": "short", "days": "9"}],
            "slot",
            "days",
            "less than or equal to 7",
        ),
        (
            {},
            {},
            [{"weekday": "0", "start": "11:00", "kind": "short"}],
            "slot",
            "end",
            "This field is required",
        ),
        (
            {},
            {},
            [
                {"weekday": "0", "start": "11:00", "end": "12:00", "kind": "short"},
                {"weekday": "0", "start": "11:00", "end": "13:00", "kind": "short"},
            ],
            "slots",
            None,
            "The same day, start and kind appear twice.",
        ),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    client, personas, regions, facility, rules, slots, form, field, message
):
    client.force_login(personas["programme_manager"])
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("facilities:create"),
        form_data(facility=facility, rules=rules, slots=slots, region=regions["b"].pk),
    )
    assert response.status_code == 200
    if form == "slot":
        errors = response.context["slot_formset"].forms[0].errors[field]
    elif form == "slots":
        errors = response.context["slot_formset"].non_form_errors()
    else:
        errors = response.context[form].errors[field]
    assert message in " ".join(errors)
    assert not Facility.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_name_is_unique_within_its_region(client, personas, regions, colony):
    client.force_login(personas["programme_manager"])
    response = client.post(
        reverse("facilities:create"), form_data(facility={"name": "IK-15"}, region=regions["b"].pk)
    )
    assert "already has a facility with this name" in " ".join(
        response.context["form"].errors["name"]
    )
    assert Facility.objects.count() == 1
    # Another region may have its own IK-15.
    assert add(regions["a"], "IK-15").pk != colony.pk


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["caseworker", "facilitator", "volunteer", "analyst"])
def test_only_administrators_and_programme_managers_edit(client, personas, regions, persona):
    client.force_login(personas[persona])
    response = client.post(reverse("facilities:create"), form_data(region=regions["b"].pk))
    assert response.status_code == 403
    assert not Facility.objects.exists()
    with pytest.raises(PermissionDenied):
        actions.create_facility(personas[persona], name="X", kind="prison", region=regions["a"])


@pytest.mark.django_db
def test_the_database_holds_the_rules_too(regions, colony):
    rules = colony.visiting_rules
    cases = [
        lambda: VisitSlot.objects.create(
            rules=rules, weekday=2, start=dt.time(12), end=dt.time(11), kind="short"
        ),
        lambda: VisitSlot.objects.create(
            rules=rules, weekday=7, start=dt.time(9), end=dt.time(11), kind="short"
        ),
        lambda: VisitingRules.objects.filter(pk=rules.pk).update(family_room_capacity=4),
        lambda: VisitingRules.objects.filter(pk=rules.pk).update(booking_lead_days=40),
        lambda: Facility.objects.filter(pk=colony.pk).update(child_age_limit_months=None),
        lambda: Facility.objects.filter(pk=colony.pk).update(extended_age_limit_months=30),
    ]
    for case in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            case()


@pytest.mark.django_db
def test_search_finds_rows_loaded_without_a_search_key(regions):
    bulk = Facility.objects.create(name="IK-50", kind="prison", region=regions["b"])
    add(regions["b"], "IK-5")
    assert bulk.search_key == ""
    assert list(
        Facility.objects.search("IK-5").values_list("name", flat=True).order_by("name")
    ) == [
        "IK-5",
        "IK-50",
    ]
