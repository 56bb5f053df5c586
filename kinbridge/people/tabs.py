"""The tabs of a person's page.

Each tab is a label and a dotted path to a function ``(request, person) ->
(template, context)``. Apps that hold records about a person (custody,
consents, and later cases) add one line here; the person page renders only
the selected tab, so an unopened tab costs no queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PersonTab:
    key: str
    label: str
    view: str  # dotted path to (request, person) -> (template, context)


PERSON_TABS = [
    PersonTab("overview", _("Overview"), "kinbridge.people.views.overview_tab"),
    PersonTab("family", _("Family"), "kinbridge.people.views.family_tab"),
    PersonTab("consents", _("Consents"), "kinbridge.consents.views.consents_tab"),
    PersonTab("custody", _("Custody"), "kinbridge.custody.views.custody_tab"),
    PersonTab("activities", _("Activities"), "kinbridge.programmes.person_tab.activities_tab"),
    PersonTab("cases", _("Cases"), "kinbridge.casework.views.cases.cases_tab"),
    PersonTab("history", _("History"), "kinbridge.people.views.history_tab"),
]


@cache
def tab_view(key: str):
    for tab in PERSON_TABS:
        if tab.key == key:
            return import_string(tab.view)
    return None
