from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kinbridge.people.models import Person


@pytest.mark.django_db
def test_benchmark_generates_people_and_prints_a_table(team_a, team_b):
    out = StringIO()
    call_command("benchmark_search", "--people", "200", "--repetitions", "1", stdout=out)
    assert Person.objects.count() == 200
    table = out.getvalue()
    assert "| query | what |" in table
    for query in ("Иванова", "Ivanova", "sarune", "Mariia", "maria ivanova", "`a`"):
        assert query in table
    assert "reference code" in table
    assert "date of birth" in table
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == 10


@pytest.mark.django_db
def test_benchmark_refuses_a_production_database(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("benchmark_search", "--people", "10", stdout=StringIO())
