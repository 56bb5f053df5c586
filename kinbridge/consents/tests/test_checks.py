import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import translation

from kinbridge.consents import actions
from kinbridge.consents.checks import (
    ConsentRequired,
    consent_map,
    has_consent,
    require_consent,
)
from kinbridge.people.actions import create_person, share_person
from kinbridge.people.models import Person


@pytest.mark.django_db
def test_require_consent_refuses_without_consent(family):
    with pytest.raises(ConsentRequired) as excinfo:
        require_consent(family["anna"], "evaluation")
    assert excinfo.value.messages == [
        "Anna Petrova has not given consent for: evaluation (questionnaires, outcome research). "
        "Record it on the Consents tab first."
    ]
    assert excinfo.value.code == "consent_required"
    assert not has_consent(family["anna"], "evaluation")


@pytest.mark.django_db
def test_require_consent_passes_with_consent_and_refuses_after_withdrawal(personas, family, give):
    anna = family["anna"]
    consent = give(anna, "contact_email", given_on=dt.date(2026, 2, 1))
    require_consent(anna, "contact_email")
    assert has_consent(anna, "contact_email", on=dt.date(2026, 2, 1))
    assert not has_consent(anna, "contact_email", on=dt.date(2026, 1, 31))  # not yet given
    actions.withdraw_consent(
        personas["caseworker"], consent, withdrawn_on=dt.date(2026, 5, 1), reason="asked"
    )
    with pytest.raises(ConsentRequired, match="contact by e-mail"):
        require_consent(anna, "contact_email")
    # It was held until the day before the withdrawal.
    assert has_consent(anna, "contact_email", on=dt.date(2026, 4, 30))
    assert not has_consent(anna, "contact_email", on=dt.date(2026, 5, 1))


@pytest.mark.django_db
def test_sharing_consent_is_for_one_named_partner(family, give, pact, other_partner):
    anna = family["anna"]
    give(anna, "sharing", partner=pact)
    require_consent(anna, "sharing", partner=pact)
    with pytest.raises(ConsentRequired) as excinfo:
        require_consent(anna, "sharing", partner=other_partner)
    assert excinfo.value.messages == [
        "Anna Petrova has not given consent for: sharing with Barnardo's. "
        "Record it on the Consents tab first."
    ]
    # Casework consent is not sharing consent, and a partner must be named for sharing.
    with pytest.raises(ConsentRequired):
        require_consent(anna, "casework")
    with pytest.raises(ValueError, match="needs a partner"):
        has_consent(anna, "sharing")


@pytest.mark.django_db
def test_the_message_is_built_in_the_active_language(family, pact):
    with translation.override("ru"), pytest.raises(ConsentRequired) as excinfo:
        require_consent(family["anna"], "sharing", partner=pact)
    assert "Anna Petrova" in excinfo.value.messages[0]
    assert "Pact" in excinfo.value.messages[0]


@pytest.mark.django_db
def test_consent_map_answers_for_a_list_in_one_query(
    team_a, family, give, django_assert_num_queries
):
    numbers = itertools.count()
    people = [
        create_person(None, teams=[team_a], given_name=f"Ona{next(numbers)}") for _ in range(12)
    ]
    for person in people[::2]:
        give(person, "evaluation")
    with django_assert_num_queries(1):
        answers = consent_map(people, "evaluation")
    assert [answers[person.pk] for person in people] == [True, False] * 6
    assert consent_map([p.pk for p in people[:2]], "evaluation") == {
        people[0].pk: True,
        people[1].pk: False,
    }


@pytest.mark.django_db
def test_sharing_with_another_team_needs_no_consent(personas, family, team_b):
    """Internal sharing between teams is casework, not sharing with a partner."""
    share_person(personas["administrator"], family["anna"], team_b)
    assert Person.objects.visible_to(personas["caseworker_b"]).filter(pk=family["anna"].pk)


@pytest.mark.django_db
def test_overview_says_whether_the_person_may_be_contacted(client, personas, family, give):
    anna = family["anna"]
    client.force_login(personas["caseworker"])
    page = client.get(reverse("people:detail", args=[anna.pk]))
    assert page.context["contact"] == {"email": False, "sms": False}
    give(anna, "contact_sms")
    page = client.get(reverse("people:detail", args=[anna.pk]))
    assert page.context["contact"] == {"email": False, "sms": True}
    html = page.content.decode()
    assert "May be contacted by SMS</dt><dd>Yes" in html
    assert "May be contacted by e-mail</dt><dd>No" in html
