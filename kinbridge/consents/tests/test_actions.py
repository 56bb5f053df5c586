import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.consents import actions
from kinbridge.consents.models import MERGED_DUPLICATE, Consent
from kinbridge.consents.tests.conftest import JPEG, PNG, upload


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.mark.django_db
def test_recording_a_consent_is_audited(personas, family, give):
    consent = give(family["anna"], "evaluation", actor=personas["caseworker"], method="verbal")
    assert consent.is_current
    assert consent.recorded_by == personas["caseworker"]
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="consents.consent")
    assert event.actor == personas["caseworker"]
    assert event.object_repr == f"{family['anna'].reference} evaluation"  # no name in the trail
    assert event.changes["purpose"] == [None, "evaluation"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["volunteer", "analyst"])
def test_only_editors_record_consents(personas, family, give, persona):
    with pytest.raises(PermissionDenied):
        give(family["anna"], actor=personas[persona])
    assert not Consent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"given_on": dt.date(2026, 6, 16)}, "given_on", "cannot be in the future"),
        ({"given_on": dt.date(1990, 1, 1)}, "given_on", "before the person was born"),
        ({"purpose": "sharing"}, "partner", "Choose the partner organisation"),
        ({"method": "telepathy"}, "method", "how the consent was given"),
        ({"purpose": "gossip"}, "purpose", "what the consent is for"),
        ({"evidence": upload("form.exe", b"MZ\x90\x00")}, "evidence", "PDF, JPEG or PNG"),
        # The name says PDF, the content is an HTML page: refused.
        ({"evidence": upload("form.pdf", b"<html><script>")}, "evidence", "PDF, JPEG or PNG"),
        ({"evidence": upload("form.pdf", b"")}, "evidence", "PDF, JPEG or PNG"),
    ],
)
def test_bad_consent_input_is_refused_at_the_field(family, give, fields, field, message):
    with pytest.raises(ValidationError) as excinfo:
        give(family["anna"], **fields)
    assert message in " ".join(errors_of(excinfo)[field])
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_a_partner_is_only_named_for_sharing(family, give, pact):
    with pytest.raises(ValidationError) as excinfo:
        give(family["anna"], "casework", partner=pact)
    assert "only chosen for sharing" in errors_of(excinfo)["partner"][0]
    pact.is_active = False
    pact.save()
    with pytest.raises(ValidationError, match="no longer active"):
        give(family["anna"], "sharing", partner=pact)
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_evidence_over_the_size_limit_is_refused(family, give, settings):
    settings.UPLOAD_MAX_MB = 1
    big = upload("scan.png", PNG + b"\x00" * (1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        give(family["anna"], evidence=big)
    assert "larger than 1 MB" in errors_of(excinfo)["evidence"][0]
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_evidence_is_stored_privately_under_a_random_name(family, give, settings):
    consent = give(family["anna"], evidence=upload("Anna Petrova consent.JPEG", JPEG))
    assert consent.evidence.name.startswith("private/consents/")
    assert consent.evidence.name.endswith(".jpg")
    assert "Petrova" not in consent.evidence.name
    path = consent.evidence.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert "static" not in path
    with pytest.raises(ValueError, match="no public URL"):
        _ = consent.evidence.url


@pytest.mark.django_db
def test_a_child_consents_through_someone_with_parental_responsibility(family, give):
    lena, anna, olga = family["lena"], family["anna"], family["olga"]
    # Lena is 5: she cannot consent for herself, nor can her grandmother (no responsibility).
    for giver in (lena, olga):
        with pytest.raises(ValidationError) as excinfo:
            give(lena, given_by=giver)
        assert "is a child" in errors_of(excinfo)["given_by"][0]
    assert not Consent.objects.exists()
    assert give(lena, given_by=anna).given_by == anna
    # Kolya has no date of birth, but a current child role; Olga holds responsibility.
    with pytest.raises(ValidationError, match="is a child"):
        give(family["kolya"], given_by=family["kolya"])
    assert give(family["kolya"], given_by=olga).given_by == olga


@pytest.mark.django_db
def test_an_adult_consents_for_themself_or_through_a_guardian(family, give):
    from kinbridge.people.actions import add_relationship

    anna, olga = family["anna"], family["olga"]
    with pytest.raises(ValidationError) as excinfo:
        give(anna, given_by=olga)
    assert "An adult gives their own consent" in errors_of(excinfo)["given_by"][0]
    add_relationship(None, anna, olga, "guardian", parental_responsibility=True)
    assert give(anna, given_by=olga).given_by == olga


@pytest.mark.django_db
def test_the_child_test_uses_the_date_consent_was_given(family, give):
    # Born 2008-07-01: 17 in January 2026, 18 from July 2026.
    teen = family["anna"].__class__.objects.get(pk=family["anna"].pk)
    teen.birth_date = dt.date(2008, 7, 1)
    teen.save()
    with pytest.raises(ValidationError, match="is a child"):
        give(teen, given_on=dt.date(2026, 1, 10))


@pytest.mark.django_db
def test_one_current_consent_per_person_purpose_and_partner(family, give, pact, other_partner):
    anna = family["anna"]
    give(anna, "sharing", partner=pact)
    give(anna, "sharing", partner=other_partner)  # another partner: a separate consent
    with pytest.raises(ValidationError) as excinfo:
        give(anna, "sharing", partner=pact)
    assert "already recorded" in errors_of(excinfo)["purpose"][0]
    give(anna, "casework")
    with pytest.raises(ValidationError, match="already recorded"):
        give(anna, "casework")
    assert Consent.objects.count() == 3


@pytest.mark.django_db
def test_the_database_holds_the_rules_too(family, pact):
    anna = family["anna"]
    base = {"person": anna, "given_by": anna, "given_on": dt.date(2026, 1, 10), "method": "verbal"}
    bad_rows = [
        {"purpose": "sharing"},  # sharing without a partner
        {"purpose": "casework", "partner": pact},  # a partner without sharing
        {"purpose": "casework", "withdrawn_on": dt.date(2026, 1, 9), "withdrawal_reason": "x"},
        {"purpose": "casework", "withdrawal_reason": "not withdrawn"},
    ]
    for row in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            Consent.objects.create(**base, **row)
    Consent.objects.create(**base, purpose="casework")
    Consent.objects.create(**base, purpose="sharing", partner=pact)
    for row in ({"purpose": "casework"}, {"purpose": "sharing", "partner": pact}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Consent.objects.create(**base, **row)
    # Withdrawn ones do not count.
    Consent.objects.create(
        **base, purpose="casework", withdrawn_on=dt.date(2026, 2, 1), withdrawal_reason="x"
    )


@pytest.mark.django_db
def test_withdrawal(personas, family, give):
    consent = give(family["anna"], "photos")
    actor = personas["caseworker"]
    bad = [
        ({"withdrawn_on": dt.date(2026, 1, 9), "reason": "x"}, "withdrawn_on", "before it was"),
        ({"withdrawn_on": dt.date(2026, 6, 16), "reason": "x"}, "withdrawn_on", "in the future"),
        ({"reason": "  "}, "reason", "Say why"),
        ({"reason": "x" * 501}, "reason", "under 500"),
    ]
    for fields, field, message in bad:
        with pytest.raises(ValidationError) as excinfo:
            actions.withdraw_consent(actor, consent, **fields)
        assert message in errors_of(excinfo)[field][0]
    consent.refresh_from_db()
    assert consent.is_current

    actions.withdraw_consent(actor, consent, reason="She asked us to delete the photos.")
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2026, 6, 15)
    assert consent.withdrawal_recorded_by == actor
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(consent.pk)).get()
    assert event.changes["withdrawn_on"] == [None, "2026-06-15"]
    with pytest.raises(ValidationError, match="already withdrawn"):
        actions.withdraw_consent(actor, consent, reason="again")
    # A new consent for the same purpose may now be recorded.
    give(family["anna"], "photos", given_on=dt.date(2026, 6, 15))


@pytest.mark.django_db
def test_evidence_is_attached_once_and_never_replaced(personas, family, give):
    consent = give(family["anna"])
    actor = personas["caseworker"]
    with pytest.raises(ValidationError, match="PDF, JPEG or PNG"):
        actions.attach_evidence(actor, consent, upload("x.svg", b"<svg/>"))
    actions.attach_evidence(actor, consent, upload())
    consent.refresh_from_db()
    first = consent.evidence.name
    with pytest.raises(ValidationError, match="never replaced"):
        actions.attach_evidence(actor, consent, upload("b.png", PNG))
    consent.refresh_from_db()
    assert consent.evidence.name == first
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(consent.pk)).count() == 1


@pytest.mark.django_db
def test_merge_keeps_the_earlier_consent_current(family, give, pact):
    anna, twin = family["anna"], family["olga"]  # pretend Olga's record duplicates Anna's
    keep_casework = give(anna, "casework", given_on=dt.date(2026, 3, 1))
    drop_casework = give(twin, "casework", given_on=dt.date(2026, 2, 1))
    keep_sharing = give(anna, "sharing", partner=pact, given_on=dt.date(2026, 1, 5))
    drop_sharing = give(twin, "sharing", partner=pact, given_on=dt.date(2026, 4, 5))
    only_twin = give(twin, "photos")

    Consent.merge_people(keep=anna, drop=twin)
    # The generic merge then moves every link from the dropped person to the kept one.
    Consent.objects.filter(person=twin).update(person=anna)
    Consent.objects.filter(given_by=twin).update(given_by=anna)

    for consent in (keep_casework, drop_casework, keep_sharing, drop_sharing, only_twin):
        consent.refresh_from_db()
    assert drop_casework.is_current and only_twin.is_current and keep_sharing.is_current
    assert keep_casework.withdrawal_reason == MERGED_DUPLICATE
    assert drop_sharing.withdrawal_reason == MERGED_DUPLICATE
    assert keep_casework.withdrawn_on == dt.date(2026, 6, 15)
    assert Consent.objects.count() == 5  # nothing deleted
    assert Consent.objects.current().filter(person=anna).count() == 3
