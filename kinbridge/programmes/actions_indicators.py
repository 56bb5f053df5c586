"""Every change to a project's KPI indicators: add, edit, reorder, delete.

An indicator's ``kind`` names an entry of :data:`indicators.KINDS`; its
``parameters`` are checked by the kind's own ``clean_parameters``, whose
errors are keyed by parameter name, so a form shows each one at its field
and the API under ``parameters``. Manual kinds take the achieved value and
an evidence file; computed kinds never do.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kinbridge.audit.actions import record_created, record_deleted, record_updated, snapshot
from kinbridge.programmes import indicators
from kinbridge.programmes.access import can_edit_project
from kinbridge.programmes.evidence import evidence_problem
from kinbridge.programmes.models import Indicator, Project

INDICATOR_FIELDS = ("name", "kind", "parameters", "target", "manual_actual", "evidence_note")
NUMBER_LIMIT = Decimal("9999999999.99")  # 12 digits, 2 decimals


def _require_editor(actor, project: Project) -> None:
    if actor is not None and not can_edit_project(actor, project):
        raise PermissionDenied(
            _("Only administrators and the team's programme managers set KPI targets.")
        )


def _number(value, *, what: str) -> tuple[Decimal | None, str | None]:
    """A non-negative number, or why it is not one. ``what`` is "target" or "achieved"."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        if what == "target":
            return None, _("The target must be a number, such as 90.")
        return None, _("The achieved value must be a number, such as 1.")
    if number < 0:
        if what == "target":
            return None, _("The target cannot be negative.")
        return None, _("The achieved value cannot be negative.")
    if number > NUMBER_LIMIT:
        return None, _("This number is too large.")
    return number.quantize(Decimal("0.01")), None


def clean_indicator(fields: dict, *, evidence=None) -> dict:
    """Checked and normalised fields, or ValidationError by field (parameters by name)."""
    errors: dict[str, list] = {}
    cleaned = dict(fields)
    if not (fields.get("name") or "").strip():
        errors["name"] = [_("Name the indicator, as the funder's table does.")]
    else:
        cleaned["name"] = fields["name"].strip()
    kind = indicators.KINDS.get(fields.get("kind") or "")
    if kind is None:
        errors["kind"] = [_("Choose how the indicator is counted.")]
    else:
        try:
            cleaned["parameters"] = kind.clean_parameters(fields.get("parameters") or {})
        except ValidationError as exc:
            errors |= exc.message_dict
    if fields.get("target") in (None, ""):
        errors["target"] = [_("Enter the target, such as 90.")]
    else:
        target, problem = _number(fields["target"], what="target")
        if problem:
            errors["target"] = [problem]
        cleaned["target"] = target
    manual = kind is not None and kind.manual
    achieved = fields.get("manual_actual")
    if achieved not in (None, ""):
        if not manual:
            errors["manual_actual"] = [
                _("Only indicators entered by hand take an achieved value; this one is counted.")
            ]
        else:
            cleaned["manual_actual"], problem = _number(achieved, what="achieved")
            if problem:
                errors["manual_actual"] = [problem]
    else:
        cleaned["manual_actual"] = None
    if evidence:
        if not manual:
            errors["evidence"] = [_("Only indicators entered by hand take an evidence file.")]
        else:
            problem = evidence_problem(evidence)
            if problem:
                errors["evidence"] = [problem]
    if not manual:
        cleaned["evidence_note"] = ""
    else:
        cleaned["evidence_note"] = (fields.get("evidence_note") or "").strip()
    if errors:
        raise ValidationError(errors)
    return cleaned


def _set(indicator: Indicator, cleaned: dict) -> None:
    for name in INDICATOR_FIELDS:
        if name in cleaned:
            setattr(indicator, name, cleaned[name])


def _delete_file_after_commit(stored) -> None:
    name, storage = stored.name, stored.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def create_indicator(actor, project: Project, *, evidence=None, **fields) -> Indicator:
    _require_editor(actor, project)
    cleaned = clean_indicator(fields, evidence=evidence)
    indicator = Indicator(project=project)
    _set(indicator, cleaned)
    last = project.indicators.aggregate(last=Max("position"))["last"]
    indicator.position = 0 if last is None else last + 1
    if evidence:
        indicator.evidence = evidence
    indicator.save()
    record_created(actor, indicator)
    return indicator


@transaction.atomic
def update_indicator(actor, indicator: Indicator, *, evidence=None, **fields) -> Indicator:
    """Change an indicator; fields left out stay. A new evidence file replaces the old one.

    Turning a manual indicator into a counted one drops its achieved value and evidence.
    """
    current = Indicator.objects.select_for_update().select_related("project").get(pk=indicator.pk)
    _require_editor(actor, current.project)
    merged = {name: getattr(current, name) for name in INDICATOR_FIELDS} | fields
    kind_changed = merged.get("kind") != current.kind
    if kind_changed and "parameters" not in fields:
        merged["parameters"] = {}
    if kind_changed and "manual_actual" not in fields:
        merged["manual_actual"] = None
    cleaned = clean_indicator(merged, evidence=evidence)
    before = snapshot(current)
    _set(current, cleaned)
    manual = indicators.KINDS[current.kind].manual
    if (evidence or not manual) and current.evidence:
        _delete_file_after_commit(current.evidence)
        current.evidence = ""
    if evidence:
        current.evidence = evidence
    current.save()
    record_updated(actor, current, before)
    return current


@transaction.atomic
def delete_indicator(actor, indicator: Indicator) -> None:
    current = Indicator.objects.select_for_update().select_related("project").get(pk=indicator.pk)
    _require_editor(actor, current.project)
    record_deleted(actor, current)
    if current.evidence:
        _delete_file_after_commit(current.evidence)
    current.delete()


@transaction.atomic
def move_indicator(actor, indicator: Indicator, offset: int) -> None:
    """Move one place up (-1) or down (+1) in the project's KPI table."""
    _require_editor(actor, indicator.project)
    if offset not in (-1, 1):
        raise ValidationError({"offset": _("Move an indicator one place up or down.")})
    # Lock the project's indicators so two moves at once cannot interleave.
    ordered = list(
        Indicator.objects.select_for_update()
        .filter(project_id=indicator.project_id)
        .order_by("position", "id")
    )
    index = next(i for i, row in enumerate(ordered) if row.pk == indicator.pk)
    other = index + offset
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, row in enumerate(ordered):
        if row.position != position:
            before = snapshot(row)
            row.position = position
            row.save(update_fields=["position"])
            record_updated(actor, row, before)
