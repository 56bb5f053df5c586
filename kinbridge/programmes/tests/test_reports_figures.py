"""The funder report's figures, computed from sessions and attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kinbridge.programmes import indicators, report_kpis, reports
from kinbridge.programmes.suppression import Hidden
from kinbridge.programmes.tests.reports_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def figures(report, section="beneficiaries"):
    return {row["key"]: row["value"] for row in report[section]}


def kpis(report):
    return {kpi["name"]: (kpi["target"], kpi["actual"], kpi["percent"]) for kpi in report["kpis"]}


def test_internal_report_figures(report_project):
    report = reports.build(report_project["project"], *YEAR, reports.INTERNAL)
    header = report["header"]
    assert header["title"] == "Mom Behind Bars 2026"
    assert header["programme"] == "Mom Behind Bars"
    assert header["funders"] == [
        {"name": "Presidential Grants Foundation", "amount": Decimal("2527613")}
    ]
    assert header["total_budget"] == Decimal("2827613") and header["currency"] == "RUB"
    assert header["months"] == 12 and report["period"]["months"] == 12
    assert sorted(header["facilities"]) == ["IK-15", "IK-5"]
    assert kpis(report) == {
        "Two-day trainings": (Decimal(9), Decimal(1), Decimal(11)),
        "Women": (Decimal(90), 4, Decimal(4)),
        "Children up to 3": (Decimal(60), 3, Decimal(5)),
        "Brochure": (Decimal(1), Decimal(1), Decimal(100)),
        "Children's home staff": (Decimal(10), 1, Decimal(10)),
        "Community meeting participants": (Decimal(300), 20, Decimal(7)),
    }
    # 7 named people (Anna, Berta, Vera, three babies, Sofia) + 20 unnamed; the
    # cancelled session and Vera's absence in February change nothing.
    assert figures(report) == {
        "participants": 27,
        "children": 3,
        "families": 3,
        "professionals": 1,
        "external_specialists": 1,
    }


def test_activities_by_month_and_place(report_project):
    report = reports.build(report_project["project"], *YEAR, reports.INTERNAL)
    sessions = report["activities"]["sessions"]
    participations = report["activities"]["participations"]
    assert sessions["columns"] == ["IK-15", "IK-5", "Community venue"]
    assert [row["month"] for row in sessions["rows"]] == [
        dt.date(2026, month, 1) for month in range(1, 13)
    ]
    february, march = sessions["rows"][1], sessions["rows"][2]
    assert february["cells"] == [0, 1, 0] and march["cells"] == [1, 0, 1]
    assert sessions["column_totals"] == [1, 1, 1] and sessions["total"] == 3
    # Participations: people present at each session, plus the unnamed headcount.
    assert participations["rows"][1]["cells"] == [0, 5, 0]
    assert participations["rows"][2]["cells"] == [3, 0, 20]
    assert participations["rows"][2]["total"] == 23
    assert participations["total"] == 28


def test_budget_summary(report_project):
    budget = reports.build(report_project["project"], *YEAR, reports.INTERNAL)["budget"]
    assert [(line["name"], line["remaining"]) for line in budget["lines"]] == [
        ("Fees", Decimal(600000)),
        ("Travel", Decimal(0)),
    ]
    assert budget["planned"] == Decimal(1500000) and budget["spent"] == Decimal(900000)
    assert budget["percent_spent"] == Decimal("60.0")
    assert budget["funders"][0]["share"] == Decimal("89.4")
    assert budget["other_sources"] == {"amount": Decimal(300000), "share": Decimal("10.6")}


def test_the_period_limits_every_figure(report_project):
    report = reports.build(
        report_project["project"], dt.date(2026, 3, 1), dt.date(2026, 3, 31), reports.INTERNAL
    )
    assert figures(report)["participants"] == 3 + 20
    assert figures(report)["families"] == 2  # Anna's and Vera's
    assert report["activities"]["sessions"]["total"] == 2
    assert report["period"]["months"] == 1
    assert kpis(report)["Two-day trainings"][1] == 0


def test_external_report_hides_small_counts_of_people_only(report_project, settings):
    settings.KINBRIDGE_SUPPRESSION_THRESHOLD = 5
    report = reports.build(report_project["project"], *YEAR, reports.EXTERNAL)
    shown = {name: (str(actual), percent) for name, (_t, actual, percent) in kpis(report).items()}
    assert shown["Women"] == ("<5", None)  # the per cent would give the count back
    assert shown["Children up to 3"] == ("<5", None)
    assert shown["Two-day trainings"] == ("1", Decimal(11))  # sessions are not people
    assert shown["Brochure"] == ("1", Decimal(100))
    assert shown["Community meeting participants"] == ("20", Decimal(7))
    assert {key: str(value) for key, value in figures(report).items()} == {
        "participants": "27",
        "children": "<5",
        "families": "<5",
        "professionals": "<5",
        "external_specialists": "<5",
    }
    table = report["activities"]["participations"]
    march = table["rows"][2]
    assert [str(cell) for cell in march["cells"]] == ["<5", "0", "*"]
    assert march["total"] == 23  # still published: two hidden cells in the row
    assert [str(cell) for cell in table["column_totals"]] == ["<5", "5", "*"]
    assert table["total"] == 28
    # Session counts and money are never hidden.
    assert report["activities"]["sessions"]["rows"][2]["cells"] == [1, 0, 1]
    assert report["budget"]["spent"] == Decimal(900000)
    assert any("<5" in note for note in report["footnotes"])


def test_the_threshold_is_configurable(report_project, settings):
    settings.KINBRIDGE_SUPPRESSION_THRESHOLD = 3
    report = reports.build(report_project["project"], *YEAR, reports.EXTERNAL)
    assert figures(report)["children"] == 3
    assert str(figures(report)["professionals"]) == "<3"
    assert isinstance(kpis(report)["Children's home staff"][1], Hidden)


def test_the_report_agrees_with_the_kpi_engine(report_project):
    project = report_project["project"]
    for period in (indicators.Period(*YEAR), indicators.Period(dt.date(2026, 3, 1), None)):
        batched = [r.actual for r in report_kpis.kpi_actuals(project, period)]
        engine = [r.actual for r in indicators.project_results(project, period)]
        assert batched == engine


def test_the_json_form_carries_the_same_figures(report_project):
    project = report_project["project"]
    project.refresh_from_db()
    report = reports.build(project, *YEAR, reports.EXTERNAL)
    data = reports.plain(report)
    assert data["header"]["total_budget"] == "2827613.00"
    assert data["period"] == {"start": "2026-01-01", "end": "2026-12-31", "months": 12}
    assert data["beneficiaries"][1]["value"] == "<5"
    assert data["activities"]["participations"]["rows"][2]["cells"] == ["<5", 0, "*"]
