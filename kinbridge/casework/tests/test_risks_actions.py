"""Raising and resolving risk flags: the rules, bad input, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import risk_actions
from kinbridge.casework.models import CaseStatus, RiskFlag
from kinbridge.casework.tests.risks_setup import SENTINEL, TODAY, days_ago, make_case, today

__all__ = ["today"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(today, personas, team_b):
    return make_case(team_b, personas["caseworker_b"], opened=30)


def raise_(actor, case, **fields):
    return risk_actions.raise_flag(actor, case, **({"kind": "self_harm"} | fields))


def refused(call, field) -> str:
    before = RiskFlag.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        call()
    assert (RiskFlag.objects.count(), AuditEvent.objects.count()) == before
    return " ".join(error.value.message_dict[field])


def test_a_flag_is_raised_with_who_and_when(case, personas):
    flag = raise_(personas["caseworker_b"], case, note="Talked of ending it.")
    assert (flag.kind, flag.raised_on, flag.raised_by) == (
        "self_harm",
        TODAY,
        personas["caseworker_b"],
    )
    assert flag.resolved_on is None and flag.reasons == []


def test_abandonment_needs_a_reason_and_keeps_them_in_listed_order(case, personas):
    worker = personas["caseworker_b"]
    message = refused(lambda: raise_(worker, case, kind="child_abandonment"), "reasons")
    assert "at least one reason" in message
    flag = raise_(
        worker,
        case,
        kind="child_abandonment",
        reasons=["mothers_uncertainty", "no_family_support", "no_family_support"],
    )
    assert flag.reasons == ["no_family_support", "mothers_uncertainty"]


def test_reasons_are_refused_for_other_kinds_and_unknown_reasons(case, personas):
    worker = personas["caseworker_b"]
    message = refused(
        lambda: raise_(worker, case, kind="domestic_abuse", reasons=["staff_attitude"]), "reasons"
    )
    assert "only for a risk of child abandonment" in message
    refused(lambda: raise_(worker, case, kind="child_abandonment", reasons=["bad_luck"]), "reasons")
    refused(lambda: raise_(worker, case, kind="weather"), "kind")


def test_raised_neither_in_the_future_nor_before_the_case_opened(case, personas):
    worker = personas["caseworker_b"]
    future = TODAY + dt.timedelta(days=1)
    assert "future" in refused(lambda: raise_(worker, case, raised_on=future), "raised_on")
    early = days_ago(31)
    assert "before the case was opened" in refused(
        lambda: raise_(worker, case, raised_on=early), "raised_on"
    )
    assert raise_(worker, case, raised_on=days_ago(30)).raised_on == days_ago(30)


def test_no_flag_on_a_closed_case(today, personas, team_b):
    closed = make_case(team_b, personas["caseworker_b"], status=CaseStatus.CLOSED)
    refused(lambda: raise_(personas["caseworker_b"], closed), "kind")


def test_resolving_bad_input_and_twice(case, personas):
    worker = personas["caseworker_b"]
    flag = raise_(worker, case, raised_on=days_ago(10))

    def resolve(**fields):
        return lambda: risk_actions.resolve_flag(worker, flag, **({"note": "Safe now."} | fields))

    assert "before it was raised" in refused(resolve(resolved_on=days_ago(11)), "resolved_on")
    future = TODAY + dt.timedelta(days=1)
    assert "future" in refused(resolve(resolved_on=future), "resolved_on")
    assert "how the risk was resolved" in refused(resolve(note="  "), "note")
    resolved = resolve(resolved_on=days_ago(2))()
    assert (resolved.resolved_on, resolved.resolved_by) == (days_ago(2), worker)
    assert "already resolved" in refused(resolve(), "resolved_on")
    flag.refresh_from_db()
    assert flag.resolved_on == days_ago(2) and flag.resolution_note == "Safe now."


def test_only_workers_supervisors_and_administrators_raise_and_resolve(
    case, personas, team_a, team_b
):
    from conftest import make_user

    other_b = make_user("other_b", "caseworker", [team_b])
    for outsider in (other_b, personas["caseworker"], personas["facilitator"]):
        with pytest.raises(PermissionDenied):
            raise_(outsider, case)
    flag = raise_(personas["programme_manager"], case)
    with pytest.raises(PermissionDenied):
        risk_actions.resolve_flag(other_b, flag, note="x")
    risk_actions.resolve_flag(personas["administrator"], flag, note="Handled.")


def test_the_audit_trail_records_the_flag_without_its_notes(case, personas):
    worker = personas["caseworker_b"]
    flag = raise_(worker, case, note=SENTINEL)
    risk_actions.resolve_flag(worker, flag, note=SENTINEL + " resolved")
    events = AuditEvent.objects.filter(object_type="casework.riskflag", object_id=str(flag.pk))
    assert events.count() == 2
    assert SENTINEL not in str(list(events.values()))
