"""The panels of a case's page, one per area, in order.

Each panel is a template and a dotted path to a function ``(request, case) ->
dict`` giving its context (available in the template as ``panel``). The case
page renders them in this order; a function returning None hides its panel
(e.g. risk flags for someone who may not see them). Each function must run a
fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str
    context: str  # dotted path to (request, case) -> dict | None


CASE_PANELS = [
    CasePanel("risks", "casework/risks/_panel.html", "kinbridge.casework.views.risks.case_panel"),
    CasePanel("plan", "casework/plan/_panel.html", "kinbridge.casework.views.plan.case_panel"),
    CasePanel(
        "services", "casework/services/_panel.html", "kinbridge.casework.views.services.case_panel"
    ),
    CasePanel("tasks", "casework/tasks/_panel.html", "kinbridge.casework.views.tasks.case_panel"),
    CasePanel(
        "referrals_out",
        "casework/referrals/_out_panel.html",
        "kinbridge.casework.views.referrals.case_panel",
    ),
    CasePanel("notes", "casework/notes/_panel.html", "kinbridge.casework.views.notes.case_panel"),
]


@cache
def _function(path: str):
    return import_string(path)


def case_panels(request, case) -> list[dict]:
    """``[{"key", "template", "panel"}]`` for the panels this user may see."""
    rendered = []
    for panel in CASE_PANELS:
        try:
            function = _function(panel.context)
        except ImportError:
            continue  # an area not built yet
        context = function(request, case)
        if context is not None:
            rendered.append({"key": panel.key, "template": panel.template, "panel": context})
    return rendered
