"""Demo consents: casework and evaluation for the adults, a child's given by a parent.

Idempotent: a consent already recorded (current or withdrawn) for the same
person, purpose and partner is left alone.
"""

from __future__ import annotations

import datetime as dt

from kinbridge.consents import actions
from kinbridge.consents.models import Consent, Method, Purpose
from kinbridge.partners.models import Partner

PACT = "Pact (Prison Advice and Care Trust)"

# person key, purpose, given by (key), date, method, withdrawn (date, reason) or None
CONSENTS = [
    ("maria", Purpose.CASEWORK, "maria", dt.date(2025, 9, 1), Method.WRITTEN, None),
    ("maria", Purpose.EVALUATION, "maria", dt.date(2025, 9, 1), Method.WRITTEN, None),
    ("maria", Purpose.SHARING, "maria", dt.date(2025, 9, 15), Method.WRITTEN, None),
    ("artyom", Purpose.CASEWORK, "maria", dt.date(2025, 9, 1), Method.WRITTEN, None),
    ("artyom", Purpose.PHOTOS, "maria", dt.date(2025, 9, 1), Method.WRITTEN, None),
    ("galina", Purpose.CASEWORK, "galina", dt.date(2025, 10, 6), Method.VERBAL, None),
    ("galina", Purpose.EVALUATION, "galina", dt.date(2025, 10, 6), Method.VERBAL, None),
    ("galina", Purpose.CONTACT_SMS, "galina", dt.date(2025, 10, 6), Method.VERBAL, None),
    ("elena", Purpose.CASEWORK, "elena", dt.date(2026, 1, 12), Method.WRITTEN, None),
    (
        "elena",
        Purpose.EVALUATION,
        "elena",
        dt.date(2026, 1, 12),
        Method.WRITTEN,
        (dt.date(2026, 3, 2), "She no longer wants to fill in questionnaires."),
    ),
    ("sarune", Purpose.CASEWORK, "sarune", dt.date(2025, 11, 20), Method.ONLINE, None),
    ("sarune", Purpose.EVALUATION, "sarune", dt.date(2025, 11, 20), Method.ONLINE, None),
    ("sarune", Purpose.CONTACT_EMAIL, "sarune", dt.date(2025, 11, 20), Method.ONLINE, None),
    ("tomas", Purpose.CASEWORK, "tomas", dt.date(2025, 12, 4), Method.VERBAL, None),
    ("ugne", Purpose.CASEWORK, "sarune", dt.date(2025, 11, 20), Method.WRITTEN, None),
]


def load(people: dict) -> int:
    """Record the demo consents for ``people`` (demo key -> Person); returns how many exist."""
    pact, _created = Partner.objects.get_or_create(name=PACT)
    for key, purpose, giver, given_on, method, withdrawal in CONSENTS:
        partner = pact if purpose == Purpose.SHARING else None
        person = people[key]
        if Consent.objects.filter(person=person, purpose=purpose, partner=partner).exists():
            continue
        consent = actions.record_consent(
            None,
            person,
            purpose=purpose,
            partner=partner,
            given_by=people[giver],
            given_on=given_on,
            method=method,
        )
        if withdrawal:
            withdrawn_on, reason = withdrawal
            actions.withdraw_consent(None, consent, withdrawn_on=withdrawn_on, reason=reason)
    return Consent.objects.filter(person__in=people.values()).count()
