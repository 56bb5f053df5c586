"""``manage.py benchmark_kpi`` runs, agrees with its hand-written query, and leaves nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from kinbridge.people.models import Person
from kinbridge.programmes.models import Attendance, Project


@pytest.mark.django_db
def test_the_kpi_benchmark_measures_and_rolls_back(team_b):
    out = StringIO()
    # A small project: the command checks the engine's count against the raw query.
    call_command("benchmark_kpi", attendance=600, people=80, runs=1, stdout=out)
    report = out.getvalue()
    assert "600 attendance records" in report
    assert "| **whole project** (`project_results`) |" in report
    assert "Overhead ratio" in report
    assert "were deleted" in report
    assert not Project.objects.exists()
    assert not Person.objects.exists() and not Attendance.objects.exists()


@pytest.mark.django_db
def test_on_an_empty_database_it_makes_a_team_and_removes_it_again():
    from kinbridge.accounts.models import Region, Team

    call_command("benchmark_kpi", attendance=100, people=30, runs=1, stdout=StringIO())
    assert not Team.objects.exists() and not Region.objects.exists()
    assert not Project.objects.exists() and not Person.objects.exists()
