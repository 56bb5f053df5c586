import pytest

from kinbridge.lib.names import fold, query_terms, search_key, to_latin


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Иванова", "Ivanova"),
        ("Иванова", "ivanova"),
        ("Šarūnė", "sarune"),
        ("Šarūnė", "ŠARŪNĖ"),
        ("Мария", "Mariya"),
        ("Мария", "Mariia"),
        ("Мария", "Maria"),
        ("Mariya", "Мария"),
        ("Юлия", "Yuliya"),
        ("Юлия", "Julija"),
        ("Юлия", "Iuliia"),
        ("Наталья", "Natalia"),
        ("Наталья", "Natalja"),
        ("Алексей", "Aleksej"),
        ("Алексей", "Alexey"),
        ("Жанна", "Žana"),
        ("Чепайте", "Čepaitė"),
        ("Щукина", "Shchukina"),
        ("Цой", "Tsoi"),
        ("O'Brien", "obrien"),
    ],
)
def test_the_usual_spellings_of_a_name_meet(written, typed):
    assert fold(written) == fold(typed)


@pytest.mark.parametrize(
    ("one", "other"), [("Иванова", "Петрова"), ("Maria", "Marta"), ("Ona", "Jonas")]
)
def test_different_names_stay_apart(one, other):
    assert fold(one) != fold(other)


def test_search_key_and_terms():
    key = search_key("Мария", "Иванова", "Петровна", "Маша")
    assert key == "maria ivanova petrovna masa"
    assert all(term in key for term in query_terms("ivanova MARIIA"))
    assert query_terms("  ") == []
    assert to_latin("Иванова Мария") == "Ivanova Mariya"
