"""The casework app's part of the access matrix: expectations and target records.

Each area keeps its table in its own module (``access_<area>.py``); the
matrix in ``kinbridge/tests/test_access_matrix.py`` joins them. The target
case belongs to team B, led by the ``caseworker_b`` persona.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinbridge.casework.tests import (
    access_cases,
    access_dashboards,
    access_notes,
    access_plan,
    access_referrals,
    access_risks,
    access_services,
    access_tasks,
)

CASEWORK_EXPECTATIONS = (
    access_cases.EXPECTATIONS
    | access_plan.EXPECTATIONS
    | access_services.EXPECTATIONS
    | access_notes.EXPECTATIONS
    | access_referrals.EXPECTATIONS
    | access_tasks.EXPECTATIONS
    | access_risks.EXPECTATIONS
    | access_dashboards.EXPECTATIONS
)


def casework_targets(personas, team_b, *, person, child, partner) -> dict:
    """Team B's casework records, for URL kwargs. Areas add their own records here."""
    from kinbridge.casework import case_actions

    today = timezone.localdate()
    case = case_actions.create_case(
        None,
        client=person,
        team=team_b,
        case_type="family_casework",
        lead_worker=personas["caseworker_b"],
        opened_on=today - dt.timedelta(days=30),
        summary="Mother in IK-15, son with grandmother.",
        members=[(child, "son")],
    )
    case = case_actions.change_status(None, case, "assessment")
    # --- risks-dashboards ---
    from kinbridge.casework import risk_actions

    flag = risk_actions.raise_flag(
        personas["caseworker_b"], case, kind="child_protection", note="Bruises seen at a visit."
    )
    # --- tasks ---
    from kinbridge.casework import task_actions

    task = task_actions.create_task(
        None,
        case=case,
        title="Call the colony about the visit",
        due_on=today,
        assignee=personas["caseworker_b"],
    )
    targets = {
        "case": {"pk": case.pk},
        "risk_flag": {"pk": flag.pk},
        "task": {"pk": task.pk},
    }
    # --- plan-services-notes ---
    from kinbridge.casework import note_actions, plan_actions, service_actions
    from kinbridge.casework.models import NeedType

    need_type = NeedType.objects.get(code="emotional_support")
    case_need = plan_actions.add_need(None, case, need=need_type, severity=3)
    goal = plan_actions.create_goal(None, case, description="Regular visits", need=case_need)
    review = plan_actions.review_plan(None, case, next_review_on=today + dt.timedelta(days=60))
    service = service_actions.log_service(
        None,
        case,
        service_type="counselling",
        mode="phone",
        date=today,
        duration_minutes=45,
        worker=personas["caseworker_b"],
    )
    note = note_actions.create_note(personas["caseworker_b"], case, body="Called the grandmother.")
    targets |= {
        "need_type": {"pk": need_type.pk},
        "case_need": {"pk": case_need.pk},
        "goal": {"pk": goal.pk},
        "plan_review": {"pk": review.pk},
        "service": {"pk": service.pk},
        "note": {"pk": note.pk},
    }

    # --- referrals ---
    from kinbridge.casework import intake, referral_actions
    from kinbridge.consents.actions import record_consent

    referral = intake.file_referral(
        None,
        source="partner",
        partner=partner,
        team=team_b,
        given_name="Ольга",
        family_name="Петрова",
        phone="+7 900 000 00 00",
        case_type="targeted_assistance",
    )
    record_consent(
        None,
        person,
        purpose="sharing",
        partner=partner,
        given_by=person,
        given_on=today - dt.timedelta(days=20),
        method="verbal",
    )
    referral_out = referral_actions.refer_out(
        None,
        case,
        partner=partner,
        reason="Legal advice on the appeal.",
        shared_items=["contact", "situation"],
        sent_on=today - dt.timedelta(days=10),
    )
    targets |= {"referral": {"pk": referral.pk}, "referral_out": {"pk": referral_out.pk}}
    # --- end referrals ---
    return targets
