"""Raising and resolving risk flags. Only those who may see a case's flags (its
workers, the team's supervisors, administrators) raise or resolve them; the audit
trail records each change with the notes redacted (``RiskFlag.audit_redacted_fields``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.casework.access import can_see_risk_flags, does_casework
from kinbridge.casework.models import AbandonmentReason, Case, RiskFlag, RiskKind


def require_flag_keeper(actor, case: Case) -> None:
    if actor is not None and not (does_casework(actor) and can_see_risk_flags(actor, case)):
        raise PermissionDenied


def _clean_reasons(kind: str, reasons) -> tuple[list[str], str]:
    """The reasons in their listed order, or the problem with them."""
    chosen = set(reasons or ())
    if kind != RiskKind.CHILD_ABANDONMENT:
        if chosen:
            return [], _("Reasons are recorded only for a risk of child abandonment.")
        return [], ""
    if not chosen:
        return [], _("Choose at least one reason for the risk of abandonment.")
    if chosen - set(AbandonmentReason.values):
        return [], _("Choose reasons from the list.")
    return [value for value in AbandonmentReason.values if value in chosen], ""


@transaction.atomic
def raise_flag(
    actor,
    case: Case,
    *,
    kind: str,
    reasons=(),
    raised_on: dt.date | None = None,
    note: str = "",
) -> RiskFlag:
    """Flag a risk on an open case; a risk of abandonment names one or more of seed 000's
    reasons, other kinds none."""
    require_flag_keeper(actor, case)
    errors = {}
    today = timezone.localdate()
    raised_on = raised_on or today
    if kind not in RiskKind.values:
        errors["kind"] = _("Choose the kind of risk.")
    else:
        reasons, problem = _clean_reasons(kind, reasons)
        if problem:
            errors["reasons"] = problem
    if raised_on > today:
        errors["raised_on"] = _("A risk cannot be raised on a future date.")
    elif raised_on < case.opened_on:
        errors["raised_on"] = _(
            "A risk cannot be raised before the case was opened (%(date)s)."
        ) % {"date": formats.date_format(case.opened_on, "SHORT_DATE_FORMAT")}
    if not case.is_open:
        errors["kind"] = _("The case is closed: reopen it to raise a risk.")
    if errors:
        raise ValidationError(errors)
    flag = RiskFlag(
        case=case,
        kind=kind,
        reasons=reasons,
        raised_on=raised_on,
        raised_by=actor or case.lead_worker,
        note=note.strip(),
    )
    flag.full_clean(exclude=["case", "raised_by", "resolved_by"])
    flag.save()
    record_created(actor, flag)
    return flag


@transaction.atomic
def resolve_flag(
    actor, flag: RiskFlag, *, resolved_on: dt.date | None = None, note: str = ""
) -> RiskFlag:
    """Mark the flag resolved, saying how; a flag is resolved once."""
    require_flag_keeper(actor, flag.case)
    flags = RiskFlag.objects.select_for_update(of=("self",)).select_related("case")
    current = flags.get(pk=flag.pk)
    if current.resolved_on is not None:
        raise ValidationError(
            {
                "resolved_on": _("This flag was already resolved on %(date)s.")
                % {"date": formats.date_format(current.resolved_on, "SHORT_DATE_FORMAT")}
            }
        )
    errors = {}
    today = timezone.localdate()
    resolved_on = resolved_on or today
    note = note.strip()
    if resolved_on > today:
        errors["resolved_on"] = _("A flag cannot be resolved on a future date.")
    elif resolved_on < current.raised_on:
        errors["resolved_on"] = _("A flag cannot be resolved before it was raised (%(date)s).") % {
            "date": formats.date_format(current.raised_on, "SHORT_DATE_FORMAT")
        }
    if not note:
        errors["note"] = _("Say how the risk was resolved.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(current)
    current.resolved_on = resolved_on
    current.resolved_by = actor or current.case.lead_worker
    current.resolution_note = note
    current.full_clean(exclude=["case", "raised_by", "resolved_by"])
    current.save(update_fields=["resolved_on", "resolved_by", "resolution_note"])
    record_updated(actor, current, before)
    return current
